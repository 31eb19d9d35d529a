"""Names: what a scope binds, where a name is used, and the values it is bound to."""

from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager
import functools
from functools import lru_cache
from typing import Callable, Iterator

from tree_sitter import Node

from hasten.analyzers.syntax.tree import (
    COMPREHENSION_TYPES,
    SCOPE_TYPES,
    ancestors,
    contains,
    identifier_text,
    is_reference,
    references,
    root_of,
    walk,
    walk_same_scope,
    walk_with_parents,
)

def target_names(target: Node) -> set[str]:
    """Names bound by an assignment target (``a``, ``a, b``, ``[a, *b]``); attribute and
    subscript targets bind no name."""
    names: set[str] = set()
    stack = [target]
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            names.add(node.text.decode("utf-8", errors="replace"))
        elif node.type in ("pattern_list", "tuple_pattern", "list_pattern", "expression_list",
                           "tuple", "list", "list_splat_pattern", "parenthesized_expression",
                           "list_splat", "as_pattern_target"):
            stack.extend(node.named_children)
    return names


@lru_cache(maxsize=8192)
def bound_names(node: Node) -> frozenset[str]:
    """Every name (re)bound anywhere inside ``node``, nested scopes excluded (but ``global`` and
    ``nonlocal`` declarations and nested ``def``/``class`` names are counted)."""
    names: set[str] = set()
    for current in walk_same_scope(node):  # one walk: this runs for most loops and scopes
        kind = current.type
        # Nested definitions bind their own names in this scope.
        for child in current.children:
            definition = child
            if definition.type == "decorated_definition":
                definition = definition.child_by_field_name("definition") or definition
            if definition.type in ("function_definition", "class_definition"):
                name = identifier_text(definition.child_by_field_name("name"))
                if name:
                    names.add(name)
        if kind in ("assignment", "augmented_assignment"):
            left = current.child_by_field_name("left")
            if left is not None:
                names |= target_names(left)
        elif kind == "named_expression":
            name = identifier_text(current.child_by_field_name("name"))
            if name:
                names.add(name)
        elif kind in ("for_statement", "for_in_clause"):
            left = current.child_by_field_name("left")
            if left is not None:
                names |= target_names(left)
        elif kind == "as_pattern":
            alias = current.child_by_field_name("alias")
            if alias is not None:
                names |= target_names(alias)
        elif kind == "except_clause":
            for child in current.named_children:
                if child.type == "identifier" and child.prev_sibling is not None and child.prev_sibling.type == "as":
                    names.add(child.text.decode())
        elif kind == "delete_statement":
            for child in current.named_children:
                names |= target_names(child)
        elif kind in ("import_statement", "import_from_statement"):
            for child in current.named_children:
                if child.type == "dotted_name" and current.type == "import_statement":
                    names.add(child.named_children[0].text.decode())
                elif child.type == "aliased_import":
                    alias = child.child_by_field_name("alias")
                    if alias is not None:
                        names.add(alias.text.decode())
                elif child.type == "dotted_name" and child != current.child_by_field_name("module_name"):
                    names.add(child.text.decode())
        elif kind in ("global_statement", "nonlocal_statement"):
            for child in current.named_children:
                if child.type == "identifier":
                    names.add(child.text.decode())
    return frozenset(names)


def bound_names_shallow(node: Node) -> set[str]:
    """Names bound by this one statement or clause itself (not its nested statements)."""
    kind = node.type
    if kind == "augmented_assignment":
        return target_names(node.child_by_field_name("left"))
    if kind in ("for_statement", "for_in_clause"):
        left = node.child_by_field_name("left")
        return target_names(left) if left is not None else set()
    if kind == "named_expression":
        name = identifier_text(node.child_by_field_name("name"))
        return {name} if name else set()
    if kind == "as_pattern":
        alias = node.child_by_field_name("alias")
        return target_names(alias) if alias is not None else set()
    if kind == "delete_statement":
        names: set[str] = set()
        for child in node.named_children:
            names |= target_names(child)
        return names
    if kind in ("import_statement", "import_from_statement", "global_statement", "nonlocal_statement", "except_clause"):
        return bound_names(node)
    return set()


