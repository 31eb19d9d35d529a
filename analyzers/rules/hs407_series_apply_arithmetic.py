"""HS407: ``df["a"].apply(lambda x: x * 2 + 1)``: a Python call per element for plain arithmetic."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.imports import from_imports, module_aliases, numpy_function, source_mentions

_ARITHMETIC = frozenset({"+", "-", "*", "/", "//", "%", "**"})
# Element-wise NumPy functions of one argument, which accept a whole Series.
_UFUNCS = frozenset({"sqrt", "exp", "log", "log2", "log10", "abs", "absolute", "floor", "ceil", "square", "sign"})


def _vectorised(ctx: Context, node: Node, param: str, column: str) -> str | None:
    """``node`` with the parameter replaced by the column, when it is plain arithmetic."""
    kind = node.type
    if kind in ("integer", "float"):
        return ctx.text(node)
    if kind == "identifier":
        return column if ctx.text(node) == param else None
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        inner = _vectorised(ctx, node.named_children[0], param, column)
        return None if inner is None else f"({inner})"
    if kind == "unary_operator":
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if operator is None or argument is None or operator.type not in ("-", "+"):
            return None
        inner = _vectorised(ctx, argument, param, column)
        return None if inner is None else f"{operator.type}{inner}"
    if kind == "binary_operator":
        operator = node.child_by_field_name("operator")
        if operator is None or operator.type not in _ARITHMETIC:
            return None
        left = _vectorised(ctx, node.child_by_field_name("left"), param, column)
        right = _vectorised(ctx, node.child_by_field_name("right"), param, column)
        if left is None or right is None:
            return None
        return f"{left} {operator.type} {right}"
    if kind == "call" and numpy_function(node) in _UFUNCS:
        args = node.child_by_field_name("arguments")
        if args is None or args.type != "argument_list" or args.named_child_count != 1:
            return None
        inner = _vectorised(ctx, args.named_children[0], param, column)
        return None if inner is None else f"{ctx.text(node.child_by_field_name('function'))}({inner})"
    return None


class SeriesApplyArithmetic(Rule):
    code = "HS407"
    name = "series-apply-arithmetic"
    family = "data"
    summary = "`Series.apply`/`map` with a lambda doing plain arithmetic; use column arithmetic"
    what = """
Flags `df["a"].apply(lambda x: <arithmetic on x>)` and `.map(...)` on a column (`df["a"]` or
`df.a`), where the lambda's body is only numbers, the parameter, arithmetic operators and
element-wise NumPy functions, in a file that imports pandas.
"""
    why = """
`apply` and `map` call the lambda once per element, boxing each value into a Python object;
column arithmetic runs in one C loop, after a fixed overhead of some tens of microseconds per
operation. Measured with `benchmarks/rules/bench_hs407.py` on CPython 3.11 with pandas 3.1:
`s.apply(lambda p: p * 2 + 1)` over 10,000 floats takes about 1.4 ms, `s * 2 + 1` 0.16 ms (≈8.5×
faster); at 1,000 elements ≈2.7×; at 100 elements the two are even (≈0.8×).
"""
    example = """
import pandas as pd

def scaled(df: pd.DataFrame) -> pd.Series:
    return df["price"].apply(lambda p: p * 1.2 + 3)
"""
    use_instead = """
import pandas as pd

def scaled(df: pd.DataFrame) -> pd.Series:
    return df["price"] * 1.2 + 3
"""
    fix_safety = """
The suggested rewrite is display-only: on an `object` column, with missing values or with
integer columns the result's dtype can differ (`apply` infers it from the returned Python
objects), and the receiver is evaluated once per use of the parameter.
"""
    preview_reason = """
No hits yet in the precision corpus: the gain depends on the Series' size, which the code does
not show.
"""
    fix_availability = FixAvailability.ALWAYS
    status = Status.PREVIEW  # the gain depends on the Series' size; no hits yet in the precision corpus
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        if not source_mentions(ctx.source, b"pandas"):
            return
        mc = method_call(node)
        if mc is None or mc[1] not in ("apply", "map"):
            return
        receiver, method, args = mc
        arguments = [a for a in args.named_children if a.type != "comment"]
        if len(arguments) != 1 or arguments[0].type != "lambda":
            return
        if receiver.type == "subscript":
            key = receiver.children_by_field_name("subscript")
            if len(key) != 1 or key[0].type != "string":
                return  # df["a"]: a column by name
        elif receiver.type != "attribute":
            return
        function = arguments[0]
        params = function.child_by_field_name("parameters")
        body = function.child_by_field_name("body")
        if params is None or body is None or len(params.named_children) != 1 or params.named_children[0].type != "identifier":
            return
        if body.type not in ("binary_operator", "unary_operator", "call", "parenthesized_expression"):
            return  # `lambda x: x` or a constant: nothing to vectorise
        column = ctx.text(receiver)
        vectorised = _vectorised(ctx, body, ctx.text(params.named_children[0]), column)
        if vectorised is None:
            return
        if not (module_aliases(node, "pandas") or from_imports(node, "pandas")):
            return
        replacement = f"({vectorised})"
        if node.parent is not None and node.parent.type in ("expression_statement", "assignment", "return_statement",
                                                            "argument_list", "parenthesized_expression"):
            replacement = vectorised
        fix = make_fix(f"Use column arithmetic: `{vectorised}`", [Edit(node.start_byte, node.end_byte, replacement)],
                       Applicability.DISPLAY_ONLY)
        ctx.report(node, f"`.{method}(lambda ...)` calls Python per element for plain arithmetic; use column arithmetic", fix)
