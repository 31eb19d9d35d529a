"""HS102: ``list.pop(0)`` / ``list.insert(0, x)`` in a loop: a list used as a queue."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rewrite import module_import_edit, node_has_comment
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_arguments, call_name, method_call
from hasten.analyzers.syntax.loops import bound_anew, enclosing_loops
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.factdocs import list_facts_doc, size_facts_doc
from hasten.analyzers.syntax.facts import fact_of, fixed_small_list
from hasten.analyzers.syntax.sizes import size_evidence
from hasten.analyzers.syntax.scope import bindings_of, bound_names, name_uses
from hasten.analyzers.syntax.tree import enclosing_scope, strip_parens
from hasten.analyzers.syntax.values import integer_value, is_list_value

# Methods a deque shares with list, with the same meaning.
SHARED_METHODS = frozenset({"append", "extend", "clear", "count", "index", "remove", "reverse"})
# Builtins that treat a deque exactly like a list (they only iterate, index or measure it).
ITERATING_BUILTINS = frozenset(
    {"len", "sorted", "list", "tuple", "set", "frozenset", "sum", "min", "max", "any", "all", "bool", "enumerate", "zip", "map", "filter"}
)

SAFE, UNSAFE, NO_FIX = 0, 1, 2


def _front_call(node: Node) -> tuple[str, str] | None:
    """(list name, "pop" | "insert") for ``name.pop(0)`` / ``name.insert(0, x)``."""
    mc = method_call(node)
    if mc is None:
        return None
    receiver, method, _ = mc
    if method not in ("pop", "insert"):
        return None
    if receiver.type != "identifier" and not _self_attribute(receiver):
        return None
    args, keywords = call_arguments(node)
    if args is None or keywords or len(args) != (1 if method == "pop" else 2) or integer_value(args[0]) != 0:
        return None
    return receiver.text.decode(), method


def _self_attribute(node: Node) -> bool:
    obj = node.child_by_field_name("object") if node.type == "attribute" else None
    return obj is not None and obj.type == "identifier" and obj.text == b"self"


def _in_condition(node: Node) -> bool:
    """``node``'s value is only tested for truth (``while q``, ``if not q and x``)."""
    child, parent = node, node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "not_operator", "boolean_operator"):
        if parent.type == "not_operator":
            return True
        child, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type in ("while_statement", "if_statement", "elif_clause", "conditional_expression"):
        if parent.type == "conditional_expression":
            kids = parent.named_children
            return len(kids) == 3 and kids[1] == child
        return parent.child_by_field_name("condition") == child
    return False


def _classify_use(use: Node, name: str, scope: Node) -> int:
    """How one mention of the list constrains a switch to ``collections.deque``."""
    parent = use.parent
    if parent is None:
        return NO_FIX
    # Method calls: `q.method(...)`.
    if parent.type == "attribute" and parent.child_by_field_name("object") == use:
        call = parent.parent
        if call is None or call.type != "call" or call.child_by_field_name("function") != parent:
            return NO_FIX
        method = parent.child_by_field_name("attribute").text.decode()
        if _front_call(call) is not None or method in SHARED_METHODS:
            return SAFE
        if method == "pop":
            args = call_arguments(call, plain=True)[0]
            if args == [] or (args is not None and len(args) == 1 and integer_value(args[0]) == -1):
                return SAFE
        return NO_FIX  # sort(), copy(), insert(i, x), pop(i): a deque lacks them or is slow there
    # Plain binding targets are handled by the caller.
    if parent.type == "assignment" and parent.child_by_field_name("left") == use:
        return SAFE
    if _in_condition(use):
        return SAFE
    if parent.type == "comparison_operator":
        kids = parent.named_children
        ops = [c.type for c in parent.children if not c.is_named]
        if len(kids) == 2 and kids[1] == use and ops in (["in"], ["not", "in"], ["not in"]):
            return SAFE
        return NO_FIX  # `q == [...]` is False for a deque
    if parent.type == "subscript" and parent.child_by_field_name("value") == use:
        index = parent.child_by_field_name("subscript")
        return NO_FIX if index is None or index.type == "slice" else SAFE
    if parent.type == "argument_list":
        call = parent.parent
        name_called = call_name(call) if call is not None else None
        if name_called in ITERATING_BUILTINS and len(parent.named_children) >= 1:
            return SAFE
        return UNSAFE  # the callee (print, json.dumps, a caller's code) may see the type change
    if parent.type in ("for_statement", "for_in_clause") and parent.child_by_field_name("right") == use:
        region = parent if parent.type == "for_statement" else parent.parent
        # A list tolerates changes while it is iterated; a deque raises RuntimeError.
        return NO_FIX if name in mutated_names(region) else SAFE
    if parent.type in ("binary_operator", "augmented_assignment"):
        return NO_FIX  # `q + [x]` raises for a deque
    return UNSAFE  # returned, stored, formatted: the caller would get a deque


