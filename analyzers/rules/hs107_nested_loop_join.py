"""HS107: ``for a in A: for b in B: if a.k == b.k`` — a join done by comparing every pair."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.cold import in_cold_code
from hasten.analyzers.syntax.control import in_main_guard
from hasten.analyzers.syntax.loops import loop_body, loop_repeats, small_fixed_loop
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.scope import read_names, target_names
from hasten.analyzers.syntax.tree import walk


def equality_conjuncts(condition: Node) -> list[Node]:
    """``x == y`` comparisons that must all hold for ``condition`` (the operands of ``and``)."""
    while condition.type == "parenthesized_expression" and condition.named_child_count == 1:
        condition = condition.named_children[0]
    if condition.type == "boolean_operator":
        op = condition.child_by_field_name("operator")
        if op is not None and op.type == "and":
            return equality_conjuncts(condition.child_by_field_name("left")) + equality_conjuncts(
                condition.child_by_field_name("right")
            )
        return []
    if condition.type == "comparison_operator" and condition.named_child_count == 2:
        ops = [c.type for c in condition.children if not c.is_named]
        if ops == ["=="]:
            return [condition]
    return []


def key_side(node: Node) -> set[str] | None:
    """Names a key expression reads; None when it calls anything (a call may cost or change
    state, so indexing it once is not obviously the same)."""
    if any(n.type in ("call", "await") for n in walk(node)):
        return None
    return read_names(node)


def join_comparison(condition: Node, outer: set[str], inner: set[str]) -> Node | None:
    for comparison in equality_conjuncts(condition):
        left, right = comparison.named_children
        left_names, right_names = key_side(left), key_side(right)
        if left_names is None or right_names is None:
            continue
        if (left_names & outer and not left_names & inner and right_names & inner and not right_names & outer) or (
            right_names & outer and not right_names & inner and left_names & inner and not left_names & outer
        ):
            return comparison
    return None


def skips_pair(test: Node) -> bool:
    """``if i == j: continue`` (no ``else``): the comparison skips one pair, it joins nothing."""
    body = test.child_by_field_name("consequence")
    if body is None or test.child_by_field_name("alternative") is not None:
        return False
    statements = [c for c in body.named_children if c.type != "comment"]
    return len(statements) == 1 and statements[0].type in ("continue_statement", "pass_statement")


def fills_table(test: Node, outer: set[str], inner: set[str]) -> bool:
    """The ``if`` writes a table cell indexed by both loop variables (``dp[i][j] = ...``): a
    dynamic-programming fill that visits every pair by design, whatever the comparison."""
    for node in walk(test):
        if node.type not in ("assignment", "augmented_assignment"):
            continue
        target = node.child_by_field_name("left")
        if target is None or target.type != "subscript":
            continue
        names = read_names(target) or set()
        if names & outer and names & inner:
            return True
    return False


def works_on_every_item(block: Node | None) -> bool:
    """The inner loop's body does more than the join's ``if``: other statements run for the
    items that do not match (``if isinstance(c, Name) and c.name == k: break`` followed by checks
    on attributes), so an index on the key would not remove the scan over every item."""
    if block is None:
        return False
    return len([c for c in block.named_children if c.type != "comment"]) > 1


def first_statement(block: Node | None) -> Node | None:
    if block is None:
        return None
    return next((c for c in block.named_children if c.type != "comment"), None)


class NestedLoopJoin(Rule):
    code = "HS107"
    name = "nested-loop-join"
    family = "complexity"
    summary = "Nested loops join two collections by comparing every pair; index one side in a dict"
    what = """
Flags a loop nested in another loop (or a comprehension with two `for` clauses) whose body
starts with an `if` on an equality between a key of the outer item and a key of the inner
item — `for a in A: for b in B: if a.k == b.k:` — when the inner iterable does not depend on the
outer item (an inner window such as `range(i - k, i + k)` does) and neither key calls anything.
It stays silent on a diagonal skip (`if i == j: continue`), on a dynamic-programming fill whose
`if` writes a cell indexed by both loop variables (`dp[i][j] = ...`: every pair is visited by
design), when the inner loop does other work on every item besides that `if` (an index on the
key would not remove the scan), and in code that rarely runs (demos, pretty-printers, `input()`
loops, tkinter modules).
"""
    why = """