def _parameter_names(params: Node) -> set[str]:
    names = set()
    for child in params.named_children:
        if child.type == "identifier":
            names.add(child.text.decode())
        else:
            for sub in child.named_children:
                if sub.type == "identifier":
                    names.add(sub.text.decode())
                    break
    return names


def parameter_names(function: Node) -> set[str]:
    """Names of a function's (or lambda's) parameters."""
    params = function.child_by_field_name("parameters")
    return _parameter_names(params) if params is not None else set()


def is_local_name(scope: Node, name: str) -> bool:
    """True when ``name`` is a parameter of the function ``scope`` or bound in its body, and is
    not declared ``global`` or ``nonlocal`` there. For the module (whose code is analysed like a
    function body), any name the module binds."""
    if scope.type == "module":
        return name in bound_names(scope)
    if scope.type != "function_definition":
        return False
    body = scope.child_by_field_name("body")
    if body is None:
        return False
    text = body.text  # the walk below only when a declaration can be there: most bodies have none
    for current in walk_same_scope(body) if b"global" in text or b"nonlocal" in text else ():
        if current.type in ("global_statement", "nonlocal_statement"):
            if any(c.type == "identifier" and c.text.decode() == name for c in current.named_children):
                return False
    return name in parameter_names(scope) or name in bound_names(body)


def name_uses(node: Node, name: str) -> list[Node]:
    """Identifier nodes reading or writing ``name`` within ``node`` (attribute names and keyword
    argument names excluded)."""
    wanted = name.encode()
    return [current for current in references(node) if current.text == wanted]


# Constructs whose reads cannot be listed as plain names.
_OPAQUE_READS = COMPREHENSION_TYPES | {"lambda", "named_expression", "await", "yield"}


def read_names(node: Node) -> set[str] | None:
    """Identifiers an expression reads, or None when it contains something whose reads cannot be
    listed simply (lambda, comprehension, walrus, await, yield). Linear in the expression's size."""
    names: set[str] = set()
    for current, field, parents in walk_with_parents(node):
        kind = current.type
        if kind in _OPAQUE_READS:
            return None
        if kind == "identifier" and is_reference(field, parents):
            names.add(current.text.decode())
    return names


def _assignments(scope: Node, name: str, augmented: bool) -> list[Node] | None:
    """The assignment statements to ``name`` in ``scope``'s own body (``name = v``, and with
    ``augmented`` also ``name op= v``); None when ``name`` is a parameter or bound any other way
    (loop target, tuple target, walrus, import, del, global, chained or annotation-only
    assignment, ...)."""
    if scope.type == "function_definition" and name in parameter_names(scope):
        return None
    body = scope.child_by_field_name("body") if scope.type != "module" else scope
    if body is None:
        return None
    plain = ("assignment", "augmented_assignment") if augmented else ("assignment",)
    found: list[Node] = []
    for current in walk_same_scope(body):
        kind = current.type
        if kind in plain:
            left = current.child_by_field_name("left")
            if left is None:
                continue
            if left.type == "identifier" and left.text.decode() == name:
                right = current.child_by_field_name("right")
                if right is None or right.type == "assignment":
                    return None  # annotation only, or chained a = b = value
                found.append(current)
            elif name in target_names(left):
                return None
        elif kind in _OTHER_BINDINGS and name in bound_names_shallow(current):
            return None
    return found


_OTHER_BINDINGS = frozenset({
    "augmented_assignment", "for_statement", "for_in_clause", "named_expression", "as_pattern",
    "delete_statement", "import_statement", "import_from_statement", "global_statement",
    "nonlocal_statement", "except_clause",
})


def bindings_of(scope: Node, name: str) -> list[Node] | None:
    """The value expressions assigned to ``name`` by plain ``name = value`` statements in
    ``scope`` (same scope only). Returns None when ``name`` is bound any other way (loop target,
    augmented assignment, parameter, global, walrus, import, del, ...), because then its type
    cannot be proven from the bindings alone."""
    statements = _assignments(scope, name, augmented=False)
    return None if statements is None else [s.child_by_field_name("right") for s in statements]


