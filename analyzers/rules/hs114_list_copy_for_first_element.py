"""HS114: ``list(x)[0]`` copies everything to read one element; ``next(iter(x))`` does not."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.syntax.handlers import caught_by_enclosing_handler
from hasten.analyzers.rewrite import replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.comments import has_comment
from hasten.analyzers.syntax.control import in_main_guard
from hasten.analyzers.syntax.imports import builtin_visible
from hasten.analyzers.syntax.tree import strip_parens

COPIES = frozenset({"list", "tuple"})


def is_target(node: Node) -> bool:
    """True when ``node`` is written or deleted rather than read."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type in ("assignment", "augmented_assignment") and parent.child_by_field_name("left") == node:
        return True
    if parent.type in ("delete_statement", "pattern_list", "tuple_pattern", "list_pattern"):
        return True
    return False


class ListCopyForFirstElement(Rule):
    code = "HS114"
    name = "list-copy-for-first-element"
    family = "complexity"
    summary = "Whole iterable copied into a list to read its first element"
    what = """
Flags `list(x)[0]` and `tuple(x)[0]` (including `list(d.keys())[0]`), which build a complete
copy of `x` only to read its first element. Code under `if __name__ == "__main__":` is skipped.
"""
    why = """
The copy is O(n) in time and memory; `next(iter(x))` is O(1). Measured with
`benchmarks/rules/bench_hs114.py` on CPython 3.11: taking the first key of a 1,000-key dict
with `list(d.keys())[0]` takes about 4.1 µs, `next(iter(d))` about 0.1 µs (≈43×); at 100 keys
the gain is ≈5.5×.
"""
    example = """
def first_key(table):
    return list(table.keys())[0]
"""
    use_instead = """
def first_key(table):
    return next(iter(table))
"""
    fix_safety = """
The fix is unsafe: on an empty input the original raises `IndexError` and the rewrite raises
`StopIteration` (which a surrounding generator turns into `RuntimeError`), so code that
catches `IndexError` behaves differently: no fix is offered inside a `try` whose handler catches
`IndexError` (or `LookupError`, `Exception`, a bare `except`) or inside `contextlib.suppress` of
those. On an iterator the original also consumed every
element, the rewrite only the first.
"""
    status = Status.PREVIEW
    preview_reason = """
Judged precision on real code is below 80%: the copies on real code hold one or a handful of
items.
"""
    fix_availability = FixAvailability.SOMETIMES
    aliases = ("RUF015",)
    node_types = ("subscript",)

    def visit(self, node: Node, ctx: Context) -> None:
        value = node.child_by_field_name("value")
        subscripts = [c for c in node.named_children if c != value]
        if value is None or len(subscripts) != 1 or subscripts[0].type != "integer" or ctx.text(subscripts[0]) != "0":
            return
        if value.type != "call" or is_target(node) or in_main_guard(node):
            return
        func = value.child_by_field_name("function")
        if func is None or func.type != "identifier" or func.text.decode() not in COPIES:
            return
        arguments = value.child_by_field_name("arguments")
        args = [c for c in arguments.named_children if c.type != "comment"] if arguments is not None and arguments.type == "argument_list" else None
        if args is not None and any(a.type in ("keyword_argument", "list_splat", "dictionary_splat") for a in args):
            args = None
        if args is None or len(args) != 1 or not builtin_visible(node, func.text.decode()):
            return
        if args[0].type in ("generator_expression", "list_comprehension"):
            return  # a different rewrite (next(generator)); keep this rule simple
        iterable = strip_parens(args[0])
        # next(iter(d)) == list(d.keys())[0]
        parts = method_call(iterable)
        if parts is not None and parts[1] == "keys" and not parts[2].named_children:
            iterable = parts[0]
        kind = func.text.decode()
        fix = None
        # On an empty input the original raises IndexError; a handler around it would stop catching.
        if not has_comment(node) and builtin_visible(node, "next") and builtin_visible(node, "iter") and not caught_by_enclosing_handler(node, "IndexError"):
            text = ctx.text(iterable)
            if iterable.type in ("expression_list", "generator_expression"):
                text = f"({text})"
            replacement = f"next(iter({text}))"
            fix = make_fix(f"Replace with `{replacement}`", [replace_node(node, replacement)], Applicability.UNSAFE)
        ctx.report(node, f"`{ctx.text(node)}` copies the whole iterable to read one element; use `next(iter(...))`" if len(ctx.text(node)) <= 50 else f"`{kind}(...)[0]` copies the whole iterable to read one element; use `next(iter(...))`", fix)
