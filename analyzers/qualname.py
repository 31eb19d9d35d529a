"""Qualified names of functions and classes, in Python's ``__qualname__`` convention.

``Class.method``, ``outer.<locals>.inner``, ``outer.<locals>.Helper.method``: the names of the
enclosing classes and functions, with ``<locals>`` after each enclosing function. The metrics, the
rules that name a function in their message and the model's units all use this one spelling.
"""

from __future__ import annotations

from tree_sitter import Node

_FUNCTION = "function_definition"
_CLASS = "class_definition"
MISSING_NAME = "?"  # a definition whose name tree-sitter could not read (syntax errors)


def qualified_name(definition: Node) -> str:
    """The ``__qualname__`` of a function or class definition node."""
    parts: list[str] = []
    current: Node | None = definition
    while current is not None:
        if current.type in (_FUNCTION, _CLASS):
            if current is not definition and current.type == _FUNCTION:
                parts.append("<locals>")
            name = current.child_by_field_name("name")
            text = name.text.decode("utf-8", errors="replace") if name is not None else ""
            parts.append(text or MISSING_NAME)
        current = current.parent
    return ".".join(reversed(parts))
