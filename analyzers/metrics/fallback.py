"""The tree-sitter side of the metrics: the functions of a file, and cyclomatic complexity
counted as radon counts it (used when Python cannot parse the file, and by HS501, which needs no
radon)."""

from __future__ import annotations

from collections.abc import Iterator

from hasten.analyzers.metrics.results import Loc
from hasten.analyzers.qualname import qualified_name
from hasten.analyzers.source import Source
from tree_sitter import Node


def node_text(node: Node | None) -> str:
    return node.text.decode("utf-8", errors="replace") if node is not None else ""


# Statements whose bodies can hold a ``def`` (expressions never do).
_HOLDS_DEFINITIONS = frozenset({
    "module", "block", "decorated_definition", "if_statement", "elif_clause", "else_clause",
    "for_statement", "while_statement", "try_statement", "except_clause", "except_group_clause",
    "finally_clause", "with_statement", "match_statement", "case_clause", "ERROR",
})


def iter_functions(root: Node) -> Iterator[tuple[Node, str, bool]]:
    """Every function definition (nested ones and methods included) with its qualified name
    (:func:`hasten.analyzers.qualname.qualified_name`) and whether it is a method, in source order."""
    stack: list[tuple[Node, bool]] = [(root, False)]
    out: list[tuple[Node, str, bool]] = []
    while stack:
        node, in_class = stack.pop()
        for child in reversed(node.children):
            if child.type == "function_definition":
                out.append((child, qualified_name(child), in_class))
                stack.append((child, False))
            elif child.type == "class_definition":
                stack.append((child, True))
            elif child.type in _HOLDS_DEFINITIONS:
                stack.append((child, in_class))
    out.sort(key=lambda item: item[0].start_byte)
    return iter(out)


# ---------------------------------------------------------------------------------------------
# Cyclomatic complexity from the tree-sitter tree, counted as radon counts it
# ---------------------------------------------------------------------------------------------


def _is_irrefutable_case(case: Node) -> bool:
    """``case _:`` or ``case name:`` without a guard (radon's "MatchAs without a pattern")."""
    pattern = next((c for c in case.named_children if c.type == "case_pattern"), None)
    patterns = [c for c in case.named_children if c.type == "case_pattern"]
    if pattern is None or len(patterns) != 1:
        return False
    inner = pattern.named_children
    if not inner:
        return node_text(pattern).strip() == "_"
    if len(inner) == 1 and inner[0].type in ("dotted_name", "identifier"):
        name = inner[0]
        return name.type == "identifier" or (name.named_child_count == 1)
    return False


def tree_sitter_complexity(function: Node) -> int:
    """Radon's cyclomatic complexity of ``function`` from its tree-sitter subtree: 1 plus one per
    ``if``/``elif``/conditional expression, loop (plus its ``else``), ``except`` clause and
    ``try``'s ``else``, boolean operator, comprehension clause, ``assert`` and refutable ``case``;
    nested functions and classes are not counted (radon reports them on their own)."""
    body = function.child_by_field_name("body")
    if body is None:
        return 1
    total = 1
    stack = list(body.children)
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in ("function_definition", "class_definition", "decorated_definition"):
            continue
        if kind == "assert_statement":
            total += 1
            continue  # radon does not look inside asserts
        if kind in ("if_statement", "elif_clause", "conditional_expression", "boolean_operator"):
            total += 1
        elif kind == "if_clause":
            total += node.parent is not None and node.parent.type != "case_clause"  # guards are free
        elif kind in ("for_statement", "while_statement"):
            total += 1 + any(c.type == "else_clause" for c in node.children)
        elif kind == "for_in_clause":
            total += 1
        elif kind == "try_statement":
            handlers = [c for c in node.children if c.type == "except_clause"]
            if not any(any(t.type == "*" for t in h.children) for h in handlers):  # radon skips except*
                total += len(handlers) + any(c.type == "else_clause" for c in node.children)
        elif kind == "match_statement":
            block = node.child_by_field_name("body")
            cases = [c for c in (block.named_children if block is not None else []) if c.type == "case_clause"]
            total += max(0, len(cases) - any(_is_irrefutable_case(c) for c in cases))
        stack.extend(node.children)
    return total


def simple_loc(source: Source, node: Node) -> Loc:
    first = source.byte_to_cli(node.start_byte)[0]
    last = source.byte_to_cli(max(node.start_byte, node.end_byte - 1))[0]
    blank = comments = 0
    for line in range(first - 1, last):
        stripped = source.line_text(line).strip()
        if not stripped:
            blank += 1
        elif stripped.startswith("#"):
            comments += 1
    total = last - first + 1
    return Loc(total, total - blank - comments, None, comments, blank)
