"""Growth estimate, recursion: memoised recursion, recursion over the parts of a structure,
divide and conquer, fan-out (O(2ⁿ)) and the depth of a single self-call."""

from __future__ import annotations

from hasten.analyzers.metrics.cost import EXPONENTIAL, LINEAR, LOG, N_LOG_N
from hasten.analyzers.metrics.fallback import node_text
from hasten.analyzers.metrics.growth_parts import (
    MEMO_DECORATORS,
    FunctionInfo,
    Site,
    call_parts,
    is_constant_expr,
    is_halving,
    is_int_literal,
    read_identifiers,
    reason_at,
    snippet_of,
)
from hasten.analyzers.metrics.results import Growth, Reason
from tree_sitter import Node

# -- from hasten.analyzers.syntax (all of this module's imports from it) -----------------------
from hasten.analyzers.syntax.tree import walk_same_scope


class RecursionCosts:
    """The recursion part of :class:`~hasten.analyzers.metrics.growth.GrowthEstimator`."""

    def _is_self_call(self, node: Node, info: FunctionInfo) -> bool:
        func = node.child_by_field_name("function")
        if func is None:
            return False
        if func.type == "identifier":
            return node_text(func) == info.name and info.class_name is None
        if func.type == "attribute" and info.class_name:
            obj = func.child_by_field_name("object")
            return obj is not None and node_text(obj) in ("self", "cls") and node_text(func.child_by_field_name("attribute")) == info.name
        return False

    def _recursion(self, function: Node, info: FunctionInfo, calls: list[Node], body: Growth, sites: list[Site]) -> Growth:
        first = calls[0]
        per_call = body.cost if body.cost is not None else None
        memo = self._memoized(function)
        in_loop = [c for c in calls if self._enclosing_loops(c, function)]
        fan_out = _max_on_a_path(function.child_by_field_name("body"), {c.id for c in calls})
        halving = any(_halves_argument(c, function) for c in calls)
        structural = all(_structural_argument(c, info, in_loop=bool(self._enclosing_loops(c, function))) for c in calls)
        reasons = list(body.reasons)
        if memo:
            depth, text = LINEAR, "recursion with a cache: each argument is computed once, ×n"
        elif in_loop and not structural:
            call = in_loop[0]
            return Growth(EXPONENTIAL, reasons=[*self._loop_reasons(call, function, info), reason_at(self.source, call, f"`{snippet_of(self.source, call)}`: a self-call inside a loop fans out: O(2ⁿ) or worse")])
        elif structural:
            # Each part is visited once, and the loops over its children add up to the whole
            # structure: the body's own cost, at least ×n, not multiplied by the depth.
            cost = max(LINEAR, per_call) if per_call is not None else None
            if cost is None:
                return Growth(None, reasons=reasons, at_least=LINEAR, unknown_because=body.unknown_because)
            return Growth(cost, reasons=[*reasons, reason_at(self.source, first, f"`{snippet_of(self.source, first)}`: recursion over the parts of a structure, each part visited once: {cost.label()}")])
        elif fan_out >= 2 and halving:
            # T(n) = k·T(n/2) + f(n) with k == 2: O(n) when f is O(1), O(n log n) when f is O(n).
            if per_call is None:
                return Growth(None, reasons=[], at_least=N_LOG_N, unknown_because=body.unknown_because)
            if per_call < LINEAR:
                cost = LINEAR
            elif per_call == LINEAR or (per_call.degree == 1 and per_call.logs == 0):
                cost = N_LOG_N
            else:
                cost = per_call
            return Growth(cost, reasons=[*reasons, reason_at(self.source, first, f"`{snippet_of(self.source, first)}`: divide and conquer (two self-calls on halves): {cost.label()}")])
        elif fan_out >= 2:
            return Growth(EXPONENTIAL, reasons=[reason_at(self.source, c, f"`{snippet_of(self.source, c)}`: self-call") for c in calls[:3]] + [reason_at(self.source, function, f"{fan_out} self-calls on one path: the call tree doubles at each level: O(2ⁿ)")])
        elif halving:
            depth, text = LOG, "one self-call on a halved argument: ×log n"
        elif _shrinks_argument(first):
            depth, text = LINEAR, "one self-call on an argument one step smaller: ×n"
        else:
            return Growth(None, reasons=reasons, at_least=per_call, unknown_because=[reason_at(self.source, first, f"unknown recursion depth: `{snippet_of(self.source, first)}`")])
        if per_call is None:
            return Growth(None, reasons=reasons, at_least=depth, unknown_because=body.unknown_because)
        return Growth(depth * per_call, reasons=[*reasons, reason_at(self.source, first, f"`{snippet_of(self.source, first)}`: {text}")])

    def _memoized(self, function: Node) -> bool:
        parent = function.parent
        if parent is not None and parent.type == "decorated_definition":
            for decorator in parent.named_children:
                if decorator.type == "decorator" and any(m in node_text(decorator) for m in MEMO_DECORATORS):
                    return True
        body = function.child_by_field_name("body")
        text = node_text(body)
        return "memo" in text or "cache" in text

    def _loop_reasons(self, node: Node, function: Node, info: FunctionInfo) -> list[Reason]:
        out = []
        for loop in reversed(self._enclosing_loops(node, function)):
            _, text = self._loop_multiplier(loop, function, info)
            out.append(reason_at(self.source, loop, text))
        return out


