"""Growth estimate, operations: the cost of one execution of a call, a membership test, a slice
or a concatenation (``x in list``, ``.index``, ``.pop(0)``, ``sorted``, string ``+=``, calls to other
functions of the file, ...)."""

from __future__ import annotations

from hasten.analyzers.metrics.cost import CONSTANT, LINEAR, LOG, N_LOG_N, Cost
from hasten.analyzers.metrics.fallback import node_text
from hasten.analyzers.metrics.growth_parts import (
    COMPREHENSIONS,
    LINEAR_BUILTINS,
    LOG_CALLS,
    REGEX_CALLS,
    SORTS,
    FunctionInfo,
    assigned_values,
    call_parts,
    is_literal_collection,
    is_small_int,
    snippet_of,
)
from tree_sitter import Node

# -- from hasten.analyzers.syntax (all of this module's imports from it) -----------------------
from hasten.analyzers.syntax.tree import function_name, strip_parens


class OperationCosts:
    """The operations part of :class:`~hasten.analyzers.metrics.growth.GrowthEstimator`."""

    def _receiver_is_element(self, receiver: Node, function: Node) -> bool:
        """``receiver`` is a loop variable (an element of a collection, assumed small), a literal,
        or a name for a literal that nothing changes (a fixed size)."""
        if is_literal_collection(receiver):
            return True
        if receiver.type != "identifier":
            return False
        name = node_text(receiver)
        if self._constant_collection(name, function):
            return True
        return name in self.loop_targets(function)

    def _is_set_or_dict(self, name: str, function: Node, info: FunctionInfo) -> bool:
        annotation = info.params.get(name)
        if annotation and annotation.split("[")[0].strip() in ("set", "Set", "dict", "Dict", "frozenset", "FrozenSet", "Mapping", "defaultdict", "Counter"):
            return True
        values = self.bindings(function, name) or []
        return bool(values) and all(
            v.type in ("set", "dictionary", "set_comprehension", "dictionary_comprehension")
            or (v.type == "call" and call_parts(v)[0] in ("set", "dict", "frozenset", "defaultdict", "collections.defaultdict", "Counter", "collections.Counter", "OrderedDict", "deque", "collections.deque"))
            for v in values
        )

    def _call_costs(self, node: Node, function: Node, info: FunctionInfo) -> list[tuple[Cost | None, str]]:
        name, receiver, method, args = call_parts(node)
        snippet = snippet_of(self.source, node)
        out: list[tuple[Cost | None, str]] = []
        positional = [a for a in args if a.type not in ("keyword_argument", "comment")]
        if receiver is None and name is not None:
            local = self._local_function(name, function)
            if local is not None:
                out.append(self._callee_cost(local, snippet))
                return out
            if name in SORTS and positional and not (positional[0].type == "identifier" and node_text(positional[0]) in self.loop_targets(function)):
                out.append((N_LOG_N, f"`{snippet}` sorts: O(n log n)"))
            elif name in LOG_CALLS:
                out.append((LOG, f"`{snippet}`: O(log n)"))
            elif name in LINEAR_BUILTINS and len(positional) == 1 and not self._cheap_argument(positional[0], function):
                out.append((LINEAR, f"`{snippet}` walks its argument: O(n)"))
            return out
        if receiver is None:
            return out
        if name is not None:
            if name in SORTS:
                out.append((N_LOG_N, f"`{snippet}` sorts: O(n log n)"))
                return out
            if name in LOG_CALLS:
                out.append((LOG, f"`{snippet}`: O(log n)"))
                return out
            if name in LINEAR_BUILTINS and len(positional) == 1:
                out.append((LINEAR, f"`{snippet}` walks its argument: O(n)"))
                return out
            if name in REGEX_CALLS and len(positional) >= 2:
                out.append((LINEAR, f"`{snippet}` scans the string: O(n)"))
                return out
        if receiver.type == "identifier" and node_text(receiver) == "self" and info.class_name:
            target = self.methods.get((info.class_name, method or ""))
            if target is not None and target.id != function.id:
                out.append(self._callee_cost(target, snippet))
                return out
        if method == "sort":
            out.append((N_LOG_N, f"`{snippet}` sorts: O(n log n)"))
        elif method == "pop" and len(positional) == 1 and node_text(positional[0]) == "0":
            if not (receiver.type == "identifier" and self._is_set_or_dict(node_text(receiver), function, info)):
                out.append((LINEAR, f"`{snippet}` shifts every element: O(n)"))
        elif method == "insert" and positional and not self._receiver_is_element(receiver, function):
            out.append((LINEAR, f"`{snippet}` shifts the elements after it: O(n)"))
        elif method == "remove" and not (receiver.type == "identifier" and self._is_set_or_dict(node_text(receiver), function, info)):
            if not self._receiver_is_element(receiver, function):
                out.append((LINEAR, f"`{snippet}` scans for the element: O(n)"))
        elif method in ("index", "count", "find", "rfind", "rindex") and not self._receiver_is_element(receiver, function):
            out.append((LINEAR, f"`{snippet}` scans the sequence: O(n)"))
        elif method == "join" and positional and not self._cheap_argument(positional[0], function):
            out.append((LINEAR, f"`{snippet}` walks its argument: O(n)"))
        elif method in ("copy", "split", "replace", "reverse", "extend", "lower", "upper", "strip", "translate") and not self._receiver_is_element(receiver, function):
            if method == "extend" and positional and self._cheap_argument(positional[0], function):
                return out
            if receiver.type == "identifier" and (self.bindings(function, node_text(receiver)) is not None or node_text(receiver) in info.params):
                out.append((LINEAR, f"`{snippet}` walks the whole {'argument' if method == 'extend' else 'object'}: O(n)"))
        return out

    def _cheap_argument(self, arg: Node, function: Node) -> bool:
        """An argument whose walk is already counted (a comprehension's own loop) or is of fixed size."""
        if arg.type in COMPREHENSIONS:
            return True
        if is_literal_collection(arg):
            return True
        if arg.type == "identifier" and self._constant_collection(node_text(arg), function):
            return True
        if arg.type == "identifier" and node_text(arg) in self.loop_targets(function):
            return True  # an element of a collection being walked: nested data, counted once
        return False

    def _local_function(self, name: str, function: Node) -> Node | None:
        # A nested function defined in this function's body, else a module-level function.
        body = function.child_by_field_name("body")
        if body is not None:
            for child in body.children:
                definition = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
                if definition.type == "function_definition" and function_name(definition) == name:
                    return definition
        return self.module_functions.get(name)

    def _callee_cost(self, callee: Node, snippet: str) -> tuple[Cost | None, str]:
        if callee.id in self._in_progress:
            return CONSTANT, f"`{snippet}`: mutual recursion, not followed"
        growth = self.growth(callee)
        callee_name = function_name(callee) or ""
        if growth.cost is None:
            return None, f"calls `{callee_name}`, whose growth is unknown"
        return growth.cost, f"`{snippet}` calls `{callee_name}`: {growth.cost.label()}"

    def _membership_cost(self, node: Node, function: Node, info: FunctionInfo) -> tuple[Cost, str] | None:
        operators = [c.type for c in node.children if not c.is_named]
        if not any(op in ("in", "not in") for op in operators) or node.named_child_count != 2:
            return None
        container = node.named_children[1]
        container = strip_parens(container)
        snippet = snippet_of(self.source, node)
        if container.type in ("list_comprehension",) or (container.type == "call" and call_parts(container)[0] in ("list", "sorted", "tuple")):
            return LINEAR, f"`{snippet}` scans a list: O(n)"
        if container.type != "identifier":
            return None
        name = node_text(container)
        if name in info.params:
            annotation = (info.params[name] or "").split("[")[0].strip()
            if annotation in ("list", "List", "tuple", "Tuple", "Sequence", "str"):
                return LINEAR, f"`{snippet}` scans a {annotation}: O(n)"
            return None
        values = assigned_values(function, name)
        if not values:
            return None
        if all(is_literal_collection(v) for v in values) and not self._grown(name, function):
            return None
        if all(v.type in ("list", "list_comprehension", "tuple", "string") or (v.type == "call" and call_parts(v)[0] in ("list", "sorted", "tuple", "str")) or (v.type == "subscript" and any(c.type == "slice" for c in v.named_children)) for v in values):
            kind = "string" if all(v.type == "string" for v in values) else "list"
            return LINEAR, f"`{snippet}` scans a {kind}: O(n)"
        return None

    def _slice_cost(self, node: Node, function: Node) -> tuple[Cost, str] | None:
        slices = [c for c in node.named_children if c.type == "slice"]
        if not slices:
            return None
        value = node.child_by_field_name("value")
        if value is not None and is_literal_collection(value):
            return None
        text = node_text(slices[0])
        parts = text.split(":")
        # a[1:3], a[:2], a[i:i + 2]: a fixed number of elements
        start, stop = (parts + ["", ""])[:2]
        start, stop = start.strip(), stop.strip()
        if is_small_int(start) and is_small_int(stop) and (start or stop) and not start.startswith("-") and not stop.startswith("-"):
            if stop or not start:
                return None
        if start.startswith("-") and not stop and is_small_int(start[1:]):
            return None  # a[-2:]
        if start and stop.replace(" ", "").startswith(start.replace(" ", "") + "+") and is_small_int(stop.replace(" ", "")[len(start.replace(" ", "")) + 1 :]):
            return None
        if value is not None and value.type == "identifier" and self._receiver_is_element(value, function):
            return None
        return LINEAR, f"`{snippet_of(self.source, node)}` copies a slice: O(n)"

    def _concat_cost(self, node: Node, function: Node, info: FunctionInfo) -> tuple[Cost, str] | None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier":
            return None
        name = node_text(left)
        if node.type == "augmented_assignment":
            op = next((c for c in node.children if not c.is_named and c.type.endswith("=")), None)
            if op is None or op.type != "+=":
                return None
            kind = self._sequence_kind(name, function, info)
            if kind == "string":
                return LINEAR, f"`{snippet_of(self.source, node)}` builds a new string: O(n)"
            return None
        if right.type == "binary_operator":
            op = right.child_by_field_name("operator")
            a = right.child_by_field_name("left")
            b = right.child_by_field_name("right")
            if op is not None and op.type == "+" and ((a is not None and node_text(a) == name) or (b is not None and node_text(b) == name)):
                kind = self._sequence_kind(name, function, info)
                if kind:
                    return LINEAR, f"`{snippet_of(self.source, node)}` copies the {kind}: O(n)"
        return None

    def _sequence_kind(self, name: str, function: Node, info: FunctionInfo) -> str | None:
        annotation = (info.params.get(name) or "").split("[")[0].strip()
        if annotation == "str":
            return "string"
        if annotation in ("list", "List"):
            return "list"
        values = assigned_values(function, name)
        if not values:
            return None
        if all(v.type in ("string", "concatenated_string") or (v.type == "call" and call_parts(v)[0] == "str") for v in values):
            return "string"
        if all(v.type in ("list", "list_comprehension") or (v.type == "call" and call_parts(v)[0] in ("list", "sorted")) for v in values):
            return "list"
        return None

    # -- recursion ---------------------------------------------------------------------------
