"""Syntax the size facts (``sizes.py``) stand on: where a name's scope is, what adds to a name
or to ``self.x``, the calls of a file's own functions, the parts of a call, and whether a name
holds fixed data (:func:`known_small`). Nothing here asks whether data can be large."""

from __future__ import annotations

from functools import lru_cache

from tree_sitter import Node

from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.facts import binding_table
from hasten.analyzers.syntax.tree import COMPREHENSION_TYPES, SCOPE_TYPES, ancestors, function_name, strip_parens, walk, walk_same_scope

_GROWING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "extendleft"})
CONSTANTS = frozenset({"string", "concatenated_string", "integer", "float", "true", "false", "none"})


def scope_of(node: Node) -> Node:
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return parent
    return node


@lru_cache(maxsize=256)
def calls_by_name(root: Node) -> dict[str, list[Node]]:
    """Calls of plain names in the file (``helper(...)``), by name: one walk per file."""
    calls: dict[str, list[Node]] = {}
    for node in walk(root):
        if node.type == "call":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "identifier":
                calls.setdefault(function.text.decode(), []).append(node)
    return calls


def fixed_default(function: Node, parameter: str) -> bool:
    """The parameter defaults to fixed data: a display written out (``()``, ``("a", "b")``) or a
    name bound to one (``GETTEXT_FUNCTIONS``)."""
    params = function.child_by_field_name("parameters")
    for child in params.named_children if params is not None else ():
        if child.type not in ("default_parameter", "typed_default_parameter"):
            continue
        name, value = child.child_by_field_name("name"), child.child_by_field_name("value")
        if name is not None and name.text.decode() == parameter and value is not None:
            value = strip_parens(value)
            return fixed_value(value, frozenset()) or (value.type == "identifier" and known_small(value))
    return False


@lru_cache(maxsize=1024)
def grown_names(scope: Node) -> dict[str, list[Node]]:
    """``name.append(...)``-like calls and ``name += ...`` in ``scope``'s own body, by name."""
    grown: dict[str, list[Node]] = {}
    body = scope if scope.type == "module" else scope.child_by_field_name("body")
    for node in walk_same_scope(body) if body is not None else ():
        if node.type == "call":
            mc = method_parts(node)
            if mc is not None and mc[1] in _GROWING_METHODS and strip_parens(mc[0]).type == "identifier":
                grown.setdefault(strip_parens(mc[0]).text.decode(), []).append(node)
        elif node.type == "augmented_assignment":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                grown.setdefault(left.text.decode(), []).append(node)
        elif node.type == "assignment":  # table[key] = value fills a dict
            left = node.child_by_field_name("left")
            base = left.child_by_field_name("value") if left is not None and left.type == "subscript" else None
            if base is not None and base.type == "identifier":
                grown.setdefault(base.text.decode(), []).append(node)
    return grown


@lru_cache(maxsize=512)
def attribute_steps(cls: Node) -> dict[str, list[tuple[Node, Node]]]:
    """Assignments to and grow steps on ``self.x`` in the class's methods: attr -> [(node, method)]."""
    steps: dict[str, list[tuple[Node, Node]]] = {}
    body = cls.child_by_field_name("body")
    for node in walk(body) if body is not None else ():
        target = None
        if node.type == "assignment":
            target = node.child_by_field_name("left")
            if target is not None and target.type == "subscript":  # self.table[key] = value
                target = target.child_by_field_name("value")
                node = node.child_by_field_name("left")
        elif node.type == "augmented_assignment":
            target = node.child_by_field_name("left")
        elif node.type == "call":
            mc = method_parts(node)
            if mc is not None and mc[1] in _GROWING_METHODS:
                target = strip_parens(mc[0])
        if target is None or target.type != "attribute":
            continue
        obj, attr = target.child_by_field_name("object"), target.child_by_field_name("attribute")
        if obj is None or obj.text != b"self" or attr is None:
            continue
        method = next((p for p in ancestors(node) if p.type == "function_definition"), None)
        if method is not None and function_name(method) is not None:
            steps.setdefault(attr.text.decode(), []).append((node, method))
    return steps