def _halves_argument(call: Node, function: Node) -> bool:
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    if is_halving(args):
        return True
    # f(a[:mid]), f(lo, mid): mid computed by halving in the function
    halves = set()
    body = function.child_by_field_name("body")
    for node in walk_same_scope(body) if body is not None else ():
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier" and is_halving(right):
                halves.add(node_text(left))
    return any(node_text(i) in halves for i in read_identifiers(args))


def _shrinks_argument(call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    for arg in args.named_children:
        if arg.type == "binary_operator":
            op = arg.child_by_field_name("operator")
            if op is not None and op.type in ("-", "+") and is_int_literal(arg.child_by_field_name("right")):
                return True
        if arg.type == "subscript" and any(c.type == "slice" for c in arg.named_children):
            return True
    return False


def _structural_argument(call: Node, info: FunctionInfo, in_loop: bool = True) -> bool:
    """The self-call walks a part of a structure: some argument is a part (``node.left``,
    ``tree[key]``, a loop variable over children, ``getattr(obj, name)``) and none builds a new
    collection (``xs[:i] + xs[i + 1:]``, ``n - 1``), which is what makes recursion fan out."""
    args = call.child_by_field_name("arguments")
    if args is None or not args.named_children:
        return False
    found = False
    for arg in args.named_children:
        if arg.type == "keyword_argument":
            value = arg.child_by_field_name("value")
            if value is None or value.type == "identifier" or is_constant_expr(value) or value.type in ("string", "none", "true", "false"):
                continue
            return False
        if arg.type in ("comment", "string", "none", "true", "false") or is_constant_expr(arg):
            continue
        if arg.type == "attribute" or (arg.type == "subscript" and not any(c.type == "slice" for c in arg.named_children)):
            found = True
        elif arg.type == "identifier":
            if node_text(arg) not in info.params:
                if not in_loop:
                    return False  # outside a loop a local name may be anything
                found = True  # a loop variable over children
        elif in_loop and arg.type == "call" and call_parts(arg)[0] in ("getattr", "next"):
            found = True
        else:
            return False
    return found


def _max_on_a_path(node: Node | None, call_ids: set[int]) -> int:
    """The largest number of the given calls executed in one pass through ``node``: branches of
    an ``if`` (and of a conditional expression) count as alternatives, not as a sum."""
    if node is None:
        return 0
    if node.id in call_ids:
        return 1 + sum(_max_on_a_path(c, call_ids) for c in node.children)
    if node.type in ("function_definition", "class_definition", "lambda"):
        return 0
    if node.type == "if_statement":
        condition = node.child_by_field_name("condition")
        branches = [node.child_by_field_name("consequence")] + [c for c in node.children if c.type in ("elif_clause", "else_clause")]
        return _max_on_a_path(condition, call_ids) + max(_max_on_a_path(b, call_ids) for b in branches)
    if node.type == "conditional_expression" and len(node.named_children) == 3:
        a, cond, b = node.named_children
        return _max_on_a_path(cond, call_ids) + max(_max_on_a_path(a, call_ids), _max_on_a_path(b, call_ids))
    if node.type == "block":
        # A `return` ends the path: statements after it in the same block do not run.
        total = 0
        for child in node.children:
            total += _max_on_a_path(child, call_ids)
            if child.type == "return_statement":
                break
        return total
    return sum(_max_on_a_path(c, call_ids) for c in node.children)
