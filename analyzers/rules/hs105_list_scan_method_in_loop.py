"""HS105: ``lst.index(x)``, ``lst.count(x)`` or ``lst.remove(x)`` on a list inside a loop."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.factdocs import list_facts_doc
from hasten.analyzers.syntax.facts import fact_of
from hasten.analyzers.syntax.loops import leaves_loop_after, repeated_loop
from hasten.analyzers.syntax.scope import bindings_of
from hasten.analyzers.syntax.sizes import known_small
from hasten.analyzers.syntax.tree import enclosing_scope, walk
from hasten.analyzers.syntax.values import is_list_value

SCAN_METHODS = {
    "index": "use `enumerate()` while iterating, or build a dict from value to position once",
    "count": "count everything once with `collections.Counter`",
    "remove": "filter once with a comprehension, or keep the items in a set or dict",
}

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


def _attribute_changed_in(loop: Node, receiver: Node) -> bool:
    """``self.x`` appears in ``loop`` other than as the receiver of a scan, or the loop calls a
    method on ``self`` (which may change it)."""
    for node in walk(loop):
        if node.type == "attribute" and node.text == receiver.text and node != receiver:
            parent = node.parent
            call = parent.parent if parent is not None and parent.type == "attribute" else None
            scan = method_call(call) if call is not None and call.type == "call" else None
            if scan is None or scan[0] != node or scan[1] not in ("index", "count"):
                return True
        elif node.type == "call" and node != receiver.parent.parent:
            function = node.child_by_field_name("function")
            obj = function.child_by_field_name("object") if function is not None and function.type == "attribute" else None
            if obj is not None and obj.text == b"self":
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
    facts = list_facts_doc("receiver") + """
Size: the rule reports unless the fact layer shows the list holds fixed data
(`analyzers/syntax/sizes.py`, `known_small`): every binding is a display of items written out, a
split of a literal string or of one path or dotted name, or a comprehension over such data, and
nothing adds to it inside a loop. A scan in a branch that leaves the loop (`return`, `break`)
runs once and is not reported.
"""
    preview_reason = """
Judged precision on real code is below 80% once the data libraries and the held-out packages are
in the corpus: 7 of 10 hits on the tuned corpus were worth fixing (logging's and sysconfig's
scans of every logger or Makefile variable, a confusion matrix counting every sample per label
pair), 0 of 2 on the size-facts held-out packages (a model's few decorators), 4 of 4 on the
earlier fresh sample (n-gram counts in RIBES); pooled 11 of 16 (69%).
On the second fresh set's tuning half most hits scan lists of a handful of items: a module's
constant list of 6-16 names (`FILE_NAMES.index(c)`), the notes of one chord, the keyword names of
one call; one in 13 was worth fixing.
The rule finds the pattern; what it cannot see is whether the list holds a handful of names.
"""
    fix_availability = FixAvailability.NEVER
    # Judged 11 of 16 hits worth fixing (pooled; 4 of 6 held out): benchmarks/precision/README.md, "Size facts".
    status = Status.PREVIEW
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        parts = method_call(node)
        if parts is None:
            return
        receiver, method, _ = parts
        if method not in SCAN_METHODS or receiver.type not in ("identifier", "attribute"):
            return
        loop = repeated_loop(node)
        if loop is None or leaves_loop_after(node, loop):
            return  # no loop, or the scan runs once, on the way out of it
        function = enclosing_scope(node)  # module-level code is analysed like a function body
        if function.type not in ("function_definition", "module"):
            return
        name = ctx.text(receiver)
        fact = fact_of(receiver)
        if fact is None or fact.kind != "list":
            return
        if known_small(receiver):
            return  # fixed data: a display of constants that no loop adds to
        if receiver.type == "attribute" and _attribute_changed_in(loop, receiver):
            return  # the loop may change `self.x` (or a method it calls may)
        values = (bindings_of(function, name) or []) if receiver.type == "identifier" else []
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
