"""Walking tree-sitter-python trees and finding what encloses a node."""

from __future__ import annotations

from typing import Iterator

from tree_sitter import Node

LOOP_TYPES = frozenset({"for_statement", "while_statement"})
SCOPE_TYPES = frozenset({"function_definition", "lambda", "class_definition", "module"})


COMPREHENSION_TYPES = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
# Nodes that open a scope of their own (a decorated definition wraps one).
NESTED_SCOPE_TYPES = frozenset({"function_definition", "lambda", "class_definition", "decorated_definition"})


def walk(node: Node) -> Iterator[Node]:
    """Pre-order walk of ``node`` and its descendants."""
    cursor = node.walk()
    visited_children = False
    depth = 0
    while True:
        if not visited_children:
            yield cursor.node
            if cursor.goto_first_child():
                depth += 1
                continue
        if depth == 0:
            return
        if cursor.goto_next_sibling():
            visited_children = False
        elif cursor.goto_parent():
            depth -= 1
            visited_children = True
            if depth == 0:
                return
        else:  # pragma: no cover - defensive
            return


def walk_same_scope(node: Node) -> Iterator[Node]:
    """Walk ``node``'s subtree without entering nested functions, lambdas or classes."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for child in reversed(current.children):
            if child.type in NESTED_SCOPE_TYPES:
                continue
            stack.append(child)


def walk_with_parents(node: Node) -> Iterator[tuple[Node, str | None, list[Node]]]:
    """Pre-order walk of ``node``'s subtree yielding ``(node, field, parents)``: the field name
    under which the node hangs in its parent, and the list of its ancestors, innermost last
    (``parents[-1]`` is the parent; the list stops at ``node``'s own parent and is shared, so
    copy it to keep it). The parents travel down with a cursor: ``Node.parent`` costs the node's
    depth, so asking it for every node of a long expression would be quadratic."""
    parent = node.parent
    parents: list[Node] = [parent] if parent is not None else []
    yield node, _field_in(parent, node), parents
    cursor = node.walk()
    if not cursor.goto_first_child():
        return
    base = len(parents)
    parents.append(node)
    while True:
        current = cursor.node
        yield current, cursor.field_name, parents
        if cursor.goto_first_child():
            parents.append(current)
            continue
        while not cursor.goto_next_sibling():
            cursor.goto_parent()
            parents.pop()
            if len(parents) == base:
                return


def _field_in(parent: Node | None, node: Node) -> str | None:
    if parent is None:
        return None
    cursor = parent.walk()
    found = cursor.goto_first_child()
    while found:
        if cursor.node == node:
            return cursor.field_name
        found = cursor.goto_next_sibling()
    return None


def is_reference(field: str | None, parents: list[Node]) -> bool:
    """For an identifier met by :func:`walk_with_parents`: True when it names a variable, not
    the attribute after a dot nor the name of a keyword argument."""
    if not parents:
        return True
    parent_type = parents[-1].type
    return not ((parent_type == "attribute" and field == "attribute") or (parent_type == "keyword_argument" and field == "name"))


def references(node: Node) -> Iterator[Node]:
    """Identifiers under ``node`` that name a variable, in source order (linear in the size of
    the subtree)."""
    for current, field, parents in walk_with_parents(node):
        if current.type == "identifier" and is_reference(field, parents):
            yield current


def root_of(node: Node) -> Node:
    """The module node of the tree holding ``node``."""
    while True:
        parent = node.parent
        if parent is None:
            return node
        node = parent


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def enclosing_scope(node: Node) -> Node:
    """The function, lambda, class or module whose body holds ``node``."""
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return parent
    return node  # node is the module itself


def enclosing_function(node: Node) -> Node | None:
    scope = enclosing_scope(node)
    return scope if scope.type == "function_definition" else None


def contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def identifier_text(node: Node | None) -> str | None:
    if node is not None and node.type == "identifier":
        return node.text.decode("utf-8", errors="replace")
    return None


def function_name(function: Node) -> str | None:
    return identifier_text(function.child_by_field_name("name"))


def is_async(node: Node) -> bool:
    return any(child.type == "async" for child in node.children)


def statement_of(node: Node) -> Node:
    """The statement that holds ``node`` (a child of a block or module)."""
    current = node
    while current.parent is not None and current.parent.type not in ("block", "module"):
        current = current.parent
    return current


def statement_expression(statement: Node) -> Node | None:
    """The expression of an expression statement such as ``out.append(x)``."""
    if statement.type != "expression_statement" or statement.named_child_count != 1:
        return None
    return statement.named_children[0]


def strip_parens(node: Node) -> Node:
    while node.type == "parenthesized_expression" and len(node.named_children) == 1:
        node = node.named_children[0]
    return node


def is_simple_expression(node: Node) -> bool:
    """An expression that cannot have side effects or raise in surprising ways when moved:
    names, attributes of names, literals, and subscripts of those."""
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in ("identifier", "integer", "float", "string", "true", "false", "none", "concatenated_string"):
            if kind == "string" and any(c.type == "interpolation" for c in current.named_children):
                return False
        elif kind == "attribute":
            stack.append(current.child_by_field_name("object"))
        elif kind == "parenthesized_expression":
            stack.extend(current.named_children)
        else:
            return False
    return True


def inside_error(node: Node) -> bool:
    return any(a.type == "ERROR" for a in ancestors(node))
