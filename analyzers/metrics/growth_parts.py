"""What the growth estimator's parts share: the names of costly calls, one costed site, the
justification lines, and small readings of the tree (literals, calls, parameters, bindings)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hasten.analyzers.metrics.cost import Cost
from hasten.analyzers.metrics.fallback import node_text
from hasten.analyzers.metrics.results import Reason
from hasten.analyzers.source import Source
from tree_sitter import Node

# -- from hasten.analyzers.syntax (all of this module's imports from it) -----------------------
from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.tree import function_name, walk_same_scope

LOOPS = ("for_statement", "while_statement", "for_in_clause")
COMPREHENSIONS = ("list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression")
# Regular expressions walk the string they are given.
REGEX_CALLS = frozenset({"re.sub", "re.subn", "re.findall", "re.split", "re.search", "re.fullmatch"})
# One pass over the argument.
LINEAR_BUILTINS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sum", "min", "max", "any", "all", "Counter", "collections.Counter", "bytes", "bytearray", "copy.copy", "copy.deepcopy", "deepcopy", "heapq.heapify", "heapify", "math.prod", "statistics.mean", "statistics.median", "np.array", "numpy.array"})
SORTS = frozenset({"sorted", "heapq.nlargest", "heapq.nsmallest", "nlargest", "nsmallest"})
LOG_CALLS = frozenset({"bisect.bisect", "bisect.bisect_left", "bisect.bisect_right", "bisect.insort", "bisect_left", "bisect_right", "heapq.heappush", "heapq.heappop", "heappush", "heappop", "heapq.heapreplace", "heapq.heappushpop"})
MEMO_DECORATORS = ("lru_cache", "cache", "memoize", "memoized", "cached")


@dataclass
class Site:
    cost: Cost | None  # None: unknown
    reasons: list[Reason]  # innermost last


def reason_at(source: Source, node: Node, text: str) -> Reason:
    line = source.byte_to_cli(node.start_byte)[0]
    return Reason(line, text, node.start_byte, node.end_byte)


def snippet_of(source: Source, node: Node, limit: int = 40) -> str:
    text = " ".join(source.node_text(node).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_int_literal(node: Node | None) -> bool:
    if node is None:
        return False
    if node.type == "unary_operator":
        return is_int_literal(node.named_children[-1] if node.named_children else None)
    return node.type in ("integer", "float")


def is_constant_expr(node: Node) -> bool:
    """Literal numbers and arithmetic on them."""
    if node.type in ("integer", "float", "true", "false", "none"):
        return True
    if node.type in ("unary_operator", "binary_operator", "parenthesized_expression"):
        return all(is_constant_expr(c) for c in node.named_children)
    return False


def is_literal_collection(node: Node) -> bool:
    if node.type in ("string", "concatenated_string"):
        return not any(c.type == "interpolation" for c in node.named_children)
    if node.type in ("list", "tuple", "set", "dictionary"):
        return not any(c.type in ("list_splat", "dictionary_splat") for c in node.named_children)
    return False


def call_parts(node: Node) -> tuple[str | None, Node | None, str | None, list[Node]]:
    """(dotted callee name, receiver node for method calls, method name, arguments)."""
    func = node.child_by_field_name("function")
    args_node = node.child_by_field_name("arguments")
    args = [c for c in args_node.named_children if c.type != "comment"] if args_node is not None and args_node.type == "argument_list" else []
    if args_node is not None and args_node.type == "generator_expression":
        args = [args_node]
    if func is None:
        return None, None, None, args
    if func.type == "attribute":
        return call_name(node), func.child_by_field_name("object"), node_text(func.child_by_field_name("attribute")), args
    return call_name(node), None, None, args


class FunctionInfo:
    def __init__(self, node: Node, qualname: str, class_name: str | None):
        self.node = node
        self.qualname = qualname
        self.name = function_name(node) or ""
        self.class_name = class_name
        self.params = annotated_parameters(node)


def annotated_parameters(function: Node) -> dict[str, str | None]:
    """Parameter name → its annotation's text (or None)."""
    out: dict[str, str | None] = {}
    params = function.child_by_field_name("parameters")
    if params is None:
        return out
    for child in params.named_children:
        if child.type == "identifier":
            out[node_text(child)] = None
        elif child.type in ("typed_parameter", "typed_default_parameter", "default_parameter"):
            name = child.child_by_field_name("name")
            if name is None:
                name = next((c for c in child.named_children if c.type == "identifier"), None)
            annotation = child.child_by_field_name("type")
            if name is not None:
                out[node_text(name)] = node_text(annotation) if annotation is not None else None
    return out


def assigned_values(function: Node, name: str) -> list[Node]:
    """Values of the plain ``name = value`` statements in ``function``'s own scope (other ways of
    binding ``name``, such as ``+=``, are ignored)."""
    body = function.child_by_field_name("body")
    values = []
    for node in walk_same_scope(body) if body is not None else ():
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier" and node_text(left) == name:
                values.append(right)
    return values


def first_argument_is(call: Node, name: str) -> bool:
    args = call.child_by_field_name("arguments")
    return args is not None and bool(args.named_children) and node_text(args.named_children[0]) == name


def read_identifiers(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            parent = current.parent
            if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == current:
                continue
            if parent is not None and parent.type == "call" and parent.child_by_field_name("function") == current:
                continue
            yield current
        elif current.type not in ("lambda",):
            stack.extend(current.children)


def is_small_int(text: str) -> bool:
    text = text.strip()
    text = text.removeprefix("-")
    return text == "" or text.isdigit()


def is_halving(node: Node) -> bool:
    text = node_text(node).replace(" ", "")
    return "//2" in text or ">>1" in text or "/2" in text
