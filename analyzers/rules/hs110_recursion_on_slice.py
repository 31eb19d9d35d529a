"""HS110: a recursive call on ``xs[1:]``: every level copies the rest of the sequence."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.control import recursive_calls
from hasten.analyzers.syntax.scope import parameter_names
from hasten.analyzers.syntax.tree import function_name, identifier_text


# Dropping more than this per level (``k[9:]`` stripping a prefix) is rarely a walk through data.
MAX_DROP = 2


def is_small_int(node: Node | None, negative: bool) -> bool:
    if node is None:
        return False
    if negative:
        text = node.text.decode().replace(" ", "")
        return node.type == "unary_operator" and text.startswith("-") and text[1:].isdigit() and 0 < int(text[1:]) <= MAX_DROP
    return node.type == "integer" and node.text.decode().isdigit() and 0 < int(node.text.decode()) <= MAX_DROP


def drops_constant(slice_node: Node) -> bool:
    """``[k:]``, ``[:-k]`` or ``[k:-j]`` with literal k, j: the slice is only a few items shorter."""
    children = slice_node.children
    colons = [i for i, c in enumerate(children) if c.type == ":"]
    if len(colons) != 1:
        return False  # a step, or something odd
    i = colons[0]
    start = children[i - 1] if i > 0 else None
    stop = children[i + 1] if i + 1 < len(children) else None
    start_ok = start is None or is_small_int(start, False) or (start.type == "integer" and start.text == b"0")
    stop_ok = stop is None or is_small_int(stop, True)
    shorter = (start is not None and is_small_int(start, False)) or (stop is not None and is_small_int(stop, True))
    return start_ok and stop_ok and shorter


def sliced_parameter(arg: Node, params: set[str]) -> str | None:
    if arg.type == "keyword_argument":
        arg = arg.child_by_field_name("value")
    if arg is None or arg.type != "subscript":
        return None
    value = arg.child_by_field_name("value")
    rest = [c for c in arg.named_children if c != value]
    name = identifier_text(value)
    if name in params and len(rest) == 1 and rest[0].type == "slice" and drops_constant(rest[0]):
        return name
    return None


class RecursionOnSlice(Rule):
    code = "HS110"
    name = "recursion-on-slice"
    family = "complexity"
    summary = "Recursive call on a slice copies the rest of the sequence at every level"
    what = """
Flags a function that calls itself with a slice of one of its parameters that is only a
one or two items shorter: `xs[1:]`, `xs[2:]`, `xs[:-1]`, `xs[1:-1]`. Slices that halve
the input (`xs[:mid]`, as in merge sort) are not flagged: their copies cost no more than the
algorithm itself.
"""
    why = """
Each slice copies the remaining *n − k* items, so recursing through a sequence of *n* items
copies O(n²) items in total (and holds O(n²) memory at the deepest point). Passing a start index
instead copies nothing. Measured with `benchmarks/rules/bench_hs110.py` on CPython 3.11:
summing 900 numbers recursively on `xs[1:]` takes about 2.2 ms, with an index about 0.11 ms
(≈20×); at 100 items the gain is ≈3×.
"""
    example = """
def total(xs):
    if not xs:
        return 0
    return xs[0] + total(xs[1:])
"""
    use_instead = """
def total(xs, start=0):
    if start == len(xs):
        return 0
    return xs[start] + total(xs, start + 1)
"""
    fix_safety = """
No fix is offered: the rewrite adds a parameter and changes the base case, and a loop is often
better still.
"""
    status = Status.PREVIEW
    preview_reason = """
Too few hits on real code to judge (the one judged hit recursed once on a tiny list).
"""
    fix_availability = FixAvailability.NEVER
    aliases = ()
    node_types = ("function_definition",)

    def visit(self, node: Node, ctx: Context) -> None:
        params = parameter_names(node)
        if not params:
            return
        for call in recursive_calls(node):
            args = call.child_by_field_name("arguments")
            if args is None or args.type != "argument_list":
                continue
            for arg in args.named_children:
                param = sliced_parameter(arg, params)
                if param is not None:
                    message = f"`{function_name(node)}` recurses on a slice of `{param}`, copying the rest of it at every level; pass a start index instead"
                    ctx.report(call, message)
                    break
