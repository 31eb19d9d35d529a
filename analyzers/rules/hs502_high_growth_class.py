"""HS502: a function whose estimated growth is at or above ``metrics.growth-min``."""

from __future__ import annotations

from hasten.analyzers.finding import Severity
from hasten.analyzers.metrics import (
    QUADRATIC,
    estimator_for,
    parse_growth,
    qualified_name,
)
from hasten.analyzers.rule import Context, FixAvailability, Reads, Rule, Status
from tree_sitter import Node

# The threshold when HS502 is selected but `growth-min` is not set.
DEFAULT_THRESHOLD = QUADRATIC


class HighGrowthClass(Rule):
    code = "HS502"
    name = "high-growth-class"
    family = "metrics"
    summary = "Function's estimated growth is at or above the configured class"
    what = """
Flags a function whose estimated growth (see docs/metrics.md) is at or above
`[tool.hasten.metrics] growth-min` (the editor setting `hasten.metrics.growthMin`), one of
`O(n)`, `O(n log n)`, `O(n^2)`, `O(n^3)`, `O(2^n)`. Off unless selected: `select = ["HS502"]`;
selected without a `growth-min`, it reports O(n²) and above. The message names the lines that
justify the estimate: the loops and the costly operations inside them. A function whose growth is
unknown (a `while True` loop, say) is reported only when the parts that can be read already reach
the threshold.
"""
    why = """
The estimate reads loop nesting and the known cost of operations (`x in list`, `.index`,
`.pop(0)`, slicing, `sorted`, string `+=`, recursion) from the code; it does not run it. On the
ENAMEL tasks (docs/benchmarks.md, "Growth estimates") it agrees with the measured growth class of
most solutions, within one class for most of the rest. A quadratic function is often fine for
small inputs; the finding is a prompt to check the input sizes you expect.
"""
    example = """
def common(a, b):
    return [x for x in a if x in b and b.count(x) == 1]
"""
    use_instead = """
from collections import Counter


def common(a, b):
    counts = Counter(b)
    return [x for x in a if counts[x] == 1]
"""
    fix_safety = """
There is no fix: the growth comes from the algorithm. The rules of the complexity family (HS1xx)
offer rewrites for the individual patterns.
"""
    fix_availability = FixAvailability.NEVER
    status = Status.STABLE
    severity = Severity.INFORMATION
    default_enabled = False
    # The estimate follows calls to other functions of the file, and the message names lines:
    # the server re-checks it on the whole file rather than per definition.
    reads = frozenset({Reads.CONFIG, Reads.METRICS, Reads.MODULE})
    aliases = ()
    node_types = ("function_definition",)

    def visit(self, node: Node, ctx: Context) -> None:
        configured = ctx.config.metrics.growth_min
        threshold = parse_growth(configured) if configured else DEFAULT_THRESHOLD
        if threshold is None:
            return
        growth = estimator_for(ctx.source).growth(node)
        if growth.cost is not None:
            if growth.cost < threshold:
                return
            what = f"grows as {growth.cost.label()}"
        elif growth.at_least is not None and growth.at_least >= threshold:
            what = f"grows as at least {growth.at_least.label()} (the rest is unknown)"
        else:
            return
        numbers = sorted({r.line for r in growth.reasons})
        lines = ("line " if len(numbers) == 1 else "lines ") + ", ".join(map(str, numbers[:5])) if numbers else ""
        message = f"`{qualified_name(node)}` {what}, at or above {threshold.label()}" + (f" ({lines})" if lines else "")
        name = node.child_by_field_name("name") or node
        ctx.report(
            name,
            message,
            extra={"growth": growth.label(ascii=True), "reasons": [r.to_json() for r in growth.reasons]},
        )
