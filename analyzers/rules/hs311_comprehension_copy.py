"""HS311: ``[x for x in items]`` / ``{x for x in items}`` only copies; ``list()``/``set()`` do it in C."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.comments import comments_in_range
from hasten.analyzers.syntax.scope import bound_anywhere
from hasten.analyzers.syntax.tree import strip_parens, walk

_BUILTIN = {"list_comprehension": "list", "set_comprehension": "set"}


class ComprehensionCopy(Rule):
    code = "HS311"
    name = "comprehension-copy"
    family = "idioms"
    summary = "Comprehension only copies its iterable; `list(...)` or `set(...)` is faster"
    what = """
Flags `[x for x in items]` and `{x for x in items}`: one `for` clause, no condition, and the
element is the loop variable itself.
"""
    why = """
The comprehension runs a bytecode loop that stores and reloads the variable for every item;
`list(items)` copies in C (from a list or tuple, by a single memory copy). Measured with
`benchmarks/rules/bench_hs311.py` on CPython 3.11: copying 1,000 items takes about 7.2 µs with
the comprehension and 1.3 µs with `list(items)` (≈5.7× faster; ≈3× at 100); a set
comprehension against `set(items)` ≈1.4×.
"""
    example = """
def snapshot(queue):
    return [item for item in queue]
"""
    use_instead = """
def snapshot(queue):
    return list(queue)
"""
    fix_safety = """
The fix is safe: `list(items)` and `set(items)` iterate exactly as the comprehension does. No
fix is offered when the file rebinds `list` or `set`, or when a comment would be dropped.
"""
    fix_availability = FixAvailability.SOMETIMES
    # Pooled judged precision 9/23 (tuned corpus plus code it was never tuned on,
    # benchmarks/precision/README.md) is below 80%: preview.
    status = Status.PREVIEW
    aliases = ("C416",)
    node_types = ("list_comprehension", "set_comprehension")

    def visit(self, node: Node, ctx: Context) -> None:
        body = node.child_by_field_name("body")
        clauses = [c for c in node.named_children if c != body and c.type != "comment"]
        if body is None or len(clauses) != 1 or clauses[0].type != "for_in_clause":
            return
        clause = clauses[0]
        if any(c.type == "async" for c in clause.children):
            return
        target = clause.child_by_field_name("left")
        iterable = clause.child_by_field_name("right")
        if target is None or iterable is None or target.type != "identifier" or body.type != "identifier":
            return
        if ctx.text(target) != ctx.text(body):
            return
        if len(clause.children_by_field_name("right")) != 1:
            return
        if any(n.type == "await" for n in walk(iterable)):
            return
        builtin = _BUILTIN[node.type]
        argument = strip_parens(iterable)
        if argument.type in ("yield", "expression_list"):
            argument = iterable
        fix = None
        if not bound_anywhere(node, builtin) and not comments_in_range(node, node.start_byte, node.end_byte):
            fix = make_fix(
                f"Replace with `{builtin}(...)`",
                [Edit(node.start_byte, node.end_byte, f"{builtin}({ctx.text(argument)})")],
                Applicability.SAFE,
            )
        ctx.report(node, f"Comprehension only copies its iterable; use `{builtin}(...)`", fix)
