"""HS403: ``for _, row in df.iterrows():`` doing arithmetic on the row's values."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.imports import from_imports, module_aliases, source_mentions
from hasten.analyzers.syntax.tree import strip_parens, walk_same_scope

_ARITHMETIC = frozenset({"+", "-", "*", "/", "//", "%", "**"})


def _imports_pandas(node: Node) -> bool:
    return bool(module_aliases(node, "pandas") or from_imports(node, "pandas"))


class IterrowsArithmetic(Rule):
    code = "HS403"
    name = "iterrows-arithmetic"
    family = "data"
    summary = "`DataFrame.iterrows()` loop doing arithmetic; use column (vectorised) operations"
    what = """
Flags `for index, row in df.iterrows():` loops whose body does arithmetic with the row's values
(`row["a"] * row["b"]`, `total += row.price`), in a file that imports pandas.
"""
    why = """
`iterrows` builds a new `Series` object for every row (with index and dtype handling), and each
`row["a"]` is a label lookup; column arithmetic runs one C loop per column. Measured with
`benchmarks/rules/bench_hs403.py` on CPython 3.11 with pandas 3.1: summing `price * quantity`
over a 1,000-row frame takes about 53 ms with `iterrows` and 0.074 ms with
`(df["price"] * df["quantity"]).sum()` (≈700× faster; ≈20× at 100 rows).
"""
    example = """
import pandas as pd

def revenue(df: pd.DataFrame) -> float:
    total = 0.0
    for _, row in df.iterrows():
        total += row["price"] * row["quantity"]
    return total
"""
    use_instead = """
import pandas as pd

def revenue(df: pd.DataFrame) -> float:
    return float((df["price"] * df["quantity"]).sum())
"""
    fix_safety = """
No automatic fix: the vectorised form depends on what the loop does with each result (sums,
new columns, conditions), and `iterrows` converts each row to one common dtype, which column
arithmetic does not.
"""
    preview_reason = """
Too few hits on real code to reach a judged precision of 80% (one of two judged hits).
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW  # judged precision 1/2 on real code (benchmarks/precision)
    aliases = ()
    node_types = ("for_statement",)

    def visit(self, node: Node, ctx: Context) -> None:
        if not source_mentions(ctx.source, b"pandas"):
            return
        iterable = node.child_by_field_name("right")
        target = node.child_by_field_name("left")
        body = node.child_by_field_name("body")
        if iterable is None or target is None or body is None:
            return
        mc = method_call(iterable)
        if mc is None or mc[1] != "iterrows" or mc[2].named_child_count != 0:
            return
        names = [c for c in target.named_children] if target.type in ("pattern_list", "tuple_pattern") else []
        if len(names) != 2 or names[1].type != "identifier":
            return
        row = ctx.text(names[1])
        if not _imports_pandas(node):
            return
        if not any(_row_arithmetic(ctx, n, row) for n in walk_same_scope(body)):
            return
        ctx.report(node, "`iterrows()` builds a Series per row; do the arithmetic on whole columns instead")


def _row_value(ctx: Context, node: Node, row: str) -> bool:
    node = strip_parens(node)
    if node.type in ("subscript", "attribute"):
        base = node.child_by_field_name("value") if node.type == "subscript" else node.child_by_field_name("object")
        return base is not None and base.type == "identifier" and ctx.text(base) == row
    mc = method_call(node)
    return mc is not None and mc[1] == "get" and mc[0].type == "identifier" and ctx.text(mc[0]) == row


def _row_arithmetic(ctx: Context, node: Node, row: str) -> bool:
    if node.type == "binary_operator":
        operator = node.child_by_field_name("operator")
        if operator is None or operator.type not in _ARITHMETIC:
            return False
        return _row_value(ctx, node.child_by_field_name("left"), row) or _row_value(
            ctx, node.child_by_field_name("right"), row
        )
    if node.type == "augmented_assignment":
        right = node.child_by_field_name("right")
        return right is not None and _row_value(ctx, right, row)
    return False
