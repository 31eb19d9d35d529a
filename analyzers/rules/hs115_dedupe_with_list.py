"""HS115: ``if x not in seen: seen.append(x)`` — deduplicating with a list."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import fresh_name, insert_statement_after, insert_statement_before, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.comments import has_comment
from hasten.analyzers.syntax.factdocs import list_facts_doc, size_facts_doc
from hasten.analyzers.syntax.facts import fact_of
from hasten.analyzers.syntax.loops import has_yield_or_await, loop_body, repeated_loop
from hasten.analyzers.syntax.scope import bindings_of, name_uses, read_names
from hasten.analyzers.syntax.sizes import loop_size_evidence, size_evidence
from hasten.analyzers.syntax.tree import enclosing_scope, statement_of, walk
from hasten.analyzers.syntax.values import is_list_value


def not_in_parts(condition: Node) -> tuple[Node, Node] | None:
    while condition.type == "parenthesized_expression":
        inner = [c for c in condition.named_children if c.type != "comment"]
        if len(inner) != 1:
            return None
        condition = inner[0]
    operands = [c for c in condition.named_children if c.type != "comment"]
    if condition.type != "comparison_operator" or len(operands) != 2:
        return None
    ops = [c.type for c in condition.children if not c.is_named]
    if ops not in (["not", "in"], ["not in"]):
        return None
    return operands[0], operands[1]


def append_statement(block: Node, name: str, element: str) -> Node | None:
    """The statement ``name.append(element)`` directly in ``block``."""
    for statement in block.named_children:
        if statement.type != "expression_statement" or statement.named_child_count != 1:
            continue
        parts = method_call(statement.named_children[0])
        if parts is None:
            continue
        receiver, method, args = parts
        if receiver.type in ("identifier", "attribute") and receiver.text.decode() == name and method == "append":
            values = [a for a in args.named_children if a.type != "comment"]
            if len(values) == 1 and values[0].text.decode() == element:
                return statement
    return None


class DedupeWithList(Rule):
    code = "HS115"
    name = "dedupe-with-list"
    family = "complexity"
    summary = "Deduplicating with a list: each `not in` test scans everything kept so far"
    what = """
Flags `if x not in seen: seen.append(x)` inside a loop when `seen` (a name or
`self.seen`) is known to be a list (see "Facts it uses"), i.e. keeping the first occurrence of each item with a list as the record of what was
seen.
"""
    why = """
The `not in` test scans the list, which grows to the number of distinct items *d*, so the loop
costs O(n·d). Keeping a set alongside makes each test O(1) and keeps the list's order.
Measured with `benchmarks/rules/bench_hs115.py` on CPython 3.11: deduplicating 2,000 items
(1,000 distinct) with a list takes about 9.4 ms, with a set alongside about 0.05 ms (≈180×);
at 200 items the gain is ≈10×.
"""
    example = """
def unique(items):
    seen = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return seen
"""
    use_instead = """
def unique(items):
    seen = []
    seen_set = set(seen)
    for x in items:
        if x not in seen_set:
            seen.append(x)
            seen_set.add(x)
    return seen
"""
    fix_safety = """
The fix is unsafe: a set needs hashable items (a list of lists raises `TypeError`), and it
compares by hash and equality rather than equality alone (`1`, `1.0` and `True` are one set
member, as they are equal in the list too, but objects whose `__eq__` and `__hash__` disagree
behave differently). When the items are all hashable, `list(dict.fromkeys(items))` is shorter
still.
"""
    status = Status.PREVIEW
    facts = list_facts_doc("kept list") + size_facts_doc("loop (or the kept list)")
    preview_reason = """
Judged precision on real code is below 80%: 5 of 10 hits on the tuned corpus were worth fixing
(PATH-like variables, a generic `uniq`, the jump labels of a code object), 0 of 1 on the tuning
packages and 0 of 2 on the held-out ones (a model's few decorators); pooled 5 of 13. Most dedupe loops in libraries keep a
few type parameters, language codes or constraints.
"""
    fix_availability = FixAvailability.SOMETIMES
    aliases = ()
    node_types = ("if_statement",)

    def visit(self, node: Node, ctx: Context) -> None:
        condition = node.child_by_field_name("condition")
        parts = not_in_parts(condition) if condition is not None else None
        if parts is None:
            return
        element, container = parts
        if container.type not in ("identifier", "attribute"):
            return
        consequence = node.child_by_field_name("consequence")
        name = ctx.text(container)
        append = append_statement(consequence, name, ctx.text(element)) if consequence is not None else None
        if append is None:
            return
        loop = repeated_loop(node)
        if loop is None:
            return
        function = enclosing_scope(node)  # module-level code is analysed like a function body
        if function.type not in ("function_definition", "module"):
            return
        fact = fact_of(container)
        if fact is None or fact.kind != "list":
            return
        if loop_size_evidence(loop) is None and size_evidence(container) is None:
            return  # a loop over a few fixed items keeps a few items
        values = bindings_of(function, name) if container.type == "identifier" else None
        if any(loop.start_byte <= v.start_byte < loop.end_byte for v in values or ()):
            return  # reset inside the loop
        fixable = bool(values) and all(is_list_value(v) for v in values) and function.type == "function_definition"
        source = "" if fixable else f"{fact.source}: "
        message = f"{source}`{ctx.text(element)} not in {name}` scans every item kept so far; keep a set alongside `{name}`"
        fix = self._fix(node, ctx, element, container, append, loop, function) if fixable else None
        ctx.report(condition, message, fix)

    def _fix(self, node, ctx, element, container, append, loop, function):
        name = ctx.text(container)
        if has_comment(node.child_by_field_name("condition")) or has_yield_or_await(loop):
            return None
        reads = read_names(element)
        if reads is None or any(n.type == "call" for n in walk(element)):
            return None  # the element is evaluated a third time by the fix
        uses = name_uses(loop, name)
        if len(uses) != 2 or node.parent is None or node.parent.type != "block" or node.parent.parent != loop:
            return None  # `seen` used or changed elsewhere in the loop, or the if is nested deeper
        if loop_body(loop) is None:
            return None
        set_name = fresh_name(function, f"{name}_set")
        before = insert_statement_before(ctx.source, statement_of(loop), f"{set_name} = set({name})")
        after = insert_statement_after(ctx.source, append, f"{set_name}.add({ctx.text(element)})")
        if before is None or after is None:
            return None
        edits = [before, replace_node(container, set_name), after]
        return make_fix(f"Keep `{set_name}` alongside `{name}` for the membership test", edits, Applicability.UNSAFE)
