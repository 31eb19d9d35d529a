"""HS312: ``list(map(lambda x: ..., items))`` (or ``filter``) calls a Python function per item."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.comments import comments_in_range
from hasten.analyzers.syntax.scope import bound_anywhere
from hasten.analyzers.syntax.tree import walk
from hasten.analyzers.syntax.values import may_raise_stop_iteration

_BRACKETS = {"list": ("[", "]"), "set": ("{", "}")}
# Inside a lambda these bind or suspend differently than inside a comprehension: a walrus binds
# the lambda's own name, a nested lambda or generator captures one variable per call.
_SCOPE_SENSITIVE = frozenset({"named_expression", "yield", "await", "lambda", "generator_expression"})


def _positional(call: Node) -> list[Node] | None:
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None
    children = [c for c in args.named_children if c.type != "comment"]
    if any(c.type in ("keyword_argument", "list_splat", "dictionary_splat") for c in children):
        return None
    return children


class MapLambda(Rule):
    code = "HS312"
    name = "map-lambda"
    family = "idioms"
    summary = "`map` with a `lambda` calls a Python function per item; a comprehension is faster"
    what = """
Flags `list(map(lambda x: expr, items))` and `set(map(lambda x: expr, items))` with a one-parameter
lambda, and the same with `filter` (→ `[x for x in items if expr]`).
"""
    why = """
`map` calls the lambda for every item: a full Python function call with a new frame. A
comprehension evaluates the expression inline. Measured with `benchmarks/rules/bench_hs312.py`
on CPython 3.11: `list(map(lambda v: v + 1, items))` over 1,000 items takes about 36 µs, the list
comprehension 15.6 µs (≈2.3× faster; ≈2.5× at 100); `set(map(lambda w: w.lower(), ...))`
against a set comprehension ≈1.4×; `list(filter(lambda v: v < 0, items))` against
`[v for v in items if v < 0]` ≈3.3× at 1,000 (≈2.5× at 100).
"""
    example = """
def doubled(values):
    return list(map(lambda v: v * 2, values))
"""
    use_instead = """
def doubled(values):
    return [v * 2 for v in values]
"""
    fix_safety = """
The fix is safe when the lambda's body calls only builtins and string methods. Otherwise it is
unsafe: a `StopIteration` raised by the body ends `map` silently but escapes from a
comprehension. No fix when the file rebinds `list`, `set` or `map`, or a comment would be lost.
"""
    preview_reason = """
On held-out code `list(map(lambda ...))` was worth rewriting where it runs once per requested
sample, not over the few cliques of a junction tree or where each item's work dwarfs the call.
Pooled just below the 80% bar (docs/rules.md).
"""
    fix_availability = FixAvailability.SOMETIMES
    status = Status.PREVIEW
    aliases = ("C417",)
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        outer = call_name(node)
        if outer not in _BRACKETS:
            return
        outer_args = _positional(node)
        if outer_args is None or len(outer_args) != 1 or outer_args[0].type != "call":
            return
        inner = outer_args[0]
        mapper = call_name(inner)
        if mapper not in ("map", "filter"):
            return
        map_args = _positional(inner)
        if map_args is None or len(map_args) != 2 or map_args[0].type != "lambda":
            return
        function, items = map_args
        params = function.child_by_field_name("parameters")
        body = function.child_by_field_name("body")
        if params is None or body is None or len(params.named_children) != 1:
            return
        param = params.named_children[0]
        if param.type != "identifier" or len(params.children) != 1:
            return  # defaults, star-args or a trailing comma
        if any(n.type in _SCOPE_SENSITIVE for n in walk(body)):
            return
        if any(bound_anywhere(node, name) for name in (outer, mapper)):
            return
        fix = None
        if not comments_in_range(node, node.start_byte, node.end_byte):
            open_, close = _BRACKETS[outer]
            items_text = ctx.text(items)
            if items.type in ("conditional_expression", "lambda"):
                items_text = f"({items_text})"
            if mapper == "map":
                text = f"{open_}{ctx.text(body)} for {ctx.text(param)} in {items_text}{close}"
            else:
                condition = f"({ctx.text(body)})" if body.type == "conditional_expression" else ctx.text(body)
                text = f"{open_}{ctx.text(param)} for {ctx.text(param)} in {items_text} if {condition}{close}"
            fix = make_fix(
                f"Replace with a {outer} comprehension",
                [Edit(node.start_byte, node.end_byte, text)],
                Applicability.UNSAFE if may_raise_stop_iteration(body) else Applicability.SAFE,
            )
        ctx.report(node, f"`{outer}({mapper}(lambda ...))` calls a function per item; use a {outer} comprehension", fix)
