"""Helpers for building fixes from slices of the source, so comments and formatting survive."""

from __future__ import annotations

import sys
from functools import lru_cache

from tree_sitter import Node, Query, QueryCursor

from hasten.analyzers.finding import Edit
from hasten.analyzers.source import PYTHON, Source
from hasten.analyzers.syntax.tree import walk

_IDENTIFIERS = Query(PYTHON, "(identifier) @id")


def names_in(node: Node) -> set[str]:
    # A query matches in C: on a 100,000-line module this is seconds faster than a Python walk.
    return {n.text.decode() for n in QueryCursor(_IDENTIFIERS).captures(node).get("id", ())}


@lru_cache(maxsize=2)
def _module_names(root: Node) -> frozenset[str]:
    # Once per tree, not once per fix: every fix in a file asks about the same module. One query
    # per top-level statement, so that no single C call holds the GIL for long (the server
    # answers other requests while it analyses a 100,000-line file).
    names = names_in(root) if not root.children else set()
    for child in root.children:
        names |= names_in(child)
    return frozenset(names)


def fresh_name(scope: Node, base: str) -> str:
    """``base`` or ``base_2``, ``base_3``... whichever no identifier in ``scope``'s module uses."""
    root = scope
    while root.parent is not None:
        root = root.parent
    taken = _module_names(root)
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


# -- helpers added for the HS1xx/HS3xx foundation rules ---------------------------------------


def range_has_comment(source: Source, start: int, end: int) -> bool:
    """True when a comment starts inside bytes ``start:end``: replacing that range would drop it."""
    from hasten.analyzers.syntax.comments import comments_in_range

    return comments_in_range(source.tree.root_node, start, end)


def node_has_comment(source: Source, node: Node) -> bool:
    return range_has_comment(source, node.start_byte, node.end_byte)


def _import_sort_key(node: Node) -> tuple[int, int, str] | None:
    """Where isort (and ruff's I001, default settings) puts a top-level import: (section:
    1 standard library, 2 third party, 3 relative; then ``import x`` before ``from x import``;
    then the module name, case-insensitively)."""
    if node.type == "import_statement":
        first = next((c for c in node.named_children if c.type in ("dotted_name", "aliased_import")), None)
        if first is not None and first.type == "aliased_import":
            first = first.child_by_field_name("name")
        is_from = 0
    elif node.type == "import_from_statement":
        first = node.child_by_field_name("module_name")
        is_from = 1
    else:
        return None
    if first is None:
        return None
    module = first.text.decode()
    if first.type == "relative_import" or module.startswith("."):
        return 3, is_from, module.lower()
    section = 1 if module.split(".")[0] in sys.stdlib_module_names else 2
    return section, is_from, module.lower()


def sorted_import_edit(source: Source, statement: str) -> Edit | None:
    """An edit inserting the standard-library import ``statement`` (``import m`` or
    ``from m import n``) into the module's leading block of imports where isort would put it, so
    the fixed file passes ruff's I001. None when the module has no leading import block."""
    root = source.tree.root_node
    block: list[Node] = []
    for child in root.named_children:
        if child.type == "comment":
            continue
        if child.type in ("import_statement", "import_from_statement"):
            block.append(child)
            continue
        if block:
            break
        if child.type == "future_import_statement" or (
            child.type == "expression_statement" and child.named_children and child.named_children[0].type == "string"
        ):
            continue
        break
    if not block:
        return None
    words = statement.split()
    new_key = (1, 1 if words[0] == "from" else 0, words[1].lower())
    nl = source.newline
    previous = None
    for node in block:
        key = _import_sort_key(node)
        if key is None:
            return None
        if key > new_key:
            if key[0] != 1 and previous is not None and _import_sort_key(previous)[0] == 1:
                break  # join the standard-library group above the blank line
            start = source.line_starts[source.line_of_byte(node.start_byte)]
            separator = nl if key[0] != 1 else ""  # first of its section: a blank line before the next
            return Edit(start, start, statement + nl + separator)
        previous = node
    line = source.line_of_byte(max(previous.end_byte - 1, previous.start_byte))
    end = source.line_end(line, with_newline=True)
    prefix = "" if source.data[:end].endswith((b"\n", b"\r")) else nl
    return Edit(end, end, prefix + statement + nl)


