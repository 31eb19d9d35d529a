"""Statement shapes that fixes rewrite."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.syntax.tree import statement_expression
def empty_binding_before(statement: Node, name: str, literal: str) -> Node | None:
    """The statement just before ``statement`` when it is exactly ``name = <literal>`` (``[]``,
    ``{}``, ``set()``), so a loop that fills ``name`` can become one comprehension or call."""
    previous = statement.prev_named_sibling
    while previous is not None and previous.type == "comment":
        previous = previous.prev_named_sibling
    if previous is None or previous.type != "expression_statement" or previous.named_child_count != 1:
        return None
    assignment = previous.named_children[0]
    if assignment.type != "assignment":
        return None
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None or assignment.child_by_field_name("type") is not None:
        return None
    if left.type != "identifier" or left.text.decode() != name:
        return None
    if right.text.decode().replace(" ", "") != literal:
        return None
    return previous


def name_assigned_a_call(node: Node) -> tuple[str, Node] | None:
    """(name, call) for an ``assignment`` node that is a whole statement ``name = f(...)``."""
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier" or right.type != "call":
        return None
    if node.parent is None or statement_expression(node.parent) != node:
        return None
    return left.text.decode(), right
