"""Value proofs: what an expression certainly evaluates to."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.syntax.calls import call_name, method_call
from hasten.analyzers.syntax.imports import is_builtin
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.scope import bindings_of, names_bound_in_file
from hasten.analyzers.syntax.tree import contains, strip_parens, walk

LIST_BUILDERS = frozenset({"list_comprehension", "list"})
SET_BUILDERS = frozenset({"set", "set_comprehension"})
DICT_BUILDERS = frozenset({"dictionary", "dictionary_comprehension"})


def is_list_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a new ``list``."""
    pending = [node]  # every one of these must be a list (no recursion: sums can be long)
    while pending:
        node = pending.pop()
        if node.type in LIST_BUILDERS or (node.type == "call" and call_name(node) in ("list", "sorted")):
            continue
        if not _push_operands(node, pending):
            return False
    return True


def _push_operands(node: Node, pending: list[Node]) -> bool:
    """For ``a + b`` push both operands, for ``a * <int>`` or ``<int> * a`` push ``a``: the
    result has the operands' sequence type when they all have it. False for anything else."""
    if node.type != "binary_operator":
        return False
    op = node.child_by_field_name("operator")
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if op is None or left is None or right is None:
        return False
    if op.type == "+":
        pending += (right, left)
    elif op.type == "*" and right.type == "integer":
        pending.append(left)
    elif op.type == "*" and left.type == "integer":
        pending.append(right)
    else:
        return False
    return True


def is_tuple_value(node: Node) -> bool:
    return node.type == "tuple" or (node.type == "call" and call_name(node) == "tuple")


def is_set_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a new ``set`` or ``frozenset``."""
    node = strip_parens(node)
    return node.type in SET_BUILDERS or (node.type == "call" and call_name(node) in ("set", "frozenset"))


def is_mutable_set_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a new (mutable) ``set``."""
    node = strip_parens(node)
    return node.type in SET_BUILDERS or (node.type == "call" and call_name(node) == "set")


def is_dict_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a new ``dict`` (or a dict subclass built by a
    builtin call we trust: ``dict(...)``)."""
    node = strip_parens(node)
    return node.type in DICT_BUILDERS or (node.type == "call" and call_name(node) == "dict")


# Methods of ``str`` that return a ``str`` (not ``split`` (a list), ``encode`` (bytes),
# ``startswith`` (a bool), ...).
STR_RETURNING_METHODS = frozenset(
    {
        "join", "format", "format_map", "upper", "lower", "strip", "lstrip", "rstrip", "replace",
        "title", "capitalize", "casefold", "swapcase", "center", "ljust", "rjust", "zfill",
        "expandtabs", "removeprefix", "removesuffix", "translate",
    }
)
STR_BUILTINS = frozenset({"str", "repr", "format", "chr", "ascii", "hex", "oct", "bin"})


def is_str_literal(node: Node) -> bool:
    """A string literal or f-string that is ``str`` (not ``bytes``)."""
    node = strip_parens(node)
    if node.type == "concatenated_string":
        return all(is_str_literal(c) for c in node.named_children if c.type == "string")
    if node.type != "string":
        return False
    start = node.child(0)
    prefix = start.text.decode().lower() if start is not None and start.type == "string_start" else ""
    return "b" not in prefix.rstrip("'\"")


def is_str_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a ``str`` (or raises while evaluating): string
    literals and f-strings, ``str(...)``/``repr(...)``/``format(...)`` and friends, ``str``
    methods that return a ``str`` called on one of these, ``+`` of two of these, ``%`` with a
    string on the left, and conditional expressions whose branches are both strings."""
    pending = [node]  # every one of these must be a str (no recursion: sums can be long)
    while pending:
        node = pending.pop()
        while node.type == "parenthesized_expression":
            inner = [c for c in node.named_children if c.type != "comment"]
            if len(inner) != 1:
                break
            node = inner[0]
        kind = node.type
        if kind in ("string", "concatenated_string"):
            if not is_str_literal(node):
                return False
        elif kind == "call":
            name = call_name(node)
            mc = method_call(node)
            if name in STR_BUILTINS and node.child_by_field_name("function").type == "identifier":
                if not is_builtin(node, name):
                    return False
            elif mc is not None and mc[1] in STR_RETURNING_METHODS:
                pending.append(mc[0])
            else:
                return False
        elif kind == "binary_operator" and _operator(node) == "%":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or not is_str_literal(left):
                return False
        elif kind == "conditional_expression":
            branches = node.named_children
            if len(branches) != 3:
                return False
            pending += (branches[2], branches[0])
        elif not _push_operands(node, pending):
            return False
    return True


