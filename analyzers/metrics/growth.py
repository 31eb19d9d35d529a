"""The growth estimate of every function of one file: an upper-bound guess of its running time as
the inputs grow, from loop nesting, the known cost of operations, calls to other functions of the
file and recursion. Where a bound cannot be read the estimate is "unknown", with the reason.

The estimator is split by what it estimates: loops (:mod:`.growth_loops`), operations
(:mod:`.growth_operations`) and recursion (:mod:`.growth_recursion`); this module combines them.
"""

from __future__ import annotations

from hasten.analyzers.metrics.cost import CONSTANT, Cost
from hasten.analyzers.metrics.fallback import iter_functions, node_text
from hasten.analyzers.metrics.growth_loops import LoopCosts
from hasten.analyzers.metrics.growth_operations import OperationCosts
from hasten.analyzers.metrics.growth_parts import LOOPS, FunctionInfo, Site, read_identifiers, reason_at
from hasten.analyzers.metrics.growth_recursion import RecursionCosts
from hasten.analyzers.metrics.results import Growth, Reason
from hasten.analyzers.source import Source
from tree_sitter import Node

# -- from hasten.analyzers.syntax (all of this module's imports from it) -----------------------
from hasten.analyzers.syntax.scope import bindings_of
from hasten.analyzers.syntax.tree import function_name, walk_same_scope


class GrowthEstimator(LoopCosts, OperationCosts, RecursionCosts):
    """Estimates the growth of every function of one file; calls between them are followed."""

    def __init__(self, source: Source):
        self.source = source
        self.functions: dict[int, FunctionInfo] = {}
        self.module_functions: dict[str, Node] = {}
        self.methods: dict[tuple[str, str], Node] = {}
        self._memo: dict[int, Growth] = {}
        self._in_progress: set[int] = set()
        # Per-scope indexes, built once: the helpers below ask the same questions many times.
        self._scope_nodes: dict[int, list[Node]] = {}
        self._binding_memo: dict[tuple[int, str], list[Node] | None] = {}
        self._grown_memo: dict[tuple[int, str], bool] = {}
        self._targets_memo: dict[int, set[str]] = {}
        self._multiplier_memo: dict[int, tuple[Cost | None, str]] = {}
        for node, qual, is_method in iter_functions(source.tree.root_node):
            class_name = None
            if is_method:
                class_name = qual.rsplit(".", 2)[-2] if qual.count(".") >= 1 else None
            info = FunctionInfo(node, qual, class_name)
            self.functions[node.id] = info
            parent = node.parent
            if parent is not None and parent.type == "decorated_definition":
                parent = parent.parent
            if parent is not None and parent.type == "module":
                self.module_functions[info.name] = node
            if class_name:
                self.methods[(class_name, info.name)] = node

    # -- indexes -------------------------------------------------------------------------------

    def nodes(self, function: Node) -> list[Node]:
        """The nodes of ``function``'s body in its own scope (nested definitions excluded)."""
        found = self._scope_nodes.get(function.id)
        if found is None:
            body = function.child_by_field_name("body")
            found = list(walk_same_scope(body)) if body is not None else []
            self._scope_nodes[function.id] = found
        return found

    def bindings(self, scope: Node, name: str) -> list[Node] | None:
        key = (scope.id, name)
        if key not in self._binding_memo:
            self._binding_memo[key] = bindings_of(scope, name)
        return self._binding_memo[key]

    def loop_targets(self, function: Node) -> set[str]:
        found = self._targets_memo.get(function.id)
        if found is None:
            found = set()
            for node in self.nodes(function):
                if node.type in ("for_statement", "for_in_clause"):
                    left = node.child_by_field_name("left")
                    if left is not None:
                        found |= {node_text(n) for n in read_identifiers(left)}
            self._targets_memo[function.id] = found
        return found

    # -- public --------------------------------------------------------------------------------

    def growth(self, function: Node) -> Growth:
        key = function.id
        if key in self._memo:
            return self._memo[key]
        self._in_progress.add(key)
        try:
            result = self._estimate(function)
        except RecursionError:  # pathological nesting; never take the analysis down
            result = Growth(None, unknown_because=[reason_at(self.source, function, "too deeply nested to analyse")])
        finally:
            self._in_progress.discard(key)
        self._memo[key] = result
        return result

    # -- the estimate ------------------------------------------------------------------------

    def _estimate(self, function: Node) -> Growth:
        info = self.functions.get(function.id) or FunctionInfo(function, function_name(function) or "", None)
        body = function.child_by_field_name("body")
        if body is None:
            return Growth(CONSTANT)
        sites: list[Site] = []
        self_calls: list[Node] = []
        for node in self.nodes(function):
            if node.type == "lambda":
                continue
            if node.type in LOOPS:
                mult, reason = self._loop_multiplier(node, function, info)
                sites.append(self._site(node, function, info, mult, reason, include_self=True))
            elif node.type == "call":
                if self._is_self_call(node, info):
                    self_calls.append(node)
                    continue
                for cost, text in self._call_costs(node, function, info):
                    sites.append(self._site(node, function, info, cost, text))
            elif node.type == "comparison_operator":
                cost_text = self._membership_cost(node, function, info)
                if cost_text:
                    sites.append(self._site(node, function, info, *cost_text))
            elif node.type == "subscript":
                cost_text = self._slice_cost(node, function)
                if cost_text:
                    sites.append(self._site(node, function, info, *cost_text))
            elif node.type in ("augmented_assignment", "assignment"):
                cost_text = self._concat_cost(node, function, info)
                if cost_text:
                    sites.append(self._site(node, function, info, *cost_text))
        body_growth = self._combine(sites)
        if self_calls:
            return self._recursion(function, info, self_calls, body_growth, sites)
        return body_growth

    def _combine(self, sites: list[Site]) -> Growth:
        unknown = [s for s in sites if s.cost is None]
        known = [s for s in sites if s.cost is not None]
        # On a tie, the site with the longer justification (it names the nested loops too).
        best = max(known, key=lambda s: (s.cost, len(s.reasons)), default=None)
        if unknown:
            because = []
            for s in unknown:
                for r in s.reasons:
                    if r.text.startswith(("bound unknown", "calls ", "unknown")) and r not in because:
                        because.append(r)
            return Growth(None, reasons=best.reasons if best and best.cost > CONSTANT else [], at_least=best.cost if best else CONSTANT, unknown_because=because[:5])
        if best is None or best.cost == CONSTANT:
            return Growth(CONSTANT)
        return Growth(best.cost, reasons=list(best.reasons))

    def _site(self, node: Node, function: Node, info: FunctionInfo, cost: Cost | None, text: str, include_self: bool = False) -> Site:
        """Cost of ``node`` (``cost`` per execution) times the loops around it."""
        reasons: list[Reason] = []
        total: Cost | None = cost
        for loop in reversed(self._enclosing_loops(node, function)):
            mult, loop_text = self._loop_multiplier(loop, function, info)
            reasons.append(reason_at(self.source, loop, loop_text))
            total = None if (mult is None or total is None) else total * mult
        if include_self or cost is None or cost > CONSTANT:
            reasons.append(reason_at(self.source, node, text))
        return Site(total, reasons)
