"""Helpers for building fixes from slices of the source, so comments and formatting survive."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Edit
from hasten.analyzers.source import Source
from hasten.analyzers.syntax import walk


def names_in(node: Node) -> set[str]:
    return {n.text.decode() for n in walk(node) if n.type == "identifier"}


def fresh_name(scope: Node, base: str) -> str:
    """``base`` or ``base_2``, ``base_3``... whichever no identifier in ``scope``'s module uses."""
    root = scope
    while root.parent is not None:
        root = root.parent
    taken = names_in(root)
    if base not in taken:
        return base
    i = 2
    while f"{base}_{i}" in taken:
        i += 1
    return f"{base}_{i}"


def starts_line(source: Source, node: Node) -> bool:
    """True when only whitespace precedes ``node`` on its line."""
    line = source.line_of_byte(node.start_byte)
    prefix = source.slice(source.line_starts[line], node.start_byte)
    return prefix.strip() == ""


def insert_statement_before(source: Source, statement: Node, code: str) -> Edit | None:
    """An edit that inserts ``code`` (one or more lines, unindented) before ``statement`` at its
    indentation. None when the statement does not start its own line (``if x: stmt``)."""
    if not starts_line(source, statement):
        return None
    line = source.line_of_byte(statement.start_byte)
    indent = source.indent_of_line(line)
    nl = source.newline
    text = "".join(f"{indent}{part}{nl}" if part else nl for part in code.split("\n"))
    start = source.line_starts[line]
    return Edit(start, start, text)


def replace_node(node: Node, text: str) -> Edit:
    return Edit(node.start_byte, node.end_byte, text)


def needs_parens(node: Node) -> bool:
    """Whether an expression must be parenthesised when used as an operand or call receiver."""
    return node.type in (
        "conditional_expression", "lambda", "named_expression", "boolean_operator", "not_operator",
        "comparison_operator", "binary_operator", "unary_operator", "await", "yield", "expression_list",
    )


def operand(source: Source, node: Node) -> str:
    text = source.node_text(node)
    return f"({text})" if needs_parens(node) else text
