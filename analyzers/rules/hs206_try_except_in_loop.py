"""HS206: ``try``/``except`` set up on every iteration when the handler ends the loop anyway
(costly before Python 3.11)."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.loops import loop_repeats
from hasten.analyzers.syntax.tree import LOOP_TYPES, enclosing_function, walk_same_scope

LEAVES = frozenset({"break_statement", "return_statement", "raise_statement"})


def handler_leaves_loop(handler: Node) -> bool:
    """The handler's last statement leaves the loop (``break``, ``return``, ``raise``)."""
    block = next((c for c in handler.named_children if c.type == "block"), None)
    if block is None:
        return False
    statements = [c for c in block.named_children if c.type != "comment"]
    if not statements or statements[-1].type not in LEAVES:
        return False
    # A `continue` anywhere in the handler would keep looping.
    return not any(n.type == "continue_statement" for n in walk_same_scope(block))


class TryExceptInLoop(Rule):
    code = "HS206"
    name = "try-except-in-loop"
    family = "loops"
    summary = "`try`/`except` inside a loop whose handler ends the loop: wrap the loop instead"
    what = """
Flags a `try` statement that is a direct part of a `for` or `while` body, when every `except`
handler ends by leaving the loop (`break`, `return`, `raise`) and there is no `else` or
`finally` clause — the case where the `try` can wrap the whole loop with the same behaviour.
Only when the target version is below Python 3.11: from 3.11 on, entering a `try` block costs
nothing ("zero-cost" exceptions).
"""
    why = """
Before Python 3.11, each entry into a `try` block pushes a block onto the frame's block stack
(`SETUP_FINALLY`) and pops it on exit, on every iteration. Measured with
`benchmarks/rules/bench_hs206.py`: a loop of 1,000 additions with the `try` inside takes about
40 µs against 36 µs with the loop wrapped in one `try` on CPython 3.10 (≈1.1×); on CPython 3.11
(zero-cost exceptions) 23 µs against 22 µs (≈1.05×). The gain is small everywhere, so the rule
is in preview and only fires for targets below 3.11.
"""
    example = """
def parse_all(texts):
    out = []
    for t in texts:
        try:
            out.append(int(t))
        except ValueError:
            return None
    return out
"""
    use_instead = """
def parse_all(texts):
    out = []
    try:
        for t in texts:
            out.append(int(t))
    except ValueError:
        return None
    return out
"""
    fix_safety = """
No fix is offered: re-indenting the loop into the `try` is a large edit for a small gain, and
code after the `try` inside the loop would have to move too. When rewriting by hand, note
that the wrapped `try` also catches exceptions raised by the loop header (the iterator or the
`while` condition), which the original let through.
"""
    preview_reason = """
No judged hits yet; since CPython 3.11 a `try` that does not raise costs almost nothing, so the
gain is version-dependent.
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW
    aliases = ("PERF203",)
    node_types = ("try_statement",)

    def visit(self, node: Node, ctx: Context) -> None:
        if ctx.target_version >= (3, 11):
            return
        block = node.parent
        loop = block.parent if block is not None and block.type == "block" else None
        if loop is None or loop.type not in LOOP_TYPES or loop.child_by_field_name("body") != block:
            return
        if not loop_repeats(loop) or enclosing_function(node) is None:
            return
        handlers = [c for c in node.named_children if c.type in ("except_clause", "except_group_clause")]
        if not handlers or any(c.type in ("else_clause", "finally_clause") for c in node.named_children):
            return
        if not all(handler_leaves_loop(h) for h in handlers):
            return
        ctx.report(
            node.children[0],
            "`try` is set up on every iteration although each handler leaves the loop; wrap the whole loop "
            f"in the `try` (free from Python 3.11: {ctx.target_version_note()})",
        )
