"""HS104: ``sum(list_of_lists, [])`` copies the growing result once per added list."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import names_in, node_has_comment, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_arguments, call_name
from hasten.analyzers.syntax.imports import is_builtin
from hasten.analyzers.syntax.tree import strip_parens

# The iterable goes after `in` of a comprehension's first `for`: those need parentheses there.
_NEEDS_PARENS = ("conditional_expression", "lambda", "named_expression", "expression_list", "yield")


def _pick(base: str, taken: set[str]) -> str:
    name, i = base, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    return name


def single_item_call(node: Node) -> bool:
    """``f([x])`` / ``obj.f((x,))``: a call whose only argument is a one-element list or tuple
    display, so (for a batch function) it yields one list and the sum copies it once."""
    if node.type != "call":
        return False
    args = node.child_by_field_name("arguments")
    items = [c for c in args.named_children if c.type != "comment"] if args is not None else []
    if len(items) != 1 or items[0].type not in ("list", "tuple"):
        return False
    elements = [c for c in items[0].named_children if c.type != "comment"]
    return len(elements) == 1 and elements[0].type not in ("list_splat", "list_comprehension")


class QuadraticListSummation(Rule):
    code = "HS104"
    name = "quadratic-list-summation"
    family = "complexity"
    summary = "`sum(..., [])` concatenates lists in quadratic time"
    what = """
Flags `sum(lists, [])` (and `sum(lists, start=[])`), which flattens a list of lists by repeated
`+`. A literal list or tuple of lists (`sum([a, b, c], [])`) is not flagged: the number of
copies does not grow with the data.
"""
    why = """
Each `+` builds a new list holding everything so far, so flattening *k* lists of total length
*n* copies O(n·k) elements; a comprehension or `itertools.chain.from_iterable` touches each
element once. Measured with `benchmarks/rules/bench_hs104.py` on CPython 3.11: flattening 1,000 three-element lists takes
2.3 ms with `sum` and 0.05 ms with a comprehension (≈47×; ≈7× at 100 lists).
"""
    example = """
def all_tags(posts):
    return sum([post.tags for post in posts], [])
"""
    use_instead = """
def all_tags(posts):
    return [tag for tags in [post.tags for post in posts] for tag in tags]
    # or: list(itertools.chain.from_iterable(post.tags for post in posts))
"""
    fix_safety = """
The fix is unsafe. `[] + x` accepts only lists (a tuple or generator among the items raises
`TypeError`), while the comprehension accepts any iterable; objects that define `__radd__` or
list subclasses that override `__add__` would no longer be called. No fix is offered when the call
contains a comment.
"""
    fix_availability = FixAvailability.SOMETIMES
    # Pooled judged precision 2/7 (tuned corpus plus code it was never tuned on,
    # benchmarks/precision/README.md) is below 80%: preview.
    status = Status.PREVIEW
    aliases = ("RUF017",)
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        if call_name(node) != "sum":
            return
        positional, keywords = call_arguments(node)
        if positional is None or keywords is None or set(keywords) - {"start"}:
            return
        if len(positional) == 2 and not keywords:
            iterable, start = positional
        elif len(positional) == 1 and "start" in keywords:
            iterable, start = positional[0], keywords["start"]
        else:
            return
        start = strip_parens(start)
        if start.type != "list" or start.named_child_count != 0:
            return
        if strip_parens(iterable).type in ("list", "tuple"):
            return  # a fixed number of lists written out: the copying does not grow with the data
        if single_item_call(strip_parens(iterable)):
            return  # ``sum(f([x]), [])``: a batch function given one item returns one list
        if not is_builtin(node, "sum"):
            return
        fix = None
        if not node_has_comment(ctx.source, node):
            taken = names_in(iterable)
            inner = _pick("item", taken)
            outer = _pick("items", taken | {inner})
            text = ctx.text(iterable)
            if iterable.type in _NEEDS_PARENS:
                text = f"({text})"
            replacement = f"[{inner} for {outer} in {text} for {inner} in {outer}]"
            fix = make_fix("Flatten with a comprehension", [replace_node(node, replacement)], Applicability.UNSAFE)
        ctx.report(node, "`sum(..., [])` copies the growing list for every item: flatten with a comprehension", fix)
