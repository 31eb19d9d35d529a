"""HS112: ``set(data)``, ``list(data)``, ``dict(data)``... rebuilt inside a loop that never changes ``data``."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import fresh_name, insert_statement_before, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_arguments
from hasten.analyzers.syntax.comments import has_comment
from hasten.analyzers.syntax.loops import hoist_target, invariant_data_names, loop_repeats, repeated_loop
from hasten.analyzers.syntax.tree import enclosing_function, enclosing_scope, statement_of, walk

CONVERSIONS = frozenset({"set", "frozenset", "list", "tuple", "dict"})


def consumed_by_scan(node: Node) -> bool:
    """True when the converted value is only searched on the spot: the container of an ``in``
    test. (Iterating a fresh copy costs no more than the iteration itself: not flagged.)"""
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "comparison_operator" and parent.named_child_count == 2 and parent.named_children[1] == node:
        ops = [c.type for c in parent.children if not c.is_named]
        return ops in (["in"], ["not", "in"], ["not in"])
    return False


class InvariantConversionInLoop(Rule):
    code = "HS112"
    name = "invariant-conversion-in-loop"
    family = "complexity"
    summary = "Container rebuilt from unchanged data on every iteration"
    what = """
Flags `set(data)`, `frozenset(data)`, `list(data)`, `tuple(data)` and `dict(data)` inside a loop
when `data` is a local name (or its `.keys()`, `.values()`, `.items()`) that the loop neither
rebinds nor changes, and the new container is only searched on the spot: the right side of an
`in` test. Copies that are kept (assigned, mutated, returned) are not flagged, since a fresh
copy per iteration is then usually intended, nor copies that are iterated, since the copy costs
no more than the iteration itself (measured: ≈1.0×).
"""
    why = """
Building the container copies all of `data` on every iteration: O(n·m) for a loop of *n*
iterations over *m* items. For `x in set(data)` it is worse than no set at all, since building
the set costs more than one scan of the list. Measured with `benchmarks/rules/bench_hs112.py`
on CPython 3.11: 1,000 membership tests against `set(words)` rebuilt each time take about
23 ms; with the set built once, about 0.04 ms (≈630×); at 100 items the gain is ≈42×.
"""
    example = """
def allowed(requests, roles):
    return [r for r in requests if r.role in set(roles)]
"""
    use_instead = """
def allowed(requests, roles):
    roles_set = set(roles)
    return [r for r in requests if r.role in roles_set]
"""
    fix_safety = """
The fix is unsafe: the container is built before the loop, so it is built even when the loop
body would not have run (and `set()` of unhashable items then raises where the original did
not), and it assumes no other reference to the data changes it while the loop runs.
"""
    preview_reason = """
Judged on fresh code only twice, once on the few definitions of one name: below the 80% bar
pooled (docs/rules.md).
"""
    fix_availability = FixAvailability.SOMETIMES
    status = Status.PREVIEW
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        func = node.child_by_field_name("function")
        if func is None or func.type != "identifier" or func.text.decode() not in CONVERSIONS:
            return
        if not consumed_by_scan(node):
            return
        if repeated_loop(node) is None:
            return
        function = enclosing_function(node)
        if function is None:
            return
        args, keywords = call_arguments(node, plain=True)
        if args is None or keywords or len(args) != 1:
            return
        names = invariant_data_names(node, function)  # also checks the builtin is not shadowed
        if not names:
            return
        target = hoist_target(node, names)
        if target is None or not loop_repeats(target):
            return
        kind = func.text.decode()
        message = f"`{ctx.text(node)}` builds a new {kind} on every iteration from data the loop does not change; build it once before the loop"
        ctx.report(node, message, self._fix(node, ctx, kind, args[0], target))

    def _fix(self, node, ctx, kind, data, target):
        if has_comment(node) or "\n" in ctx.text(node):
            return None
        stem = next((n for n in walk(data) if n.type == "identifier" and n.parent is not None and n.parent.type != "call"), None)
        base = ctx.text(stem) if stem is not None else "data"
        scope = enclosing_scope(node)
        new_name = fresh_name(scope, f"{base}_{kind}")
        text = ctx.text(node)
        insert = insert_statement_before(ctx.source, statement_of(target), f"{new_name} = {text}")
        if insert is None:
            return None
        edits = [insert]
        for other in walk(target):
            if other.type == "call" and ctx.text(other) == text and enclosing_scope(other) == scope and consumed_by_scan(other):
                edits.append(replace_node(other, new_name))
        return make_fix(f"Build `{new_name} = {text}` once before the loop", edits, Applicability.UNSAFE)