Comparing every pair costs O(|A|·|B|); indexing `B` by its key in a dict once costs O(|B|) and
each lookup O(1), so the join becomes O(|A| + |B|). Measured with
`benchmarks/rules/bench_hs107.py` on CPython 3.11: joining 1,000 orders to 1,000 customers with
nested loops takes about 80 ms, through a dict about 0.19 ms (≈430×); at 100 records the
gain is ≈15×.
"""
    example = """
def attach(orders, customers):
    for order in orders:
        for customer in customers:
            if order.customer_id == customer.id:
                order.customer = customer
"""
    use_instead = """
def attach(orders, customers):
    by_id = {}
    for customer in customers:
        by_id.setdefault(customer.id, []).append(customer)
    for order in orders:
        for customer in by_id.get(order.customer_id, ()):
            order.customer = customer
"""
    fix_safety = """
No fix is offered: the rewrite needs hashable keys, must keep duplicates and the inner order,
and changes the shape of the loop. The message suggests it.
"""
    preview_reason = """
On fresh code the joins the rule finds are mostly over tiny inner collections (the start symbols
of a grammar, the exceptions of one function); pooled with the earlier judgments it is below the
80% bar (docs/rules.md).
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW
    aliases = ()
    node_types = ("for_statement", "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression")

    def visit(self, node: Node, ctx: Context) -> None:
        if node.type == "for_statement":
            self._statement(node, ctx)
        else:
            self._comprehension(node, ctx)

    def _statement(self, outer: Node, ctx: Context) -> None:
        if not loop_repeats(outer) or small_fixed_loop(outer) or in_main_guard(outer) or in_cold_code(outer):
            return
        body = loop_body(outer)
        if body is None:
            return
        outer_names = target_names(outer.child_by_field_name("left"))
        # Names the outer body computes before an inner loop depend on the outer item: an inner
        # ``range(lo, hi)`` over them is a window around it (``lo = max(0, i - k)``), not a join.
        per_item: set[str] = set()
        for inner in body.named_children:
            if inner.type == "expression_statement":
                assignment = inner.named_children[0] if inner.named_children else None
                if assignment is not None and assignment.type == "assignment":
                    per_item |= target_names(assignment.child_by_field_name("left"))
                continue
            if inner.type != "for_statement" or not loop_repeats(inner):
                continue
            inner_names = target_names(inner.child_by_field_name("left"))
            iterable = read_names(inner.child_by_field_name("right"))
            if iterable is None or iterable & (outer_names | per_item) or not inner_names or not outer_names:
                continue
            if iterable & mutated_names(outer) or small_fixed_loop(inner):
                continue  # the inner collection changes as the loop runs: not a plain join
            test = first_statement(loop_body(inner))
            if test is None or test.type != "if_statement" or works_on_every_item(loop_body(inner)):
                continue
            if skips_pair(test) or fills_table(test, outer_names, inner_names):
                continue
            comparison = join_comparison(test.child_by_field_name("condition"), outer_names, inner_names)
            if comparison is not None:
                self._report(ctx, comparison, inner)

    def _comprehension(self, node: Node, ctx: Context) -> None:
        clauses = [c for c in node.named_children if c.type in ("for_in_clause", "if_clause")]
        fors = [c for c in clauses if c.type == "for_in_clause"]
        if len(fors) != 2 or small_fixed_loop(node) or in_main_guard(node) or in_cold_code(node):
            return
        outer_names = target_names(fors[0].child_by_field_name("left"))
        inner_names = target_names(fors[1].child_by_field_name("left"))
        iterable = read_names(fors[1].child_by_field_name("right"))
        if iterable is None or iterable & outer_names:
            return
        after_inner = clauses[clauses.index(fors[1]) + 1 :]
        for clause in after_inner:
            condition = next((c for c in clause.named_children if c.type != "comment"), None)
            if condition is None:
                continue
            comparison = join_comparison(condition, outer_names, inner_names)
            if comparison is not None:
                self._report(ctx, comparison, fors[1])
                return

    def _report(self, ctx: Context, comparison: Node, inner: Node) -> None:
        iterable = inner.child_by_field_name("right")
        text = ctx.text(iterable)
        label = f"`{text}`" if len(text) <= 40 and "\n" not in text and not text.startswith("range(") else "the inner collection"
        message = f"Nested loops compare every pair to join on `{ctx.text(comparison)}`; index {label} by its key in a dict once instead" if len(ctx.text(comparison)) <= 60 else f"Nested loops compare every pair to join on equal keys; index {label} by its key in a dict once instead"
        ctx.report(comparison, message)
