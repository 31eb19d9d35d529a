"""Calls: who is called, with which arguments, and what builtins and methods do."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.syntax.tree import walk

# Methods that change a list, set, dict or bytearray in place.
MUTATING_METHODS = frozenset(
    {
        "append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
        "add", "discard", "update", "difference_update", "intersection_update",
        "symmetric_difference_update", "setdefault", "popitem", "popleft", "appendleft",
        "extendleft", "rotate", "__setitem__", "__delitem__", "__iadd__",
    }
)
# Methods that only read their receiver, for the common built-in types. A method not listed
# here may change its receiver (a user class can do anything), so callers treat it as a write.
READONLY_METHODS = frozenset(
    {
        "index", "count", "copy", "keys", "values", "items", "get", "issubset", "issuperset",
        "isdisjoint", "union", "intersection", "difference", "symmetric_difference", "startswith",
        "endswith", "find", "rfind", "split", "rsplit", "strip", "lstrip", "rstrip", "lower",
        "upper", "join", "format", "encode", "decode", "replace", "most_common", "casefold",
        "isdigit", "isalpha", "isalnum", "isspace", "partition", "rpartition", "splitlines",
    }
)
# Builtins that never change the arguments they are given.
PURE_BUILTINS = frozenset(
    {
        "len", "sorted", "set", "frozenset", "list", "tuple", "dict", "min", "max", "sum", "any",
        "all", "enumerate", "zip", "iter", "print", "str", "repr", "isinstance", "reversed", "map",
        "filter", "bool", "int", "float", "hash", "id", "type", "range", "abs", "round", "format",
        "next",
    }
)


def method_call(node: Node) -> tuple[Node, str, Node] | None:
    """For ``receiver.method(args)`` return (receiver, method name, argument_list)."""
    if node.type != "call":
        return None
    func = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if func is None or func.type != "attribute" or args is None or args.type != "argument_list":
        return None
    obj = func.child_by_field_name("object")
    attr = func.child_by_field_name("attribute")
    if obj is None or attr is None:
        return None
    return obj, attr.text.decode(), args


def call_name(node: Node) -> str | None:
    """For ``name(args)`` return ``name``; for ``a.b.c(args)`` return ``a.b.c``."""
    if node.type != "call":
        return None
    func = node.child_by_field_name("function")
    if func is None:
        return None
    if func.type == "identifier":
        return func.text.decode()
    if func.type == "attribute":
        parts = []
        current = func
        while current.type == "attribute":
            parts.append(current.child_by_field_name("attribute").text.decode())
            current = current.child_by_field_name("object")
        if current.type != "identifier":
            return None
        parts.append(current.text.decode())
        return ".".join(reversed(parts))
    return None


def call_arguments(call: Node, *, plain: bool = False) -> tuple[list[Node] | None, dict[str, Node] | None]:
    """``(positional, keywords)`` of a call with comments skipped; ``(None, None)`` with
    ``*``/``**`` splats. A lone generator argument (``f(x for x in y)``) is one positional.
    With ``plain``, only a parenthesised argument list without comments qualifies (a fix that
    copies the arguments' text then loses nothing): ``(None, None)`` otherwise."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return None, None
    if args.type == "generator_expression":
        return (None, None) if plain else ([args], {})
    positional: list[Node] = []
    keywords: dict[str, Node] = {}
    for child in args.named_children:
        if child.type == "comment":
            if plain:
                return None, None
            continue
        if child.type in ("list_splat", "dictionary_splat"):
            return None, None
        if child.type == "keyword_argument":
            name, value = child.child_by_field_name("name"), child.child_by_field_name("value")
            if name is None or value is None:
                return None, None
            keywords[name.text.decode()] = value
        else:
            positional.append(child)
    return positional, keywords


DYNAMIC_SCOPE_CALLS = frozenset({"locals", "vars", "eval", "exec", "globals", "super"})


def uses_dynamic_scope(node: Node) -> bool:
    """True when ``node`` calls something that inspects or depends on the current frame."""
    for child in walk(node):
        if child.type == "call":
            func = child.child_by_field_name("function")
            if func is not None and func.type == "identifier" and func.text.decode() in DYNAMIC_SCOPE_CALLS:
                return True
    return False