# Separators that cut one path, dotted name or version into its few parts.
NAME_SEPARATORS = frozenset({'"/"', "'/'", '"."', "'.'", '"\\\\"', "'\\\\'", '"::"', "'::'", "os.sep", "os.path.sep"})


def splits_name(call: Node) -> bool:
    """``path.split(os.sep)``, ``name.split(".")``: the components of one path or dotted name."""
    parts = method_parts(call)
    if parts is None or parts[1] not in ("split", "rsplit"):
        return False
    args = argument_nodes(parts[2])
    return bool(args) and strip_parens(args[0]).text.decode() in NAME_SEPARATORS


def method_parts(call: Node) -> tuple[Node, str, Node | None] | None:
    """(receiver, method, arguments) of ``receiver.method(...)``, a generator argument included."""
    function = call.child_by_field_name("function")
    if call.type != "call" or function is None or function.type != "attribute":
        return None
    obj, attr = function.child_by_field_name("object"), function.child_by_field_name("attribute")
    if obj is None or attr is None:
        return None
    return obj, attr.text.decode(), call.child_by_field_name("arguments")


def argument_nodes(arguments: Node | None) -> list[Node]:
    """The argument expressions of a call (``f(x for x in y)`` has the generator as its only one)."""
    if arguments is None:
        return []
    if arguments.type == "generator_expression":
        return [arguments]
    return [a.child_by_field_name("value") if a.type == "keyword_argument" else a
            for a in arguments.named_children if a.type != "comment"]


def known_small(node: Node, _seen: frozenset = frozenset()) -> bool:
    """The code shows ``node`` (a name) holds fixed data: every binding in its scope is a display
    of items written out, a split of a literal string or a comprehension over such data, and
    nothing adds to it inside a loop. The converse question to :func:`size_evidence`, for rules
    that report unless the data is known to be small."""
    node = strip_parens(node)
    if node.type != "identifier":
        return False
    name = node.text.decode()
    scope = scope_of(node)
    while scope.type != "module" and name not in binding_table(scope):
        scope = scope_of(scope)
    key = (scope, name)
    if key in _seen:
        return True  # `cols = [c for c in cols if ...]`: as small as the other bindings say
    bindings = [b for b in binding_table(scope).get(name, ()) if b.how != "annotation"]
    seen = _seen | {key}
    if not bindings or any(b.how != "assign" or b.value is None or not fixed_value(b.value, seen) for b in bindings):
        return False
    return not any(inside_loop(grow, scope) for grow in grown_names(scope).get(name, ()))


def fixed_value(value: Node, seen: frozenset) -> bool:
    value = strip_parens(value)
    if value.type == "call":  # "a b c".split(), path.split(os.sep), list(<fixed>)
        parts = method_parts(value)
        if parts is not None:
            return strip_parens(parts[0]).type in CONSTANTS or splits_name(value)
        args = argument_nodes(value.child_by_field_name("arguments"))
        return call_name(value) in ("list", "tuple", "sorted") and len(args) == 1 and (
            fixed_value(args[0], seen) or known_small(args[0], seen))
    if value.type in COMPREHENSION_TYPES:
        iterables = [c.child_by_field_name("right") for c in value.named_children if c.type == "for_in_clause"]
        return bool(iterables) and all(
            i is not None and (fixed_value(i, seen) or known_small(i, seen)) for i in iterables)
    # a display of items written out (no `*rest`): as many items as the code names
    return value.type in ("list", "tuple", "set") and not any(
        c.type in ("list_splat", "parenthesized_list_splat") for c in value.named_children)


def inside_loop(node: Node, scope: Node) -> bool:
    for parent in ancestors(node):
        if parent == scope:
            return False
        if parent.type in ("for_statement", "while_statement"):
            return True
    return False