def proven_bindings(scope: Node, name: str, predicate) -> list[Node] | None:
    """The plain bindings of ``name`` in ``scope`` when there is at least one and every one
    satisfies ``predicate`` (a proven type, e.g. a list built in the function); None otherwise
    (see :func:`bindings_of`)."""
    values = bindings_of(scope, name)
    if not values or not all(predicate(v) for v in values):
        return None
    return values


def assignments_to(function: Node, name: str) -> list[Node] | None:
    """Every plain and augmented assignment statement (``name = v``, ``name op= v``) to ``name``
    in ``function``'s own scope (or the module's: module-level code is analysed like a function
    body); None when ``name`` is a parameter or bound any other way."""
    if function.type not in ("function_definition", "module"):
        return None
    return _assignments(function, name, augmented=True)


def used_in_nested_scope(scope: Node, name: str) -> bool:
    """True when a function, lambda or class nested in ``scope``'s body mentions ``name``."""
    body = scope.child_by_field_name("body") if scope.type != "module" else scope
    if body is None:
        return False
    for child in walk(body):
        if child.type in ("function_definition", "lambda", "class_definition") and name_uses(child, name):
            return True
    return False


def used_outside(scope: Node, name: str, region: Node) -> bool:
    """True when ``name`` is read or written anywhere in ``scope`` (nested scopes included)
    outside ``region``; a loop variable that leaks is then observed."""
    return any(not contains(region, use) and not _rebound_locally(use, name, scope) for use in name_uses(scope, name))


def _rebound_locally(use: Node, name: str, scope: Node) -> bool:
    """True when ``use`` sits in a lambda, function or comprehension inside ``scope`` that binds
    ``name`` itself (a parameter or a comprehension variable), so it is another variable."""
    for parent in ancestors(use):
        if parent == scope:
            return False
        if parent.type in ("lambda", "function_definition"):
            params = parent.child_by_field_name("parameters")
            if params is not None and name in _parameter_names(params):
                return True
        elif parent.type in COMPREHENSION_TYPES:
            clauses = [c for c in parent.named_children if c.type == "for_in_clause"]
            first_iterable = clauses[0].child_by_field_name("right") if clauses else None
            in_first_iterable = first_iterable is not None and contains(first_iterable, use)
            if not in_first_iterable and any(
                name in target_names(c.child_by_field_name("left")) for c in clauses if c.child_by_field_name("left")
            ):
                return True
    return False


def _scope_bound_names(scope: Node) -> set[str]:
    if scope.type == "module":
        return bound_names(scope)
    names: set[str] = set()
    params = scope.child_by_field_name("parameters")
    if params is not None:
        for node in walk(params):
            if node.type == "identifier":
                names.add(node.text.decode())
    body = scope.child_by_field_name("body")
    if body is not None:
        names |= bound_names(body)
    return names


def bound_anywhere(node: Node, name: str) -> bool:
    """True when ``name`` is bound in any scope of the file holding ``node`` (assignment,
    parameter, import, ``def``, loop target, ...): a builtin of that name may then be shadowed."""
    found = name in _names_bound_in_file(root_of(node))
    note_read("bound", name, found)
    return found


def names_bound_in_file(node: Node) -> frozenset[str]:
    """Every name bound in any scope of the file holding ``node`` (all names with a
    ``from module import *``)."""
    names = _names_bound_in_file(root_of(node))
    if _sink() is not None:
        return _NotedNames(names)
    return names


class _Everything(frozenset):
    """The names bound by a file with ``from module import *``: any name may be."""

    def __contains__(self, name: object) -> bool:
        return True


_EVERYTHING = _Everything()


class _NotedNames(frozenset):
    """The file's bound names handed to a caller while reads are noted: each membership test is
    noted, so a cached result can be checked against a later revision of the file."""

    def __new__(cls, names: frozenset[str]):
        self = super().__new__(cls, () if isinstance(names, _Everything) else names)
        self._all = isinstance(names, _Everything)
        return self

    def __contains__(self, name: object) -> bool:
        found = self._all or frozenset.__contains__(self, name)
        note_read("bound", name, found)
        return found


@lru_cache(maxsize=64)
def _names_bound_in_file(root: Node) -> frozenset[str]:
    names = set(_scope_bound_names(root))
    for child in root.children:
        within = _bound_within(child)
        if isinstance(within, _Everything):
            return _EVERYTHING
        names |= within
    return frozenset(names)


