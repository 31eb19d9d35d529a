"""HS201: an arithmetic expression over values the loop never changes, recomputed every iteration."""

from __future__ import annotations

import threading

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.imports import is_module_name
from hasten.analyzers.syntax.loops import enclosing_loops, has_yield_or_await, repeated_loop
from hasten.analyzers.syntax.mutation import value_use_is_read_only
from hasten.analyzers.syntax.scope import bound_names, is_local_name, read_names
from hasten.analyzers.syntax.tree import (
    CHECK_EVERY,
    SCOPE_TYPES,
    enclosing_function,
    enclosing_scope,
    is_reference,
    parent_of,
    remember_parent,
    spend_time,
    walk,
    walk_with_parents,
)

ARITHMETIC = frozenset({"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"})
MIN_OPERATIONS = 2


def operator_of(node: Node) -> str | None:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else None


def skip_parens_up(node: Node) -> Node | None:
    parent = parent_of(node)
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent_of(parent)
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
        memo = _memo_for(ctx, node)
        if node.type == "binary_operator" and operator_of(node) not in ARITHMETIC:
            return
        cost = memo.cost(node)
        if node.type == "call" and not memo.math_calls.get(node, False):
            return
        if cost is None or cost < MIN_OPERATIONS and node.type != "call":
            return
        parent = skip_parens_up(node)
        if parent is not None and parent.type in ("binary_operator", "unary_operator", "argument_list"):
            outer = parent if parent.type != "argument_list" else parent_of(parent)
            if outer is not None and memo.cost(outer) is not None and memo.invariant(outer) is not None:
                return  # the enclosing expression is flagged instead
        if memo.invariant(node) is None:
            return
        text = ctx.text(node)
        label = f"`{text}`" if len(text) <= 50 and "\n" not in text else "This expression"
        ctx.report(node, f"{label} does not change inside the loop; compute it once before the loop")

    def _is_math_call(self, node: Node) -> bool:
        return _is_math_call(node)

    def _invariant(self, node: Node) -> Node | None:
        """The outermost loop ``node`` (a pure expression, see :func:`cost_of`) can be computed
        before, or None. The visits use :class:`_Memo`, which gives the same answer in linear
        time over a long expression."""
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
            if has_yield_or_await(loop) or not all(_unchanged(loop, n) for n in names):
                break
            target = loop
        return target


def _is_math_call(node: Node, scope: Node | None = None) -> bool:
    func = node.child_by_field_name("function")
    return func is not None and func.type == "attribute" and is_module_name(func.child_by_field_name("object"), "math", scope)


def _unchanged(loop: Node, name: str, is_math_call=_is_math_call) -> bool:
    if name in bound_names(loop):
        return False
    wanted = name.encode()
    for use, field, parents in walk_with_parents(loop):  # ``name_uses``, with the parents
        if use.type != "identifier" or use.text != wanted or not is_reference(field, parents):
            continue
        child = use
        for parent in reversed(parents[-8:]):  # what the walks up below ask, known here for free
            remember_parent(child, parent)
            child = parent
        args = parent_of(use)
        if args is not None and args.type == "argument_list" and args.parent is not None and is_math_call(args.parent):
            continue
        if not value_use_is_read_only(use):
            return False
    return True


# -- linear time on long expressions ----------------------------------------------------------------
#
# Every operator of ``a0 + a1 + ... + a999`` is visited, and each visit looked at the whole
# expression below it (its cost, its names) and at the one above it, and walked up to find its
# loops (``Node.parent`` costs the depth): cubic in the length. The memo below computes the cost
# of every node of a subtree in one bottom-up pass, and the names' verdict of every node of a
# pure expression in another; all the nodes of a pure expression share their loops and function
# (nothing between them opens a scope or a loop), so those are found once per expression. The
# answers are those of ``cost_of`` and ``LoopInvariantExpression._invariant``.

_KEPT = frozenset({"binary_operator", "unary_operator", "call", "parenthesized_expression"})
_OPAQUE = frozenset({"string", "concatenated_string", "list", "dictionary", "set", "tuple", "await", "yield",
                     "lambda", "named_expression", "conditional_expression", "boolean_operator",
                     "comparison_operator", "list_comprehension", "generator_expression",
                     "set_comprehension", "dictionary_comprehension"})
_NO_NAME = 1 << 62  # the score of an expression without a name other than ``math``


