"""Whether code may change an object: mutated names, read-only uses."""

from __future__ import annotations

from functools import lru_cache

from tree_sitter import Node

from hasten.analyzers.syntax.calls import MUTATING_METHODS, PURE_BUILTINS, READONLY_METHODS, call_name, method_call
from hasten.analyzers.syntax.scope import bound_names
from hasten.analyzers.syntax.tree import is_reference, parent_of, walk, walk_with_parents

@lru_cache(maxsize=8192)
def mutated_names(node: Node) -> frozenset[str]:
    """Names whose object may be changed in place inside ``node``: a mutating method called on
    them, an item or slice assigned or deleted, an augmented assignment, or passed to a call as a
    bare argument (the callee could mutate it). Nested scopes are included: a closure may mutate."""
    names: set[str] = set()
    for current in walk(node):
        kind = current.type
        if kind == "call":
            mc = method_call(current)
            if mc is not None:
                receiver, method, _ = mc
                base = _base_name(receiver)
                if base and method in MUTATING_METHODS:
                    names.add(base)
            args = current.child_by_field_name("arguments")
            if args is not None and call_name(current) not in PURE_BUILTINS:
                for arg in args.named_children:
                    if arg.type == "identifier":
                        names.add(arg.text.decode())
        elif kind in ("assignment", "augmented_assignment"):
            left = current.child_by_field_name("left")
            for target in _flatten_targets(left):
                if target.type in ("subscript", "attribute"):
                    base = _base_name(target)
                    if base:
                        names.add(base)
                elif kind == "augmented_assignment" and target.type == "identifier":
                    names.add(target.text.decode())
        elif kind == "delete_statement":
            for target in current.named_children:
                for item in _flatten_targets(target):
                    if item.type in ("subscript", "attribute"):
                        base = _base_name(item)
                        if base:
                            names.add(base)
    return frozenset(names)


def _flatten_targets(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if node.type in ("pattern_list", "tuple_pattern", "list_pattern", "expression_list", "tuple", "list"):
        out: list[Node] = []
        for child in node.named_children:
            out.extend(_flatten_targets(child))
        return out
    return [node]


def _base_name(node: Node) -> str | None:
    """``a`` for ``a``, ``a.b``, ``a[i]``, ``a.b[i].c``."""
    current = node
    while current.type in ("attribute", "subscript"):
        current = current.child_by_field_name("object") or current.child_by_field_name("value")
        if current is None:
            return None
    if current.type == "identifier":
        return current.text.decode()
    return None


def name_may_change(loop: Node, name: str) -> bool:
    """Whether the object named ``name`` may be rebound or changed while ``loop`` runs: bound or
    mutated there (see ``mutated_names``), passed by keyword, aliased by an assignment or stored in
    a container, or used as the receiver of a method not known to be read-only."""
    if name in bound_names(loop) or name in mutated_names(loop):
        return True
    wanted = name.encode()
    for use, field, parents in walk_with_parents(loop):
        if use.type != "identifier" or use.text != wanted or not parents or not is_reference(field, parents):
            continue
        parent = parents[-1]  # carried down the walk: asking each use for its parent is quadratic
        kind = parent.type
        if kind == "keyword_argument" and parent.child_by_field_name("value") == use:
            return True
        if kind in ("assignment", "augmented_assignment") and parent.child_by_field_name("right") == use:
            return True
        if kind in ("list", "tuple", "set", "pair", "expression_list", "return_statement"):
            return True
        if kind == "attribute" and parent.child_by_field_name("object") == use:
            call = parents[-2] if len(parents) > 1 else parent.parent
            if call is not None and call.type == "call" and call.child_by_field_name("function") == parent:
                method = parent.child_by_field_name("attribute").text.decode()
                if method not in READONLY_METHODS:
                    return True
            elif call is not None and call.type in ("assignment", "augmented_assignment") and call.child_by_field_name("left") == parent:
                return True
    return False


def value_use_is_read_only(use: Node) -> bool:
    """True when this use of a name only reads the object: attribute or item reads (however
    deep), a read-only method, comparison, iteration, or a builtin that does not keep it."""
    node = use
    parent = parent_of(node)  # remembered during a check: ``Node.parent`` costs the depth
    while parent is not None and (
        (parent.type == "attribute" and parent.child_by_field_name("object") == node)
        or (parent.type == "subscript" and parent.child_by_field_name("value") == node)
    ):
        node = parent
        parent = parent_of(node)
    if parent is None:
        return False
    kind = parent.type
    if kind == "call" and parent.child_by_field_name("function") == node:
        if node.type != "attribute":
            return False
        method = node.child_by_field_name("attribute").text.decode()
        return method in READONLY_METHODS and value_use_is_read_only_result(parent)
    if kind in ("assignment", "augmented_assignment"):
        return parent.child_by_field_name("right") == node and node is not use
    if kind == "delete_statement":
        return False
    if kind in ("comparison_operator", "binary_operator", "boolean_operator", "not_operator", "unary_operator",
                "interpolation", "if_statement", "while_statement", "conditional_expression"):
        return True
    if kind in ("for_statement", "for_in_clause"):
        return parent.child_by_field_name("right") == node
    grandparent = parent_of(parent) if kind == "argument_list" else None
    if kind == "argument_list" and grandparent is not None:
        func = grandparent.child_by_field_name("function")
        return func is not None and func.type == "identifier" and func.text.decode() in (
            "len", "print", "str", "repr", "isinstance", "bool", "int", "float", "hash", "id", "type", "format",
            "sorted", "min", "max", "sum", "any", "all",
        )
    return False


def value_use_is_read_only_result(call: Node) -> bool:
    """A read-only method's result may still share state (``d.items()`` views, ``x.copy()`` is
    fresh); treat it as read-only unless it is stored."""
    parent = parent_of(call)
    return parent is None or parent.type not in ("assignment", "augmented_assignment", "return_statement", "list", "tuple", "set", "pair")
