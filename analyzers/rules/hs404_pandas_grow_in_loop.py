"""HS404: ``df = pd.concat([df, row])`` or ``df = df._append(row)`` inside a loop."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.edits import name_assigned_a_call
from hasten.analyzers.syntax.imports import from_imports, module_aliases, module_attribute, source_mentions
from hasten.analyzers.syntax.loops import enclosing_loops


class PandasGrowInLoop(Rule):
    code = "HS404"
    name = "pandas-grow-in-loop"
    family = "data"
    summary = "Growing a DataFrame in a loop copies it every time (quadratic)"
    what = """
Flags `df = pd.concat([df, ...])` and `df = df.append(...)` / `df = df._append(...)` inside a
loop, in a file that imports pandas.
"""
    why = """
`concat` and `append` build a new DataFrame and copy every existing row into it, so a loop of
*n* iterations copies O(n²) rows, with tens of microseconds of per-call overhead on top.
Collecting the pieces in a list and calling `pd.concat` once copies each row once. Measured with
`benchmarks/rules/bench_hs404.py` on CPython 3.11 with pandas 3.1: adding 1,000 one-row frames
takes about 330 ms with `concat` in the loop and 43 ms with one `concat` of a list (≈7.7×
faster; ≈15× at 100).
"""
    example = """
import pandas as pd

def load(batches):
    df = pd.DataFrame()
    for batch in batches:
        df = pd.concat([df, pd.DataFrame(batch)])
    return df
"""
    use_instead = """
import pandas as pd

def load(batches):
    frames = [pd.DataFrame(batch) for batch in batches]
    return pd.concat(frames)
"""
    fix_safety = """
No automatic fix: the rewrite needs a new list and a `concat` after the loop, and the loop body
may read the growing frame.
"""
    preview_reason = """
On held-out code three of four `pd.concat` calls in a loop were in example apps (demo code); the
fourth, once per row to predict, was worth fixing. Pooled below the 80% bar (docs/rules.md).
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW
    aliases = ()
    node_types = ("assignment",)

    def visit(self, node: Node, ctx: Context) -> None:
        if not source_mentions(ctx.source, b"pandas"):
            return
        assigned = name_assigned_a_call(node)
        if assigned is None:
            return
        name, right = assigned
        what = None
        mc = method_call(right)
        if mc is not None and mc[1] in ("append", "_append") and mc[0].type == "identifier" and ctx.text(mc[0]) == name:
            if not (module_aliases(node, "pandas") or from_imports(node, "pandas")):
                return
            what = f"{name}.{mc[1]}"
        else:
            func = right.child_by_field_name("function")
            concat = False
            if func is not None and func.type == "identifier":
                concat = from_imports(node, "pandas").get(ctx.text(func)) == "concat"
            elif func is not None:
                concat = module_attribute(func, module_aliases(node, "pandas")) == "concat"
            if not concat:
                return
            args = right.child_by_field_name("arguments")
            first = next((a for a in args.named_children if a.type not in ("comment",)), None) if args else None
            if first is None or first.type not in ("list", "tuple"):
                return
            if not any(p.type == "identifier" and ctx.text(p) == name for p in first.named_children):
                return
            what = ctx.text(func)
        if not enclosing_loops(node):
            return
        ctx.report(node, f"`{what}` in a loop copies `{name}` every time; collect the pieces in a list "
                         "and concatenate once after the loop")
