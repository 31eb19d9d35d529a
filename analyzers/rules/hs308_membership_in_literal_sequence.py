"""HS308: ``x in [1, 2, 3]`` / ``x in ("a", "b", "c")`` on a literal of constants."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.cold import in_cold_code
from hasten.analyzers.syntax.loops import enclosing_loops, leaves_loop_after

# Shorter literals gain too little to be worth a finding.
MIN_ELEMENTS = 3
_CONSTANTS = frozenset({"integer", "float", "true", "false", "none"})


def _constant(node: Node) -> bool:
    kind = node.type
    if kind in _CONSTANTS:
        return True
    if kind == "string":
        return not any(c.type == "interpolation" for c in node.named_children)
    if kind == "concatenated_string":
        return all(_constant(c) for c in node.named_children)
    if kind == "unary_operator":
        operand = node.child_by_field_name("argument")
        return operand is not None and operand.type in ("integer", "float")
    return False


def _membership(node: Node) -> tuple[str, Node] | None:
    if node.type != "comparison_operator" or node.named_child_count != 2:
        return None
    operators = [c.type for c in node.children if not c.is_named]
    if operators == ["in"]:
        return "in", node.named_children[1]
    if operators in (["not", "in"], ["not in"]):
        return "not in", node.named_children[1]
    return None


class MembershipInLiteralSequence(Rule):
    code = "HS308"
    name = "membership-in-literal-sequence"
    family = "idioms"
    summary = "Membership test on a literal list or tuple compares item by item; use a set literal"
    what = f"""
Flags `x in [...]` and `x not in (...)` inside a loop or comprehension, where the right side is
a list or tuple literal of {MIN_ELEMENTS} or more constants (numbers, strings, `None`, `True`,
`False`). A test outside a loop runs once and saves only nanoseconds; so does one in a branch
that then leaves the loop (`break`, `return`), or in code that rarely runs (demos,
pretty-printers, `input()` loops, tkinter modules).

Preview: the finding is true but each test saves only tens of nanoseconds (on code the rules
were not tuned on, 0 of 19 sampled findings were worth a change), like ruff's PLR6201, itself a
preview rule.
"""
    why = """
`in` on a list or tuple compares `x` with each element in turn; a set literal of constants is
compiled into one frozen set, so the test is a single hash lookup. Measured with
`benchmarks/rules/bench_hs308.py` on CPython 3.11: 1,000 tests against a 5-element tuple of
integers (most of them misses) take about 44.5 µs, against the set literal 14.9 µs (≈3× faster);
against a 3-element list of strings ≈2.3×.
"""
    example = """
def weekend_days(days):
    return [d for d in days if d in ["sat", "sun", "holiday"]]
"""
    use_instead = """
def weekend_days(days):
    return [d for d in days if d in {"sat", "sun", "holiday"}]
"""
    fix_safety = """
The fix is unsafe: a set needs a hashable left operand (`[1] in {1, 2, 3}` raises `TypeError`
where the list returned `False`), and it compares by hash, which differs for objects whose
`__eq__` and `__hash__` disagree.
"""
    fix_availability = FixAvailability.ALWAYS
    status = Status.PREVIEW
    aliases = ("PLR6201",)
    node_types = ("comparison_operator",)

    def visit(self, node: Node, ctx: Context) -> None:
        parts = _membership(node)
        if parts is None:
            return
        operator, container = parts
        if container.type not in ("list", "tuple"):
            return
        elements = [c for c in container.named_children if c.type != "comment"]
        if len(elements) < MIN_ELEMENTS or not all(_constant(e) for e in elements):
            return
        loops = enclosing_loops(node)
        if not loops:
            return  # a single test saves a few nanoseconds: not worth a finding
        if leaves_loop_after(node, loops[0]) or in_cold_code(node):
            return  # runs once per loop run (the branch leaves the loop), or in code that rarely runs
        inner = ctx.source.slice(container.start_byte + 1, container.end_byte - 1)
        kind = "list" if container.type == "list" else "tuple"
        fix = make_fix(
            "Use a set literal",
            [Edit(container.start_byte, container.end_byte, "{" + inner + "}")],
            Applicability.UNSAFE,
        )
        ctx.report(node, f"`{operator}` on a literal {kind} compares item by item; use a set literal", fix)
