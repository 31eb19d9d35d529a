"""HS201: an arithmetic expression over values the loop never changes, recomputed every iteration."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.imports import is_module_name
from hasten.analyzers.syntax.loops import enclosing_loops, has_yield_or_await, repeated_loop
from hasten.analyzers.syntax.mutation import value_use_is_read_only
from hasten.analyzers.syntax.scope import bound_names, is_local_name, name_uses, read_names
from hasten.analyzers.syntax.tree import enclosing_function, walk

ARITHMETIC = frozenset({"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"})
MIN_OPERATIONS = 2


def operator_of(node: Node) -> str | None:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else None


def skip_parens_up(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent


def cost_of(node: Node) -> int | None:
    """Number of operations in a pure expression (math.* calls count as one); None when it holds
    anything else that could cost, change state or depend on the loop in ways names cannot show."""
    operations = 0
    for n in walk(node):
        kind = n.type
        if kind == "binary_operator":
            if operator_of(n) not in ARITHMETIC:
                return None
            operations += 1
        elif kind == "call":
            func = n.child_by_field_name("function")
            if func is None or func.type != "attribute" or not is_module_name(func.child_by_field_name("object"), "math"):
                return None
            operations += 1
        elif kind in ("string", "concatenated_string", "list", "dictionary", "set", "tuple", "await", "yield",
                      "lambda", "named_expression", "conditional_expression", "boolean_operator",
                      "comparison_operator", "list_comprehension", "generator_expression",
                      "set_comprehension", "dictionary_comprehension"):
            return None
    return operations


class LoopInvariantExpression(Rule):
    code = "HS201"
    name = "loop-invariant-expression"
    family = "loops"
    summary = "Arithmetic on values the loop never changes is recomputed on every iteration"
    what = """
Flags the largest arithmetic expression inside a loop (two or more operations, or a call to a
`math` function) whose every name is a local variable or parameter that the loop neither
rebinds nor changes. Expressions with other calls, strings, comprehensions, conditionals or
walrus assignments are skipped, as are module-level loops.
"""
    why = """
The interpreter does not hoist anything: the same operations run on every iteration. Measured
with `benchmarks/rules/bench_hs201.py` on CPython 3.11: computing `x * math.sqrt(a * a + b * b)`
for 1,000 items takes about 52 µs; with the invariant part computed once about 17 µs (≈3×).
On small integers (`x + w * h * d`) the gain is ≈1.6×, which is why the rule is in preview.
"""
    example = """
import math

def scale(xs, a, b):
    return [x * math.sqrt(a * a + b * b) for x in xs]
"""
    use_instead = """
import math

def scale(xs, a, b):
    norm = math.sqrt(a * a + b * b)
    return [x * norm for x in xs]
"""
    fix_safety = """
No fix is offered: computing the value before the loop also computes it when the loop never
runs (which may raise, e.g. a division by zero), and operator overloads may have side effects.
"""
    preview_reason = """
Judged precision on real code is below 80%: the invariant expressions found are cheap next to
the rest of the loop body.
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW
    aliases = ("W8201",)
    node_types = ("binary_operator", "call")

    def visit(self, node: Node, ctx: Context) -> None:
        if node.type == "binary_operator" and operator_of(node) not in ARITHMETIC:
            return
        if node.type == "call" and not self._is_math_call(node):
            return
        cost = cost_of(node)
        if cost is None or cost < MIN_OPERATIONS and node.type != "call":
            return
        parent = skip_parens_up(node)
        if parent is not None and parent.type in ("binary_operator", "unary_operator", "argument_list"):
            outer = parent if parent.type != "argument_list" else parent.parent
            if outer is not None and cost_of(outer) is not None and self._invariant(outer) is not None:
                return  # the enclosing expression is flagged instead
        if self._invariant(node) is None:
            return
        text = ctx.text(node)
        label = f"`{text}`" if len(text) <= 50 and "\n" not in text else "This expression"
        ctx.report(node, f"{label} does not change inside the loop; compute it once before the loop")

    def _is_math_call(self, node: Node) -> bool:
        func = node.child_by_field_name("function")
        return func is not None and func.type == "attribute" and is_module_name(func.child_by_field_name("object"), "math")

    def _invariant(self, node: Node) -> Node | None:
        names = read_names(node)
        if not names:
            return None
        if repeated_loop(node) is None:
            return None
        loops = enclosing_loops(node)
        function = enclosing_function(node)
        if function is None:
            return None
        names.discard("math")
        if not names or not all(is_local_name(function, n) for n in names):
            return None
        target = None
        for loop in loops:
            if has_yield_or_await(loop) or not all(self._unchanged(loop, n) for n in names):
                break
            target = loop
        return target

    def _unchanged(self, loop: Node, name: str) -> bool:
        if name in bound_names(loop):
            return False
        for use in name_uses(loop, name):
            args = use.parent
            if args is not None and args.type == "argument_list" and args.parent is not None and self._is_math_call(args.parent):
                continue
            if not value_use_is_read_only(use):
                return False
        return True
