"""HS501: a function whose cyclomatic complexity is above ``metrics.complexity-max`` (15)."""

from __future__ import annotations

from hasten.analyzers.finding import Severity
from hasten.analyzers.metrics import cc_rank, qualified_name, tree_sitter_complexity
from hasten.analyzers.rule import Context, FixAvailability, Reads, Rule, Status
from tree_sitter import Node


class HighCyclomaticComplexity(Rule):
    code = "HS501"
    name = "high-cyclomatic-complexity"
    family = "metrics"
    summary = "Function's cyclomatic complexity is above the configured limit"
    what = """
Flags a function (method, nested function) whose cyclomatic complexity, as radon computes it, is
above `[tool.hasten.metrics] complexity-max` (the editor setting `hasten.metrics.complexityMax`),
15 by default. The count is 1 plus one for each `if`/`elif`, conditional expression, loop (and
its `else`), `except` clause, `try`'s `else`, boolean operator, comprehension clause, `assert`
and refutable `case`. When Python cannot parse the file, the same count is taken from the
tree-sitter tree. Off unless selected: `select = ["HS501"]`.
"""
    why = """
This is not a speed measurement. Functions with many branches are hard to read, to test and to
optimize: each path needs its own test before a rewrite can be proven safe, and radon ranks
complexity above 20 as C or worse. Splitting the function makes the hot path visible, so the other
rules and `hasten verify` can work on it.
"""
    example = """
def shipping(order):
    if order.express:
        if order.weight > 10:
            return 30
        return 20
    elif order.country == "FR":
        return 5
    elif order.country in ("DE", "IT"):
        return 8
    return 12
"""
    use_instead = """
RATES = {"FR": 5, "DE": 8, "IT": 8}


def shipping(order):
    if order.express:
        return 30 if order.weight > 10 else 20
    return RATES.get(order.country, 12)
"""
    fix_safety = """
There is no fix: splitting a function is a design decision.
"""
    fix_availability = FixAvailability.NEVER
    status = Status.STABLE
    severity = Severity.INFORMATION
    default_enabled = False
    reads = frozenset({Reads.CONFIG, Reads.METRICS})
    aliases = ("C901",)
    node_types = ("function_definition",)

    def visit(self, node: Node, ctx: Context) -> None:
        limit = ctx.config.metrics.complexity_max
        # The tree-sitter count equals radon's (tests/metrics/test_radon_parity.py) and needs only
        # this function, so the server can check it per definition while the user types.
        complexity = tree_sitter_complexity(node)
        if complexity <= limit:
            return
        rank = cc_rank(complexity)
        name = node.child_by_field_name("name") or node
        ctx.report(
            name,
            f"`{qualified_name(node)}` has cyclomatic complexity {complexity} (rank {rank}), above the limit of {limit}",
            extra={"complexity": complexity, "rank": rank, "limit": limit},
        )
