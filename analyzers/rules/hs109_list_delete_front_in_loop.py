"""HS109: ``del lst[0]`` (or ``lst = lst[1:]``) inside a loop: a list consumed from the front."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.loops import bound_anew, enclosing_loops, repeated_loop
from hasten.analyzers.syntax.scope import assignments_to
from hasten.analyzers.syntax.facts import fixed_small_list
from hasten.analyzers.syntax.tree import enclosing_scope, identifier_text, walk
from hasten.analyzers.syntax.values import is_list_value


def fresh_or_fixed_width(node: Node, loop: Node, name: str) -> bool:
    """Inside ``loop`` (at its own level, not a nested loop), ``name`` is bound anew on every
    iteration (a list built per item, or the loop's target), or appended to once for each item
    removed (a fixed-width window): the list does not shrink across the loop."""
    if bound_anew(node, loop, name):
        return True
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    for child in walk(body):
        if child == node or (enclosing_loops(child) or [None])[0] != loop:
            continue
        if child.type == "call":
            parts = method_call(child)
            if parts is not None and identifier_text(parts[0]) == name and parts[1] == "append":
                return True
    return False


def front_index(node: Node) -> bool:
    """``[0]``, ``[:k]`` or ``[0:k]`` with a small literal ``k``: the front of the list."""
    if node.type == "integer":
        return node.text == b"0"
    if node.type == "slice":
        parts = [c for c in node.children]
        texts = [c.text.decode() for c in parts]
        # "[:k]" -> [":", k]; "[0:k]" -> [0, ":", k]
        if texts and texts[0] == "0":
            texts = texts[1:]
        return len(texts) == 2 and texts[0] == ":" and parts[-1].type == "integer"
    return False


def tail_slice(node: Node) -> bool:
    """``[k:]`` with a literal ``k`` > 0."""
    if node.type != "slice":
        return False
    parts = node.children
    return len(parts) == 2 and parts[0].type == "integer" and parts[0].text != b"0" and parts[1].type == ":"


def subscript_parts(node: Node) -> tuple[Node, Node] | None:
    if node.type != "subscript":
        return None
    value = node.child_by_field_name("value")
    rest = [c for c in node.named_children if c != value]
    if value is None or value.type != "identifier" or len(rest) != 1:
        return None
    return value, rest[0]


def proven_local_list(function: Node, name: str) -> bool:
    statements = assignments_to(function, name)
    if not statements:
        return False
    for statement in statements:
        right = statement.child_by_field_name("right")
        if statement.type == "augmented_assignment":
            continue  # += on a list keeps it a list
        if is_list_value(right):
            continue
        parts = subscript_parts(right)
        if parts and parts[0].text.decode() == name and parts[1].type == "slice":
            continue  # lst = lst[1:] keeps it a list
        return False
    return True


class ListDeleteFrontInLoop(Rule):
    code = "HS109"
    name = "list-delete-front-in-loop"
    family = "complexity"
    summary = "List consumed from the front inside a loop: every deletion shifts all items"
    what = """
Flags `del lst[0]`, `del lst[:k]` and `lst = lst[k:]` inside a loop when `lst` is a list the
function builds itself. (`lst.pop(0)` is HS102.) It stays silent when the list is built anew on
every iteration (it loses its head once, not n times) and when the loop also appends to it on
every iteration (a fixed-width sliding window, whose length does not grow).
"""
    why = """
Removing the first item of a list moves every other item one slot down (and `lst[k:]` copies
them all), so draining a list of *n* items from the front costs O(n²). A
`collections.deque` pops from the left in O(1); an index that walks forward costs nothing.
Measured with `benchmarks/rules/bench_hs109.py` on CPython 3.11: draining 1,000 items with
`del lst[0]` takes about 62 µs and with `deque.popleft()` about 27 µs (≈2.3×; the shift is a
fast `memmove`, but the gap grows linearly with the size); with `lst = lst[1:]` it takes about
0.67 ms (≈28×).
"""
    example = """
def drain(jobs):
    pending = list(jobs)
    while pending:
        run(pending[0])
        del pending[0]
"""
    use_instead = """
from collections import deque

def drain(jobs):
    pending = deque(jobs)
    while pending:
        run(pending.popleft())
"""
    fix_safety = """
No fix is offered: switching to a `deque` changes the type other code sees (deques cannot be
sliced), and an index-based rewrite changes the loop's shape.
"""
    facts = """
A list built in the same scope (display, comprehension, `list(...)`, `sorted(...)`, slices
of itself); a short literal list that nothing adds to is constant work. Module-level code and
`if __name__ == "__main__":` blocks are analysed like a function body.
"""
    preview_reason = """
Judged on held-out code once: `del items[0]` in a loop over the elements of one bulleted
paragraph (tens at most). Pooled with the tuned corpus it is below the 80% bar (docs/rules.md).
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW
    aliases = ()
    node_types = ("delete_statement", "assignment")

    def visit(self, node: Node, ctx: Context) -> None:
        if node.type == "delete_statement":
            targets = [c for c in node.named_children if c.type != "comment"]
            if len(targets) != 1:
                return
            parts = subscript_parts(targets[0])
            if parts is None or not front_index(parts[1]):
                return
            name = ctx.text(parts[0])
            how = f"`del {ctx.text(targets[0])}`"
        else:
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None or left.type != "identifier":
                return
            parts = subscript_parts(right)
            name = ctx.text(left)
            if parts is None or ctx.text(parts[0]) != name or not tail_slice(parts[1]):
                return
            how = f"`{name} = {ctx.text(right)}`"
        loop = repeated_loop(node)
        if loop is None or fresh_or_fixed_width(node, loop, name):
            return
        function = enclosing_scope(node)  # module-level code is analysed like a function body
        if function.type not in ("function_definition", "module") or not proven_local_list(function, name):
            return
        if fixed_small_list(function, name):
            return  # a few fixed items taken off: constant work
        ctx.report(node, f"{how} shifts every remaining item on each iteration; use `collections.deque.popleft()` or walk an index")
