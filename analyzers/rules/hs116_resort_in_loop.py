"""HS116: a list grown in a loop and sorted again on every iteration."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.imports import builtin_visible
from hasten.analyzers.syntax.loops import repeated_loop
from hasten.analyzers.syntax.scope import assignments_to
from hasten.analyzers.syntax.tree import enclosing_scope, identifier_text, walk_same_scope
from hasten.analyzers.syntax.values import is_list_value

GROWING = frozenset({"append", "extend", "insert"})


def sorted_name(node: Node) -> str | None:
    """``name`` for ``name.sort(...)`` or ``name = sorted(name, ...)``."""
    if node.type == "call":
        parts = method_call(node)
        if parts and parts[1] == "sort" and parts[0].type == "identifier":
            return parts[0].text.decode()
        return None
    if node.type == "assignment":
        name = identifier_text(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if name is None or right is None or right.type != "call":
            return None
        func = right.child_by_field_name("function")
        args = right.child_by_field_name("arguments")
        if func is None or func.type != "identifier" or func.text != b"sorted" or not builtin_visible(node, "sorted"):
            return None
        first = next((a for a in args.named_children if a.type != "comment"), None) if args is not None else None
        return name if identifier_text(first) == name else None
    return None


def grows_in(loop: Node, name: str) -> bool:
    for n in walk_same_scope(loop):
        if n.type == "call":
            parts = method_call(n)
            if parts and parts[0].type == "identifier" and parts[0].text.decode() == name and parts[1] in GROWING:
                return True
        elif n.type == "augmented_assignment" and identifier_text(n.child_by_field_name("left")) == name:
            return True
    return False


class ResortInLoop(Rule):
    code = "HS116"
    name = "resort-in-loop"
    family = "complexity"
    summary = "List grown in a loop is sorted again on every iteration"
    what = """
Flags `lst.sort()` and `lst = sorted(lst)` inside a loop that also grows `lst` (`append`,
`extend`, `insert`, `+=`), when `lst` is a list the function builds and the loop does not start
it afresh: the "keep it sorted by re-sorting" pattern.
"""
    why = """
Each sort walks the whole list (Timsort needs O(n) even on nearly sorted input, O(n log n)
otherwise), so keeping a list sorted this way costs O(n²) or worse over the loop. `bisect.insort`
inserts in place with a binary search; sorting once after the loop is cheaper still; a heap
serves "always take the smallest". Measured with `benchmarks/rules/bench_hs116.py` on
CPython 3.11: a running median over 1,000 random numbers with `append` + `sort()` each time
takes about 1.1 ms, with `bisect.insort` about 0.22 ms (≈5×); at 100 numbers the gain is ≈1.7×,
and it grows with the size.
"""
    example = """
def running_medians(values):
    seen = []
    out = []
    for v in values:
        seen.append(v)
        seen.sort()
        out.append(seen[len(seen) // 2])
    return out
"""
    use_instead = """
import bisect

def running_medians(values):
    seen = []
    out = []
    for v in values:
        bisect.insort(seen, v)
        out.append(seen[len(seen) // 2])
    return out
"""
    fix_safety = """
No fix is offered: the right rewrite (`bisect.insort` with or without a key, one sort after the
loop, or `heapq`) depends on how the loop reads the list.
"""
    facts = """
A list built in the same scope (display, comprehension, `list(...)`) and grown in the loop.
Module-level code and `if __name__ == "__main__":` blocks are analysed like a function body.
"""
    fix_availability = FixAvailability.NEVER
    # Pooled judged precision 1/2 (tuned corpus plus code it was never tuned on,
    # benchmarks/precision/README.md) is below 80%: preview.
    status = Status.PREVIEW
    aliases = ()
    node_types = ("call", "assignment")

    def visit(self, node: Node, ctx: Context) -> None:
        name = sorted_name(node)
        if name is None:
            return
        loop = repeated_loop(node)
        function = enclosing_scope(node)  # module-level code is analysed like a function body
        if loop is None or function.type not in ("function_definition", "module"):
            return
        statements = assignments_to(function, name)
        if not statements:
            return
        for statement in statements:
            right = statement.child_by_field_name("right")
            if statement.type == "augmented_assignment" or sorted_name(statement) == name:
                continue
            if not is_list_value(right):
                return
            if loop.start_byte <= statement.start_byte < loop.end_byte:
                return  # started afresh inside the loop
        if not grows_in(loop, name):
            return
        ctx.report(node, f"`{name}` grows in this loop and is sorted again on every iteration; insert with `bisect.insort`, sort once after the loop, or use `heapq`")
