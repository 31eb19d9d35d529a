"""Growth estimate, loops: how many times a loop repeats (``for`` over a collection or a
``range``, comprehension clauses, ``while`` loops whose bound can be read) and which loops repeat a
node."""

from __future__ import annotations

from hasten.analyzers.metrics.cost import CONSTANT, LINEAR, LOG, SQRT, Cost
from hasten.analyzers.metrics.fallback import node_text
from hasten.analyzers.metrics.growth_parts import (
    COMPREHENSIONS,
    FunctionInfo,
    call_parts,
    first_argument_is,
    is_constant_expr,
    is_halving,
    is_int_literal,
    is_literal_collection,
    read_identifiers,
    snippet_of,
)
from tree_sitter import Node

# -- from hasten.analyzers.syntax (all of this module's imports from it) -----------------------
from hasten.analyzers.syntax.tree import strip_parens, walk_same_scope


class LoopCosts:
    """The loop part of :class:`~hasten.analyzers.metrics.growth.GrowthEstimator`."""

    def _enclosing_loops(self, node: Node, function: Node) -> list[Node]:
        """Loops (and comprehension clauses) that repeat ``node``, innermost first."""
        loops: list[Node] = []
        child = node
        parent = node.parent
        while parent is not None and parent.id != function.id:
            kind = parent.type
            if kind in ("function_definition", "lambda", "class_definition"):
                break
            if kind == "for_statement":
                if child.type != "else_clause" and child != parent.child_by_field_name("right") and child != parent.child_by_field_name("left"):
                    loops.append(parent)
            elif kind == "while_statement":
                if child.type != "else_clause":
                    loops.append(parent)
            elif kind in COMPREHENSIONS:
                clauses = [c for c in parent.named_children if c.type == "for_in_clause"]
                body = parent.named_children[0] if parent.named_children else None
                if body is not None and child == body:
                    repeating = clauses
                else:
                    repeating = [c for c in clauses if c.start_byte < child.start_byte]
                loops.extend(reversed(repeating))
            child = parent
            parent = parent.parent
        return loops

    # -- loops -----------------------------------------------------------------------------

    def _loop_multiplier(self, loop: Node, function: Node, info: FunctionInfo) -> tuple[Cost | None, str]:
        found = self._multiplier_memo.get(loop.id)
        if found is None:
            found = self._loop_multiplier_uncached(loop, function, info)
            self._multiplier_memo[loop.id] = found
        return found

    def _element_of_outer_loop(self, iterable: Node, loop: Node, function: Node) -> str | None:
        """The outer loop variable ``iterable`` walks (``for w in words: for c in w``), if any."""
        node = iterable
        if node.type == "call":
            name, receiver, method, args = call_parts(node)
            if name in ("enumerate", "reversed", "sorted", "iter") and args:
                node = args[0]
            elif receiver is not None and method in ("items", "keys", "values", "split"):
                node = receiver
        if node.type != "identifier":
            return None
        name = node_text(node)
        for outer in self._enclosing_loops(loop, function):
            if outer.type == "while_statement":
                continue
            left = outer.child_by_field_name("left")
            if left is not None and name in {node_text(n) for n in read_identifiers(left)}:
                return name
        return None

    def _loop_multiplier_uncached(self, loop: Node, function: Node, info: FunctionInfo) -> tuple[Cost | None, str]:
        if loop.type == "while_statement":
            return self._while_multiplier(loop, function, info)
        iterable = loop.child_by_field_name("right")
        if iterable is None:
            return None, "bound unknown: loop without an iterable"
        snippet = snippet_of(self.source, iterable)
        element = self._element_of_outer_loop(iterable, loop, function)
        if element is not None:
            # Nested data: the two loops together visit each item of the input once.
            return CONSTANT, f"loop over `{snippet}`, an element of the outer loop: together they visit each item once"
        cost = self._iteration_count(iterable, function, info)
        if cost is None:
            return None, f"bound unknown: loop over `{snippet}`"
        if cost == CONSTANT:
            return cost, f"loop over `{snippet}`: a fixed number of iterations"
        what = {LOG: "log n", SQRT: "√n", LINEAR: "n"}.get(cost, cost.label())
        return cost, f"loop over `{snippet}`: ×{what}"

    def _iteration_count(self, iterable: Node, function: Node, info: FunctionInfo) -> Cost | None:
        node = strip_parens(iterable)
        if is_literal_collection(node):
            return CONSTANT
        if node.type == "call":
            name, _, _, args = call_parts(node)
            if name in ("range", "xrange"):
                if args and all(is_constant_expr(a) for a in args):
                    return CONSTANT
                return max((self._bound_cost(a) for a in args if not is_constant_expr(a)), default=LINEAR)
            if name in ("enumerate", "reversed", "iter", "sorted", "list", "tuple", "set", "zip", "map", "filter") and args:
                counts = [self._iteration_count(a, function, info) for a in args if a.type not in ("keyword_argument", "lambda")]
                counts = [c for c in counts if c is not None] or [LINEAR]
                return max(counts)
            if name in ("str", "bin", "hex", "oct") and len(args) == 1 and args[0].type == "identifier":
                annotation = info.params.get(node_text(args[0]), "")
                if annotation in ("int",):
                    return LOG  # the digits of an integer
            return LINEAR
        if node.type == "identifier":
            name = node_text(node)
            if self._constant_collection(name, function):
                return CONSTANT
        if node.type == "subscript" and any(c.type == "slice" for c in node.named_children):
            value = node.child_by_field_name("value")
            if value is not None:
                return self._iteration_count(value, function, info)
        return LINEAR

    def _bound_cost(self, bound: Node) -> Cost:
        text = node_text(bound)
        if "** 0.5" in text or "**0.5" in text or "sqrt" in text or "isqrt" in text or "** .5" in text:
            return SQRT
        if "log" in text and "(" in text or "bit_length" in text:
            return LOG
        return LINEAR

    def _constant_collection(self, name: str, function: Node) -> bool:
        """``name`` holds a literal collection that nothing changes (a fixed size)."""
        values = self.bindings(function, name)
        if values is None or not values:
            root = self.source.tree.root_node
            if values is None:
                return False
            values = self.bindings(root, name) or []
            if not values:
                return False
        if not all(is_literal_collection(v) for v in values):
            return False
        return not self._grown(name, function)

    def _grown(self, name: str, function: Node) -> bool:
        key = (function.id, name)
        if key not in self._grown_memo:
            self._grown_memo[key] = self._grown_uncached(name, function)
        return self._grown_memo[key]

    def _grown_uncached(self, name: str, function: Node) -> bool:
        for node in self.nodes(function):
            if node.type == "call":
                _, receiver, method, _ = call_parts(node)
                if receiver is not None and receiver.type == "identifier" and node_text(receiver) == name and method in ("append", "extend", "insert", "add", "update", "appendleft", "extendleft"):
                    return True
            elif node.type == "augmented_assignment":
                left = node.child_by_field_name("left")
                if left is not None and node_text(left) == name:
                    return True
        return False

    def _while_multiplier(self, loop: Node, function: Node, info: FunctionInfo) -> tuple[Cost | None, str]:
        condition = loop.child_by_field_name("condition")
        body = loop.child_by_field_name("body")
        snippet = snippet_of(self.source, condition) if condition is not None else "?"
        if condition is None or body is None:
            return None, "bound unknown: `while` without a readable condition"
        if condition.type in ("false", "none") or (condition.type == "integer" and node_text(condition) == "0"):
            return CONSTANT, f"`while {snippet}` never runs"
        if condition.type in ("true", "integer"):
            return None, f"bound unknown: `while {snippet}` ends on a `break`"
        names = {node_text(n) for n in read_identifiers(condition)}
        if not names:
            return None, f"bound unknown: `while {snippet}`"
        steps = [self._step_kind(name, body) for name in sorted(names)]
        steps = [s for s in steps if s is not None]
        if not steps:
            return None, f"bound unknown: `while {snippet}`: no counter stepped by a constant, halved, or drained in the body"
        if "linear" in steps:
            return LINEAR, f"`while {snippet}`: a counter moves by a constant step (or a collection is drained): ×n"
        return LOG, f"`while {snippet}`: the bound is halved (or divided) each time: ×log n"

    def _step_kind(self, name: str, body: Node) -> str | None:
        """How the loop body moves ``name`` towards its bound: "linear", "log" or None."""
        kinds: set[str] = set()
        halves: set[str] = set()  # names assigned (a + b) // 2
        pushes = False
        pops = False
        for node in walk_same_scope(body):
            if node.type == "assignment":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is None or right is None:
                    continue
                if left.type == "identifier" and is_halving(right):
                    halves.add(node_text(left))
                if left.type in ("pattern_list", "tuple_pattern") and right.type == "call" and call_parts(right)[0] == "divmod":
                    targets = [node_text(t) for t in left.named_children]
                    args = call_parts(right)[3]
                    if targets and targets[0] == name and args and node_text(args[0]) == name:
                        kinds.add("log")
                    continue
                if left.type != "identifier" or node_text(left) != name:
                    continue
                if right.type == "binary_operator":
                    op = right.child_by_field_name("operator")
                    a, b = right.child_by_field_name("left"), right.child_by_field_name("right")
                    op_text = op.type if op is not None else ""
                    if a is not None and node_text(a) == name and is_int_literal(b):
                        if op_text in ("+", "-"):
                            kinds.add("linear")
                        elif op_text in ("//", "/", ">>", "*", "<<"):
                            kinds.add("log")
                    elif a is not None and node_text(a) == name and b is not None and b.type in ("identifier", "attribute") and op_text in ("//", "/", "*"):
                        kinds.add("log")  # divided (or multiplied) by a base each time
                    elif op_text in ("+", "-") and b is not None and is_int_literal(b) and a is not None and node_text(a) in halves or op_text in ("//", ">>") and a is not None and name in node_text(a):
                        kinds.add("log")
                elif right.type == "identifier" and node_text(right) in halves or right.type == "call" and call_parts(right)[0] == "divmod" and call_parts(right)[3] and node_text(call_parts(right)[3][0]) == name:
                    kinds.add("log")
                elif right.type == "subscript" and node_text(right.child_by_field_name("value")) == name and any(c.type == "slice" for c in right.named_children):
                    kinds.add("linear")
                elif is_halving(right) and name in node_text(right):
                    kinds.add("log")
            elif node.type == "augmented_assignment":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                op = next((c for c in node.children if not c.is_named and c.type.endswith("=")), None)
                if left is None or left.type != "identifier" or node_text(left) != name or op is None:
                    continue
                if op.type in ("+=", "-=") and is_int_literal(right):
                    kinds.add("linear")
                elif op.type in ("//=", "/=", ">>=", "*=", "<<=") and is_int_literal(right):
                    kinds.add("log")
                elif op.type in ("//=", "/=", "*=") and right is not None and right.type in ("identifier", "attribute"):
                    kinds.add("log")  # divided (or multiplied) by a base each time
            elif node.type == "call":
                _, receiver, method, _ = call_parts(node)
                if receiver is not None and receiver.type == "identifier" and node_text(receiver) == name:
                    if method in ("pop", "popleft", "popitem", "remove", "clear"):
                        pops = True
                    elif method in ("append", "appendleft", "extend", "insert", "add", "extendleft", "update"):
                        pushes = True
                elif node_text(node.child_by_field_name("function")) in ("heapq.heappop", "heappop") and first_argument_is(node, name):
                    pops = True
                elif node_text(node.child_by_field_name("function")) in ("heapq.heappush", "heappush") and first_argument_is(node, name):
                    pushes = True
            elif node.type == "delete_statement" and name in node_text(node):
                pops = True
        if pops and not pushes:
            kinds.add("linear")
        if "linear" in kinds:
            return "linear"
        if "log" in kinds:
            return "log"
        return None

    # -- operations --------------------------------------------------------------------------