def _operator(node: Node) -> str | None:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else None


def is_bytes_literal(node: Node) -> bool:
    if node.type == "concatenated_string":
        return all(is_bytes_literal(c) for c in node.named_children)
    if node.type != "string":
        return False
    start = node.named_children[0] if node.named_children else None
    prefix = start.text.decode().lower() if start is not None and start.type == "string_start" else ""
    return "b" in prefix and "f" not in prefix


def integer_value(node: Node) -> int | None:
    """The value of an integer literal, allowing a unary minus (``-1``); None otherwise."""
    node = strip_parens(node)
    sign = 1
    if node.type == "unary_operator":
        op = node.child_by_field_name("operator")
        arg = node.child_by_field_name("argument")
        if op is None or op.type != "-" or arg is None:
            return None
        sign, node = -1, arg
    if node.type != "integer":
        return None
    try:
        return sign * int(node.text.decode().replace("_", ""), 0)
    except ValueError:
        return None


def is_small_literal_name(function: Node, name: str, limit: int = 8) -> bool:
    """True when every binding of ``name`` is a list/tuple/set display of fewer than ``limit``
    elements and nothing mutates it: data too small for a repeated scan to matter."""
    values = bindings_of(function, name)
    if not values or not all(v.type in ("list", "tuple", "set") and len(v.named_children) < limit for v in values):
        return False
    return name not in mutated_names(function)


# Calls that cannot raise StopIteration. Inside a generator a StopIteration becomes RuntimeError,
# inside ``map``/``list()`` it ends the iteration silently, inside a list comprehension it
# propagates: a rewrite between these forms is only safe when nothing raises it.
QUIET_BUILTINS = frozenset({
    "str", "repr", "format", "len", "int", "float", "abs", "round", "chr", "ord", "hex", "oct",
    "bin", "bool", "ascii", "sorted", "min", "max", "sum", "isinstance", "divmod", "pow", "hash",
    "tuple", "list", "set", "frozenset", "dict", "range", "enumerate", "zip", "reversed", "any",
    "all", "map", "filter",
})
# Methods of ``str`` (whatever they return) that cannot raise StopIteration.
QUIET_STR_METHODS = frozenset({
    "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "replace",
    "format", "join", "ljust", "rjust", "center", "zfill", "encode", "decode", "hex", "removeprefix",
    "removesuffix", "swapcase", "expandtabs", "split", "rsplit", "startswith", "endswith",
})


def may_raise_stop_iteration(node: Node, outside: Node | None = None) -> bool:
    """True when ``node`` calls something other than a builtin or a string method (which could
    raise StopIteration). Calls inside ``outside`` (e.g. a first iterable) are not counted."""
    bound: frozenset[str] | None = None  # the file's bound names, looked up once
    for current in walk(node):
        if current.type != "call":
            continue
        if outside is not None and contains(outside, current):
            continue
        name = call_name(current)
        if name in QUIET_BUILTINS:
            bound = names_bound_in_file(node) if bound is None else bound
            if name not in bound:
                continue
        mc = method_call(current)
        if mc is not None and mc[1] in QUIET_STR_METHODS:
            continue
        return True
    return False
