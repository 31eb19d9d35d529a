"""HS309: ``any([...])`` / ``all([...])`` builds the whole list before testing it."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.scope import bound_anywhere
from hasten.analyzers.syntax.tree import walk


def _delete_bracket(ctx: Context, offset: int) -> Edit:
    """Delete the bracket at ``offset``, with its line when it stands alone on it."""
    source = ctx.source
    line = source.line_of_byte(offset)
    if source.line_text(line).strip() in ("[", "]"):
        return Edit(source.line_starts[line], source.line_end(line, with_newline=True), "")
    return Edit(offset, offset + 1, "")


class ListComprehensionInAnyAll(Rule):
    code = "HS309"
    name = "list-comprehension-in-any-all"
    family = "idioms"
    summary = "`any`/`all` over a list comprehension cannot stop early; pass a generator"
    what = """
Flags `any([...])` and `all([...])` whose only argument is a list comprehension.
"""
    why = """
The list comprehension computes every element and stores it before `any` or `all` looks at the
first one, so the short circuit is lost. A generator stops at the first decisive element.
Measured with `benchmarks/rules/bench_hs309.py` on CPython 3.11 with the first match halfway:
1,000 elements take about 16.3 µs with the list and 11.7 µs with the generator (≈1.4× faster;
≈1.4× at 100 too). When no element decides early the generator is ≈15% slower, so the gain
depends on the data: the rule is in preview.
"""
    example = """
def has_admin(users):
    return any([u.is_admin for u in users])
"""
    use_instead = """
def has_admin(users):
    return any(u.is_admin for u in users)
"""
    fix_safety = """
The fix is unsafe: the generator stops early, so elements after the first decisive one are no
longer computed. If computing them has side effects or raises, the behaviour changes.
"""
    preview_reason = """
Judged precision on real code is below 80%: when no element matches, the generator form scans
everything and is slower than the list.
"""
    fix_availability = FixAvailability.ALWAYS
    status = Status.PREVIEW
    aliases = ("C419",)
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        func = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if func is None or func.type != "identifier" or args is None or args.type != "argument_list":
            return
        name = ctx.text(func)
        if name not in ("any", "all"):
            return
        if [c.type for c in args.children if c.type != "comment"] != ["(", "list_comprehension", ")"]:
            return  # keywords, more arguments or a trailing comma
        comprehension = next(c for c in args.named_children if c.type == "list_comprehension")
        if any(n.type in ("async", "await") for n in walk(comprehension)):
            return  # an async comprehension cannot become a plain generator
        if bound_anywhere(node, name):
            return
        fix = make_fix(
            "Pass a generator expression",
            [
                _delete_bracket(ctx, comprehension.start_byte),
                _delete_bracket(ctx, comprehension.end_byte - 1),
            ],
            Applicability.UNSAFE,
        )
        ctx.report(node, f"`{name}([...])` builds the whole list first; pass a generator to stop early", fix)