# Names bound inside a top-level statement (or a class member), keyed by its type and text: an
# edit re-walks the definition it touched, not the whole file.
_WITHIN: dict[bytes, frozenset[str]] = {}  # plain dict operations: safe across threads
_WITHIN_MAX = 8192


def _bound_within(node: Node) -> frozenset[str]:
    """Names bound in the scopes at or inside ``node`` (``_EVERYTHING`` with a wildcard import)."""
    key = None
    if not node.has_error and node.end_byte - node.start_byte > 64:
        key = hashlib.blake2b(node.text, digest_size=16).digest() + node.type.encode()
        cached = _WITHIN.get(key)
        if cached is not None:
            return cached
    definition = node
    if node.type == "decorated_definition":
        definition = node.child_by_field_name("definition") or node
    body = definition.child_by_field_name("body") if definition.type == "class_definition" else None
    names: set[str] = set()
    if body is None:
        if not _add_scopes_bound(node, names):
            return _EVERYTHING
    else:
        names |= _scope_bound_names(definition)
        outside = [c for c in node.children if c.id != definition.id] if node.id != definition.id else []
        outside += [c for c in definition.children if c.id != body.id]
        if not all(_add_scopes_bound(part, names) for part in outside):
            return _EVERYTHING
        for member in body.children:
            within = _bound_within(member)
            if isinstance(within, _Everything):
                return _EVERYTHING
            names |= within
    result = frozenset(names)
    if key is not None:
        if len(_WITHIN) >= _WITHIN_MAX:
            _WITHIN.clear()
        _WITHIN[key] = result
    return result


def _add_scopes_bound(node: Node, names: set[str]) -> bool:
    """Add the names bound in every scope at or inside ``node``; False at a wildcard import."""
    for current in walk(node):
        if current.type == "wildcard_import":
            return False
        if current.type in SCOPE_TYPES:
            names |= _scope_bound_names(current)
    return True


# -- noting what an analysis read outside the definition it checks ----------------------------
#
# The editor's incremental checker caches each definition's findings. A few facts come from
# elsewhere in the file (the names bound anywhere, a class's attribute assignments in its other
# methods, a same-file function's returns, imports anywhere); while it checks one definition it
# installs a sink, and the functions computing those facts note (kind, key..., result) there, so a
# later revision can recompute exactly those facts and re-check the definition only when one
# differs. Facts computed while another such fact is being computed are not noted: the outer
# one's result covers them.

_NOTES = threading.local()


def _sink() -> Callable[[tuple], None] | None:
    if getattr(_NOTES, "depth", 0):
        return None
    return getattr(_NOTES, "sink", None)


def note_read(kind: str, *key_and_result) -> None:
    sink = _sink()
    if sink is not None:
        sink((kind, *key_and_result))


@contextmanager
def noting_reads(sink: Callable[[tuple], None]) -> Iterator[None]:
    """Send the reads noted on this thread to ``sink`` until the block ends."""
    previous = getattr(_NOTES, "sink", None), getattr(_NOTES, "depth", 0)
    _NOTES.sink, _NOTES.depth = sink, 0
    try:
        yield
    finally:
        _NOTES.sink, _NOTES.depth = previous


def noted(kind: str):
    """Decorate a function computing a fact from outside the definition being checked: each call
    is noted as ``(kind, *arguments, result)``, and the reads made while computing it are not."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args):
            _NOTES.depth = getattr(_NOTES, "depth", 0) + 1
            try:
                result = function(*args)
            finally:
                _NOTES.depth -= 1
            note_read(kind, *args, result)
            return result

        return wrapper

    return decorate


def deleted_outside(scope: Node, name: str, region: Node) -> bool:
    """True when a ``del`` statement of ``scope`` outside ``region`` deletes ``name`` itself: a
    rewrite that stops ``region`` binding ``name`` would make it raise ``NameError``."""
    for use in name_uses(scope, name):
        if contains(region, use) or _rebound_locally(use, name, scope):
            continue
        parent = use.parent
        while parent is not None and parent.type in ("expression_list", "tuple", "parenthesized_expression", "list"):
            parent = parent.parent
        if parent is not None and parent.type == "delete_statement":
            return True
    return False
