"""Comments: finding them in a range and keeping them in a fix."""

from __future__ import annotations

from tree_sitter import Node

def comment_nodes_in_range(root: Node, start: int, end: int) -> list[Node]:
    """Comment nodes starting within bytes ``start:end``, in source order."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.end_byte <= start or node.start_byte >= end:
            continue
        if node.type == "comment" and start <= node.start_byte < end:
            found.append(node)
            continue
        stack.extend(node.children)
    return sorted(found, key=lambda n: n.start_byte)


def comments_in_range(root: Node, start: int, end: int) -> bool:
    """True when a comment starts within bytes ``start:end`` of the tree under ``root``."""
    return bool(comment_nodes_in_range(root, start, end))


def has_comment(node: Node) -> bool:
    return comments_in_range(node, node.start_byte, node.end_byte)


def keep_comments(source, start: int, end: int, replacement: str) -> str | None:
    """``replacement`` for bytes ``start:end`` (a statement starting its line) with the range's
    comments kept: own-line comments move above it at its indentation, trailing comments follow
    it on its last line. A fix built this way drops no comment. None when code follows ``end`` on
    its line (a trailing comment would swallow it)."""
    comments = comment_nodes_in_range(source.tree.root_node, start, end)
    if not comments:
        return replacement
    line = source.line_of_byte(start)
    indent = source.indent_of_line(line)
    above, trailing = [], []
    for comment in comments:
        comment_line = source.line_of_byte(comment.start_byte)
        before = source.slice(source.line_starts[comment_line], comment.start_byte)
        (above if before.strip() == "" else trailing).append(source.node_text(comment))
    text = "".join(f"{c}{source.newline}{indent}" for c in above) + replacement
    if trailing:
        rest = source.slice(end, source.line_end(source.line_of_byte(end)))
        if rest.strip() and not rest.strip().startswith("#"):
            return None
        text += "  " + "  ".join(trailing)
    return text