class _Memo:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.end = -1  # the memo covers expressions ending here at most; past it, it is dropped
        self.clear()

    def clear(self) -> None:
        self.costs: dict[Node, int | None] = {}
        self.math_calls: dict[Node, bool] = {}
        self.verdicts: dict[Node, tuple[bool, int, tuple[list[Node], int]]] = {}
        self.unchanged: dict[tuple[Node, str], bool] = {}
        self.local: dict[tuple[Node, str], bool] = {}

    def cost(self, node: Node) -> int | None:
        """:func:`cost_of`, for ``node`` and every kept node below it."""
        costs = self.costs
        if node in costs:
            return costs[node]
        self.end = max(self.end, node.end_byte)
        root_scope: list[Node] = []  # found on demand: the walk up costs the depth

        def scope_of(scope: Node | None) -> Node:
            if scope is not None:
                return scope
            if not root_scope:
                root_scope.append(enclosing_scope(node))
            return root_scope[0]

        totals: dict[Node, int | None] = {}
        stack: list[tuple[Node, Node | None, list[Node] | None]] = [(node, None, None)]
        countdown = CHECK_EVERY
        while stack:
            current, scope, children = stack.pop()
            if children is None:
                countdown -= 1
                if not countdown:
                    countdown = CHECK_EVERY
                    spend_time()
                if current in costs:
                    totals[current] = costs[current]
                    continue
                kids = current.children
                for child in kids:
                    if child.type in _KEPT or child.type == "argument_list":  # the visits ask
                        remember_parent(child, current)
                stack.append((current, scope, kids))
                inner = current if current.type in SCOPE_TYPES else scope
                stack.extend((child, inner, None) for child in kids)
                continue
            kind = current.type
            total: int | None = 0
            if kind == "binary_operator":
                total = 1 if operator_of(current) in ARITHMETIC else None
            elif kind == "call":
                is_math = _is_math_call(current, scope_of(scope))
                self.math_calls[current] = is_math
                total = 1 if is_math else None
            elif kind in _OPAQUE:
                total = None
            for child in children:
                part = totals.pop(child)
                if total is not None:
                    total = None if part is None else total + part
            totals[current] = total
            if kind in _KEPT:
                costs[current] = total
        return totals[node]

    def invariant(self, node: Node) -> Node | None:
        """``LoopInvariantExpression._invariant(node)`` for a pure ``node`` (cost not None)."""
        verdict = self.verdicts.get(node)
        if verdict is None:
            verdict = self._verdicts(node)
        has_name, best, (loops, limit) = verdict
        if has_name and loops and best != _NO_NAME and best >= 0:
            count = min(limit, best)
            return loops[count - 1] if count else None
        return None

    def _verdicts(self, node: Node) -> tuple[bool, int, tuple[list[Node], int]]:
        """(whether ``node`` reads a name, how many loops leave its names unchanged, (its loops,
        how many have no yield or await)) for ``node`` and every kept node below it."""
        self.end = max(self.end, node.end_byte)
        function = enclosing_function(node)
        loops = enclosing_loops(node) if function is not None and repeated_loop(node) is not None else []
        limit = next((i for i, loop in enumerate(loops) if has_yield_or_await(loop)), len(loops))
        place = (loops, limit)

        def score(name: str) -> int:
            """How many loops, innermost first, leave ``name`` unchanged; -1 when not local."""
            if not self._local(function, name):
                return -1
            for i, loop in enumerate(loops):
                key = (loop, name)
                if key not in self.unchanged:
                    self.unchanged[key] = _unchanged(loop, name, self._math_call)
                if not self.unchanged[key]:
                    return i
            return len(loops)

        scores: dict[str, int] = {}
        verdicts = self.verdicts
        found: dict[Node, tuple[bool, int]] = {}
        stack: list[tuple[Node, list[Node] | None]] = [(node, None)]
        countdown = CHECK_EVERY
        while stack:
            current, children = stack.pop()
            if children is None:
                countdown -= 1
                if not countdown:
                    countdown = CHECK_EVERY
                    spend_time()
                if current in verdicts:
                    found[current] = verdicts[current][:2]
                    continue
                kids = current.children
                if current.type == "attribute":
                    skip = current.child_by_field_name("attribute")
                elif current.type == "keyword_argument":
                    skip = current.child_by_field_name("name")
                else:
                    skip = None
                if skip is not None:
                    kids = [k for k in kids if k != skip]
                stack.append((current, kids))
                stack.extend((child, None) for child in kids)
                continue
            has_name, best = False, _NO_NAME
            if current.type == "identifier":
                has_name = True
                name = current.text.decode()
                if name != "math" and loops:
                    if name not in scores:
                        scores[name] = score(name)
                    best = scores[name]
            for child in children:
                child_has, child_best = found.pop(child)
                has_name = has_name or child_has
                best = min(best, child_best)
            found[current] = (has_name, best)
            if current.type in _KEPT:
                verdicts[current] = (has_name, best, place)
        return (*found[node], place)

    def _local(self, function: Node, name: str) -> bool:
        key = (function, name)
        if key not in self.local:
            self.local[key] = is_local_name(function, name)
        return self.local[key]

    def _math_call(self, call: Node) -> bool:
        if call in self.math_calls:
            return self.math_calls[call]
        return _is_math_call(call)


class _Memos(threading.local):
    memo: _Memo | None = None


_MEMOS = _Memos()


def _memo_for(ctx: Context, node: Node) -> _Memo:
    """This check's memo (one per thread: the rule object is shared), dropped once the visits
    have passed the expressions it covers (they come in source order), so it stays small."""
    memo = _MEMOS.memo
    if memo is None or memo.ctx is not ctx:
        memo = _MEMOS.memo = _Memo(ctx)
    elif node.start_byte >= memo.end:
        memo.clear()
        memo.end = -1
    return memo
