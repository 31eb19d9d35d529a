"""Control flow around a node: try/with, error paths, ``__main__`` guards, recursion."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.syntax.scope import bound_names, parameter_names
from hasten.analyzers.syntax.tree import SCOPE_TYPES, ancestors, function_name, identifier_text, statement_of, walk_same_scope
def in_exception_handler_scope(node: Node) -> bool:
    """True when ``node`` sits inside a ``try`` or ``with`` statement of its own scope: code
    after an exception there can still run and observe half-done state."""
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return False
        if parent.type in ("try_statement", "with_statement"):
            return True
    return False


def inside_try(node: Node) -> bool:
    """True when ``node`` is in a ``try`` statement of its own scope (an exception could then
    be caught and the state left behind observed)."""
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return False
        if parent.type == "try_statement":
            return True
    return False


def in_main_guard(node: Node) -> bool:
    """True inside ``if __name__ == "__main__":`` (script or demo code, run once)."""
    for parent in ancestors(node):
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if condition is not None and b"__name__" in condition.text and b"__main__" in condition.text:
                return True
    return False


def on_error_path(statement: Node) -> bool:
    """True when the block holding ``statement`` ends by raising after it: code that runs once
    per failure, on the way to an exception."""
    statement = statement_of(statement)
    block = statement.parent
    if block is None or block.type != "block":
        return False
    rest = [c for c in block.named_children if c.type != "comment" and c.start_byte >= statement.end_byte]
    return bool(rest) and rest[-1].type == "raise_statement"


def recursive_calls(function: Node) -> list[Node]:
    """Calls of ``function`` to itself in its own body (``name(...)``, or ``self.name(...)`` for
    a method whose first parameter is ``self``-like). Empty when the name is rebound inside."""
    name = function_name(function)
    body = function.child_by_field_name("body")
    if name is None or body is None or name in bound_names(body) or name in parameter_names(function):
        return []
    receiver = None
    container = function.parent
    if container is not None and container.type == "decorated_definition":
        container = container.parent
    if container is not None and container.type == "block" and container.parent is not None and container.parent.type == "class_definition":
        params = function.child_by_field_name("parameters")
        first = params.named_children[0] if params is not None and params.named_children else None
        receiver = identifier_text(first)
    calls = []
    for node in walk_same_scope(body):
        if node.type != "call":
            continue
        func = node.child_by_field_name("function")
        if func is None:
            continue
        if receiver is None and func.type == "identifier" and func.text.decode() == name:
            calls.append(node)
        elif receiver is not None and func.type == "attribute":
            obj = func.child_by_field_name("object")
            if identifier_text(obj) == receiver and func.child_by_field_name("attribute").text.decode() == name:
                calls.append(node)
    return calls


SUPPRESSING_CONTEXTS = frozenset({"suppress", "contextlib.suppress"})


def exception_keeps_partial_state(node: Node) -> str | None:
    """Why an exception raised inside ``node`` could be caught in the same scope with what the
    loop built so far still visible (a ``try`` body, ``with suppress(...)``), or None. Rewriting
    such a loop as one comprehension changes what is kept: the comprehension keeps nothing."""
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return None
        if parent.type == "try_statement":
            body = parent.child_by_field_name("body")
            if body is not None and body.start_byte <= node.start_byte and node.end_byte <= body.end_byte:
                return "the loop is inside `try`"
        if parent.type == "with_statement":
            for item in parent.named_children:
                if item.type != "with_clause":
                    continue
                for call in (n for n in item.named_children if n.type == "with_item"):
                    value = call.child_by_field_name("value") or (call.named_children[0] if call.named_children else None)
                    function = value.child_by_field_name("function") if value is not None and value.type == "call" else None
                    if function is not None and function.text.decode() in SUPPRESSING_CONTEXTS:
                        return "the loop is inside `with suppress(...)`"
    return None
