"""HS105: ``lst.index(x)``, ``lst.count(x)`` or ``lst.remove(x)`` on a list inside a loop."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.facts import fact_of, list_facts_doc
from hasten.analyzers.syntax.loops import enclosing_loops, repeated_loop
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.scope import bindings_of
from hasten.analyzers.syntax.tree import enclosing_scope, walk
from hasten.analyzers.syntax.values import is_list_value

SCAN_METHODS = {
    "index": "use `enumerate()` while iterating, or build a dict from value to position once",
    "count": "count everything once with `collections.Counter`",
    "remove": "filter once with a comprehension, or keep the items in a set or dict",
}
SMALL_LITERAL = 8


GROWING_METHODS = frozenset({"append", "extend", "insert", "__iadd__"})


MEMBERSHIP_COMPARISONS = {("<", "1"), ("<=", "0"), ("==", "0"), (">", "0"), (">=", "1"), ("!=", "0")}


def counts_for_membership(call: Node) -> bool:
    """``lst.count(x)`` used only as a yes/no test: ``< 1``, ``== 0``, ``> 0``, ``not lst.count(x)``
    or the bare condition of an ``if``/``while``."""
    parent = call.parent
    while parent is not None and parent.type == "parenthesized_expression":
        call, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "not_operator" or (parent.type in ("if_statement", "while_statement", "elif_clause") and parent.child_by_field_name("condition") == call):
        return True
    if parent.type == "comparison_operator" and parent.named_child_count == 2 and parent.named_children[0] == call:
        operators = [c.type for c in parent.children if not c.is_named]
        other = parent.named_children[1]
        return len(operators) == 1 and (operators[0], other.text.decode()) in MEMBERSHIP_COMPARISONS
    return False


def removes_front(call: Node, name: str) -> bool:
    """``lst.remove(lst[0])``: the first item, removed by value (a queue)."""
    args = call.child_by_field_name("arguments")
    items = [c for c in args.named_children if c.type != "comment"] if args is not None else []
    if len(items) != 1 or items[0].type != "subscript":
        return False
    value = items[0].child_by_field_name("value")
    index = items[0].child_by_field_name("subscript")
    return value is not None and value.text.decode() == name and index is not None and index.text == b"0"


def grows_in_a_loop(function: Node, name: str) -> bool:
    """True when ``name`` is appended to, extended or ``+=``-ed inside some loop of ``function``."""
    for node in walk(function):
        if node.type == "call":
            parts = method_call(node)
            if parts and parts[0].type == "identifier" and parts[0].text.decode() == name and parts[1] in GROWING_METHODS:
                if enclosing_loops(node):
                    return True
        elif node.type == "augmented_assignment":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier" and left.text.decode() == name and enclosing_loops(node):
                return True
    return False


class ListScanMethodInLoop(Rule):
    code = "HS105"
    name = "list-scan-method-in-loop"
    family = "complexity"
    summary = "List method that scans the whole list, called inside a loop"
    what = """
Flags `lst.index(x)`, `lst.count(x)` and `lst.remove(x)` inside a loop when `lst` is known to
be a list (see "Facts it uses"). Each of these
methods walks the list from the front, so calling one per iteration makes the loop quadratic.
Lists that are small literals and never grow are skipped, and so is code that rarely runs. The
remedy depends on the use: a count compared with 0 or 1 (`seen.count(x) < 1`) is a membership
test, for which a set is the fix; `queue.remove(queue[0])` takes the head of a queue, for which
`collections.deque` is.
"""
    why = """
`list.index`, `list.count` and `list.remove` are linear scans. Inside a loop over data of similar
size they cost O(n²). Measured with `benchmarks/rules/bench_hs105.py` on CPython 3.11: looking up
the position of each of 1,000 items with `.index()` takes about 8.5 ms, with `enumerate()`
about 0.05 ms (≈180× faster); at 100 items the gain is ≈13×. Counting each of 1,000 items with
`.count()` instead of one `Counter` is ≈470× slower.
"""
    example = """
def positions(names):
    order = list(names)
    return {name: order.index(name) for name in order}
"""
    use_instead = """
def positions(names):
    order = list(names)
    return {name: i for i, name in reversed(list(enumerate(order)))}
"""
    fix_safety = """
No fix is offered: the right replacement (`enumerate`, a dict of first positions, a `Counter`, a
filtering comprehension) depends on what the loop does with the result.
"""
    facts = list_facts_doc("receiver")
    preview_reason = """
On fresh code (a second set of pinned packages, tuning half) most hits scan lists of a handful
of items: a module's constant list of 6-16 names (`FILE_NAMES.index(c)`), the notes of one
chord, the keyword names of one call. One in 13 was worth fixing; pooled with the earlier
judgments it is below the 80% bar (docs/rules.md).
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        parts = method_call(node)
        if parts is None:
            return
        receiver, method, _ = parts
        if method not in SCAN_METHODS or receiver.type != "identifier":
            return
        loop = repeated_loop(node)
        if loop is None:
            return
        function = enclosing_scope(node)  # module-level code is analysed like a function body
        if function.type not in ("function_definition", "module"):
            return
        name = ctx.text(receiver)
        fact = fact_of(receiver)
        if fact is None or fact.kind != "list":
            return
        values = bindings_of(function, name) or []
        if values and all(v.type == "list" and len(v.named_children) < SMALL_LITERAL for v in values):
            if name not in mutated_names(function):
                return  # a short literal that never grows: the scan is cheap
        if values and all(v.type == "list" and not any(c.type == "list_splat" for c in v.named_children) for v in values):
            if not grows_in_a_loop(function, name):
                return  # a fixed literal, at most a few appends outside loops: bounded and small
        if any(loop.start_byte <= v.start_byte < loop.end_byte for v in values):
            return  # rebuilt on every iteration: the scan costs no more than building it
        proven = bool(values) and all(is_list_value(v) for v in values)
        source = "" if proven else f"{fact.source}: "
        remedy = SCAN_METHODS[method]
        if method == "count" and counts_for_membership(node):
            remedy = "it counts every item only to test membership: keep the items in a set as well and test `in` it"
        elif method == "remove" and removes_front(node, name):
            remedy = "it takes the first item off a queue: use `collections.deque` and `popleft()`"
        message = f"{source}`{name}.{method}()` scans the list on every iteration; {remedy}"
        ctx.report(node, message)
