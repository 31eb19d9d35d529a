"""HS406: ``for i in range(len(df)):`` reading or writing ``df.iloc[i]`` / ``df.loc[i, c]`` per row."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule
from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.imports import from_imports, module_aliases, source_mentions
from hasten.analyzers.syntax.tree import walk_same_scope

_INDEXERS = frozenset({"iloc", "loc", "at", "iat"})


def _frame_of_range(ctx: Context, iterable: Node) -> str | None:
    """``df`` for ``range(len(df))`` or ``range(df.shape[0])``."""
    if iterable.type != "call" or call_name(iterable) != "range":
        return None
    args = iterable.child_by_field_name("arguments")
    if args is None or args.type != "argument_list" or args.named_child_count != 1:
        return None
    bound = args.named_children[0]
    if bound.type == "call" and call_name(bound) == "len":
        inner = bound.child_by_field_name("arguments")
        if inner is not None and inner.named_child_count == 1 and inner.named_children[0].type == "identifier":
            return ctx.text(inner.named_children[0])
        return None
    text = ctx.text(bound).replace(" ", "")
    if text.endswith(".shape[0]") and text[: -len(".shape[0]")].isidentifier():
        return text[: -len(".shape[0]")]
    return None


class PositionalRowLoop(Rule):
    code = "HS406"
    name = "positional-row-loop"
    family = "data"
    summary = "Loop over row positions using `.iloc`/`.loc`/`.at` per row; use column operations"
    what = """
Flags `for i in range(len(df)):` (or `range(df.shape[0])`) loops whose body indexes the same
frame per row with the loop variable: `df.iloc[i]`, `df.loc[i, "a"]`, `df.at[i, "a"]`,
`df.iat[i, 0]`, in a file that imports pandas.
"""
    why = """
Every `.iloc[i]` builds a row `Series`; every `.loc`/`.at` goes through index lookup and type
checks, tens of microseconds per call. Column arithmetic does the whole loop in C. Measured with
`benchmarks/rules/bench_hs406.py` on CPython 3.11 with pandas 3.1: writing `price * quantity`
into a new column of a 1,000-row frame with `df.at[i, ...]` in a loop takes about 220 ms, with
`df["total"] = df["price"] * df["quantity"]` 0.4 ms (hundreds of times faster; ≈19× at 100
rows).
"""
    example = """
import pandas as pd

def totals(df: pd.DataFrame) -> pd.DataFrame:
    for i in range(len(df)):
        df.at[i, "total"] = df.at[i, "price"] * df.at[i, "quantity"]
    return df
"""
    use_instead = """
import pandas as pd

def totals(df: pd.DataFrame) -> pd.DataFrame:
    df["total"] = df["price"] * df["quantity"]
    return df
"""
    fix_safety = """
No automatic fix: the vectorised form depends on what the loop computes, and positional and label
indexing agree only on a default `RangeIndex`.
"""
    fix_availability = FixAvailability.NEVER
    aliases = ()
    node_types = ("for_statement",)

    def visit(self, node: Node, ctx: Context) -> None:
        if not source_mentions(ctx.source, b"pandas"):
            return
        target = node.child_by_field_name("left")
        iterable = node.child_by_field_name("right")
        body = node.child_by_field_name("body")
        if target is None or iterable is None or body is None or target.type != "identifier":
            return
        frame = _frame_of_range(ctx, iterable)
        if frame is None:
            return
        index = ctx.text(target)
        if not any(_row_access(ctx, n, frame, index) for n in walk_same_scope(body)):
            return
        if not (module_aliases(node, "pandas") or from_imports(node, "pandas")):
            return
        ctx.report(node, f"Loop indexes `{frame}` row by row; use whole-column operations (or `itertuples()`)")


def _row_access(ctx: Context, node: Node, frame: str, index: str) -> bool:
    """``frame.iloc[index]``, ``frame.loc[index, ...]``, ``frame.at[index, ...]``..."""
    if node.type != "subscript":
        return False
    value = node.child_by_field_name("value")
    if value is None or value.type != "attribute":
        return False
    obj = value.child_by_field_name("object")
    attr = value.child_by_field_name("attribute")
    if obj is None or attr is None or obj.type != "identifier" or ctx.text(obj) != frame or ctx.text(attr) not in _INDEXERS:
        return False
    subscripts = node.children_by_field_name("subscript")
    if not subscripts:
        return False
    first = subscripts[0]
    if first.type == "expression_list" and first.named_children:
        first = first.named_children[0]
    return first.type == "identifier" and ctx.text(first) == index