def _used_as_queue(scope: Node, name: str, method: str) -> bool:
    """``pop(0)`` consumes a queue. ``insert(0, x)`` alone only builds a list back to front (a
    handful of path parts, usually); it is a queue when something also takes items off."""
    if method == "pop":
        return True
    for use in name_uses(scope, name):
        parent = use.parent
        if parent is not None and parent.type == "attribute" and parent.child_by_field_name("object") == use:
            attr = parent.child_by_field_name("attribute").text.decode()
            if attr in ("pop", "popleft", "remove", "clear"):
                return True
    return False


class ListPopFrontInLoop(Rule):
    code = "HS102"
    name = "list-pop-front-in-loop"
    family = "complexity"
    summary = "`list.pop(0)` / `list.insert(0, x)` in a loop shifts every element: use `collections.deque`"
    what = """
Flags `items.pop(0)` inside a loop, and `items.insert(0, x)` inside a loop when items are also
taken off the list (`pop`, `remove`), when `items` (a name or `self.items`) is known to be a list (see "Facts it uses"): the list
is being used as a queue. A list only built back to front with `insert(0, x)` is not flagged.
"""
    why = """
Removing or inserting at the front of a list moves every other element, so draining or filling
a queue of n items this way costs O(n²). `collections.deque` does both ends in O(1). Measured
with `benchmarks/rules/bench_hs102.py` on CPython 3.11: draining a 1,000-element queue takes 60 µs with `pop(0)` and
26 µs with a deque built from the list (≈2.3×; 1.5× at 100 elements), and prepending 1,000
items with `insert(0, x)` is ≈6× slower than `appendleft` (2.3× at 100). The gap grows with the
queue's length.
"""
    example = """
def bfs(graph, start):
    seen = {start}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
"""
    use_instead = """
import collections


def bfs(graph, start):
    seen = {start}
    queue = collections.deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
"""
    fix_safety = """
The fix turns every binding of the list into a `collections.deque`, `pop(0)` into
`popleft()` and `insert(0, x)` into `appendleft(x)`, and adds `import collections` if needed.
It is safe when every other use of the list behaves the same on a deque: `append`, `extend`,
`pop()`, `len`, truth tests, `in`, indexing, and iteration by loops that do not change it.
It is unsafe when the list leaves the function or is printed (returned, stored, passed to other
code: they would see a deque, whose `repr` and `==` differ) or has a type annotation. No fix is
offered when the list is sliced, sorted, copied, added to another list, compared, changed while
being iterated, or when a comment sits inside a replaced call.
"""
    facts = list_facts_doc("queue") + size_facts_doc("queue")
    preview_reason = """
Judged precision on real code is below 80%: 1 of 8 hits on the tuned corpus was worth fixing (a
BFS over a grid table); the others drain the few encoded words of one header or the few messages
of one node. The held-out packages gave no hit. Queues of real size (BFS, work lists) are found,
but the code does not say how long a queue gets.
"""
    fix_availability = FixAvailability.SOMETIMES
    # Judged 1 of 8 hits worth fixing with the size facts (no hit on the held-out packages):
    # benchmarks/precision/README.md, "Size facts".
    status = Status.PREVIEW
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        front = _front_call(node)
        if front is None:
            return
        name, method = front
        loops = enclosing_loops(node)
        if not loops:
            return
        receiver = method_call(node)[0]
        fact = fact_of(receiver)
        if fact is None or fact.kind != "list":
            return
        if size_evidence(receiver) is None:
            return  # nothing says the queue can be long: a few fixed items taken off
        scope = enclosing_scope(node)
        if receiver.type == "attribute":
            if method != "pop":
                return
            message = f"{fact.source}: `{name}.pop(0)` in a loop shifts every element of the list: use `collections.deque` and `popleft()`"
            ctx.report(node, message, None)
            return
        if scope.type not in ("function_definition", "module"):
            return
        if bound_anew(node, loops[0], name):
            return  # a new list on every pass (`lines = f.readlines(); lines.pop(0)`): one shift per list
        values = bindings_of(scope, name)
        if fixed_small_list(scope, name):
            return  # a few fixed items taken off: constant work
        if not _used_as_queue(scope, name, method):
            return
        proven_here = bool(values) and all(is_list_value(v) for v in values)
        source = "" if proven_here else f"{fact.source}: "
        message = (
            f"{source}`{name}.pop(0)` in a loop shifts every element of the list: use `collections.deque` and `popleft()`"
            if method == "pop"
            else f"{source}`{name}.insert(0, ...)` in a loop shifts every element of the list: use `collections.deque` and `appendleft()`"
        )
        fix = self._fix(ctx, scope, name, values) if proven_here and scope.type == "function_definition" else None
        ctx.report(node, message, fix)

    def _fix(self, ctx: Context, scope: Node, name: str, values: list[Node]):
        source = ctx.source
        verdict = SAFE
        for use in name_uses(scope, name):
            verdict = max(verdict, _classify_use(use, name, scope))
            if verdict == NO_FIX:
                return None
        body = scope.child_by_field_name("body")
        if body is None or "collections" in bound_names(body):
            return None
        import_edit, ok = module_import_edit(source, "collections")
        if not ok:
            return None
        edits: list[Edit] = [] if import_edit is None else [import_edit]
        for value in values:
            if node_has_comment(source, value):
                return None
            assign = value.parent
            if assign is not None and assign.child_by_field_name("type") is not None:
                verdict = UNSAFE  # `q: list[int] = []` would now hold a deque
            inner = strip_parens(value)
            if inner.type == "list" and inner.named_child_count == 0:
                text = "collections.deque()"
            elif inner.type == "call" and call_name(inner) == "list":
                text = f"collections.deque{ctx.text(inner.child_by_field_name('arguments'))}"
            else:
                text = f"collections.deque({ctx.text(value)})"
            edits.append(Edit(value.start_byte, value.end_byte, text))
        for use in name_uses(scope, name):
            parent = use.parent
            if parent is None or parent.type != "attribute" or parent.parent is None:
                continue
            call = parent.parent
            front = _front_call(call) if call.type == "call" else None
            method = parent.child_by_field_name("attribute")
            if front is None:
                args = call_arguments(call, plain=True)[0] if call.type == "call" else None
                if method.text.decode() == "pop" and args is not None and len(args) == 1:  # pop(-1)
                    arguments = call.child_by_field_name("arguments")
                    if node_has_comment(source, arguments):
                        return None
                    edits.append(Edit(arguments.start_byte, arguments.end_byte, "()"))
                continue
            if node_has_comment(source, call):
                return None
            if front[1] == "pop":
                edits.append(Edit(method.start_byte, call.end_byte, "popleft()"))
            else:
                item = call_arguments(call)[0][1]
                edits.append(Edit(method.start_byte, call.end_byte, f"appendleft({ctx.text(item)})"))
        applicability = Applicability.SAFE if verdict == SAFE else Applicability.UNSAFE
        return make_fix("Use `collections.deque` with `popleft()`/`appendleft()`", edits, applicability)