def module_import_edit(source: Source, module: str) -> tuple[Edit | None, bool]:
    """``(edit, ok)`` to make ``module`` usable by its plain name at module level.

    ``(None, True)``: a top-level ``import module`` already exists. ``(edit, True)``: the edit
    inserts ``import module`` after the module docstring and ``from __future__`` imports.
    ``(None, False)``: the name is bound some other way at module level (``module = ...``,
    ``from x import module``): the caller should not use it.
    """
    root = source.tree.root_node
    from hasten.analyzers.syntax.scope import bound_names

    for child in root.named_children:
        if child.type == "import_statement":
            for name in child.named_children:
                if name.type == "dotted_name" and name.text.decode() == module:
                    return None, True
    if module in bound_names(root):
        return None, False
    placed = sorted_import_edit(source, f"import {module}")
    if placed is not None:
        return placed, True
    anchor = None
    for child in root.named_children:
        if child.type == "comment":
            continue
        if child.type == "expression_statement" and anchor is None and child.named_children and child.named_children[0].type == "string":
            anchor = child
            continue
        if child.type == "future_import_statement":
            anchor = child
            continue
        break
    nl = source.newline
    if anchor is None:
        # Before the first statement (after leading comments such as a shebang or coding line).
        first = next((c for c in root.named_children if c.type != "comment"), None)
        offset = source.line_starts[source.line_of_byte(first.start_byte)] if first is not None else len(source.data)
        spacing = nl * 2 if first is not None and first.type in ("function_definition", "class_definition", "decorated_definition") else ""
        return Edit(offset, offset, f"import {module}{nl}{spacing}"), True
    line = source.line_of_byte(max(anchor.end_byte - 1, anchor.start_byte))
    if line + 1 < source.line_count:
        offset = source.line_starts[line + 1]
        return Edit(offset, offset, f"import {module}{nl}"), True
    return Edit(len(source.data), len(source.data), f"{nl}import {module}{nl}"), True


def add_import(source: Source, statement: str) -> Edit:
    """An edit that adds a top-level standard-library import line where isort would put it in the
    leading import block (:func:`sorted_import_edit`); without one, after the module docstring
    and ``__future__`` imports."""
    placed = sorted_import_edit(source, statement)
    if placed is not None:
        return placed
    root = source.tree.root_node
    after = None
    for child in root.named_children:
        if child.type == "comment":
            continue
        if child.type == "future_import_statement" or (
            child.type == "expression_statement" and after is None and child.named_children
            and child.named_children[0].type == "string" and child == _first_statement(root)
        ):
            after = child
            continue
        if child.type in ("import_statement", "import_from_statement"):
            line = source.line_of_byte(child.start_byte)
            start = source.line_starts[line]
            return Edit(start, start, statement + source.newline)
        break
    if after is None:
        return Edit(0, 0, statement + source.newline)
    line = source.line_of_byte(after.end_byte)
    end = source.line_end(line, with_newline=True)
    prefix = "" if source.data[:end].endswith((b"\n", b"\r")) else source.newline
    return Edit(end, end, prefix + statement + source.newline)


def _first_statement(root: Node) -> Node | None:
    return next((c for c in root.named_children if c.type != "comment"), None)


def insert_statement_after(source: Source, statement: Node, code: str) -> Edit | None:
    """An edit that inserts ``code`` (one line, unindented) after ``statement`` at its
    indentation. None when the statement does not start its own line or shares its last line."""
    if not starts_line(source, statement):
        return None
    last = source.line_of_byte(statement.end_byte)
    rest = source.slice(statement.end_byte, source.line_end(last))
    if rest.strip() and not rest.strip().startswith("#"):
        return None
    indent = source.indent_of_line(source.line_of_byte(statement.start_byte))
    end = source.line_end(last, with_newline=True)
    prefix = "" if source.data[:end].endswith((b"\n", b"\r")) else source.newline
    return Edit(end, end, f"{prefix}{indent}{code}{source.newline}")


def variable_names_in(node: Node) -> set[str]:
    """Identifiers used as variables (not attribute names or keyword-argument names)."""
    names = set()
    for n in walk(node):
        if n.type != "identifier":
            continue
        parent = n.parent
        if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == n:
            continue
        if parent is not None and parent.type == "keyword_argument" and parent.child_by_field_name("name") == n:
            continue
        names.add(n.text.decode())
    return names


def fresh_variable(scope: Node, base: str) -> str:
    """Like ``fresh_name`` but an attribute called ``base`` (``os.path.join``) does not count as
    taken: only variables anywhere in the module (and builtins' names) do."""
    import builtins

    root = scope
    while root.parent is not None:
        root = root.parent
    taken = variable_names_in(root) | set(dir(builtins))
    if base not in taken:
        return base
    i = 2
    while f"{base}_{i}" in taken:
        i += 1
    return f"{base}_{i}"
