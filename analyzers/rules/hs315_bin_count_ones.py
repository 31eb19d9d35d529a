"""HS315: ``bin(n).count("1")`` builds a string to count the set bits of an int."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.comments import comments_in_range
from hasten.analyzers.syntax.imports import builtin_visible

# Operands that need no parentheses before `.bit_count()`.
_ATOMS = frozenset({"identifier", "attribute", "call", "subscript", "parenthesized_expression"})


def _string_value(node: Node, ctx: Context) -> str | None:
    """The value of a plain one-part string literal (no f-string, no concatenation)."""
    if node.type != "string":
        return None
    parts = [c for c in node.named_children if c.type not in ("string_start", "string_end")]
    if any(c.type != "string_content" for c in parts):
        return None
    prefix = ctx.text(node.children[0]).lower().strip("'\"") if node.children else ""
    if any(ch in prefix for ch in "fb"):
        return None
    return "".join(ctx.text(c) for c in parts)


def _only_argument(call: Node) -> Node | None:
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None
    children = [c for c in args.named_children if c.type != "comment"]
    if len(children) != 1 or children[0].type in ("keyword_argument", "list_splat", "dictionary_splat"):
        return None
    return children[0]


def _binary_of(node: Node, ctx: Context) -> tuple[Node, str, Node] | None:
    """(the int, the builtin, its call) when ``node`` is ``bin(n)``, ``bin(n)[2:]`` or ``format(n, "b")``."""
    if node.type == "subscript":
        # bin(n)[2:] drops the "0b" prefix: the count of "1"s is the same.
        value = node.child_by_field_name("value")
        index = [c for c in node.named_children if c != value]
        if value is None or len(index) != 1 or index[0].type != "slice" or ctx.text(index[0]).replace(" ", "") != "2:":
            return None
        if value.type != "call" or call_name(value) != "bin":
            return None
        node = value
    if node.type != "call":
        return None
    name = call_name(node)
    if name == "bin":
        operand = _only_argument(node)
        return (operand, "bin", node) if operand is not None else None
    if name == "format":
        args = node.child_by_field_name("arguments")
        children = [c for c in args.named_children if c.type != "comment"] if args is not None else []
        if len(children) == 2 and children[0].type not in ("keyword_argument", "list_splat", "dictionary_splat") \
                and _string_value(children[1], ctx) == "b":
            return children[0], "format", node
    return None


class BinCountOnes(Rule):
    code = "HS315"
    name = "bin-count-ones"
    family = "idioms"
    summary = "`bin(n).count(\"1\")` builds a string to count set bits; `n.bit_count()` counts them directly"
    what = """
Flags `bin(n).count("1")`, `bin(n)[2:].count("1")` and `format(n, "b").count("1")`: the
population count of an int done by writing the int out in binary and counting characters.
"""
    why = """
`bin` allocates a string of one character per bit, and `count` scans it; `int.bit_count()`
(Python 3.10) counts the bits of the int's own digits without building anything. Measured with
`benchmarks/rules/bench_hs315.py` on CPython 3.11: counting the bits of 1,000 ints below 2**20
takes about 109 µs with `bin(v).count("1")` and 14 µs with `v.bit_count()` (≈7.8×; ≈5.6× at
100); as a sort key over 1,000 ints ≈4.5×; on one 10,000-bit int ≈14×.
"""
    example = """
def by_bits(values):
    return sorted(values, key=lambda v: bin(v).count("1"))
"""
    use_instead = """
def by_bits(values):
    return sorted(values, key=lambda v: v.bit_count())
"""
    fix_safety = """
The fix is unsafe: `bin` accepts any object with `__index__`, which need not have a
`bit_count` method (an `AttributeError` after the fix). Negative ints give the same count
(`bin(-5)` is `'-0b101'`). No fix when the target version is below Python 3.10, when the file
rebinds `bin` or `format`, or when a comment would be lost.
"""
    fix_availability = FixAvailability.SOMETIMES
    status = Status.PREVIEW
    preview_reason = """
New: the standard library and the precision corpus have too few hits to judge its precision yet.
"""
    aliases = ("FURB161",)
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        function = node.child_by_field_name("function")
        if function is None or function.type != "attribute":
            return
        method = function.child_by_field_name("attribute")
        receiver = function.child_by_field_name("object")
        if method is None or receiver is None or ctx.text(method) != "count":
            return
        argument = _only_argument(node)
        if argument is None or _string_value(argument, ctx) != "1":
            return
        found = _binary_of(receiver, ctx)
        if found is None:
            return
        operand, builtin, call = found
        if not builtin_visible(call, builtin):
            return
        fix = None
        if ctx.target_version >= (3, 10) and not comments_in_range(node, node.start_byte, node.end_byte):
            text = ctx.text(operand)
            if operand.type not in _ATOMS:
                text = f"({text})"
            fix = make_fix("Replace with `.bit_count()`", [Edit(node.start_byte, node.end_byte, f"{text}.bit_count()")],
                           Applicability.UNSAFE)
        ctx.report(node, f"`{builtin}(...)` and `.count(\"1\")` count set bits through a string; use `int.bit_count()`", fix)
