"""Where the mutation operators (``mutations.py``) look: small queries over a function's tree."""

from __future__ import annotations

import random
from typing import Iterator

from tree_sitter import Node

from hasten.analyzers.source import Source



def descendants(node: Node, types: str | tuple[str, ...] | frozenset) -> Iterator[Node]:
    if isinstance(types, str):
        types = (types,)
    stack = list(reversed(node.children))
    while stack:
        n = stack.pop()
        if n.type in types:
            yield n
        stack.extend(reversed(n.children))


def text(src: Source, node: Node) -> str:
    return src.node_text(node)


def line_indent(src: Source, byte: int) -> str:
    return src.indent_of_line(src.line_of_byte(byte))


def starts_line(src: Source, node: Node) -> bool:
    """The node is the first thing on its line (so it can be replaced by several lines)."""
    line = src.line_of_byte(node.start_byte)
    return src.slice(src.line_starts[line], node.start_byte).strip() == ""


def in_loop(node: Node, stop: Node) -> bool:
    cur = node.parent
    while cur is not None and cur.id != stop.id:
        if cur.type in ("for_statement", "while_statement"):
            return True
        cur = cur.parent
    return False


def identifiers_named(root: Node, src: Source, name: str) -> list[Node]:
    return [n for n in descendants(root, "identifier") if text(src, n) == name and not is_attribute_name(n)]


def is_attribute_name(n: Node) -> bool:
    p = n.parent
    return p is not None and p.type == "attribute" and p.child_by_field_name("attribute") == n


def is_keyword_name(n: Node) -> bool:
    p = n.parent
    return p is not None and p.type == "keyword_argument" and p.child_by_field_name("name") == n


def simple_assignment(stmt: Node) -> tuple[Node, Node] | None:
    """``name = value`` as an expression statement -> (name, value)."""
    if stmt.type != "expression_statement" or stmt.named_child_count != 1:
        return None
    a = stmt.named_children[0]
    if a.type != "assignment":
        return None
    left, right = a.child_by_field_name("left"), a.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier" or a.child_by_field_name("type"):
        return None
    return left, right


def call_parts(call: Node) -> tuple[Node, list[Node], list[Node]] | None:
    """(function, positional args, keyword args) of a call, or None with splats/generators."""
    if call.type != "call":
        return None
    fn, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
    if fn is None or args is None or args.type != "argument_list":
        return None
    pos, kws = [], []
    for a in args.named_children:
        if a.type in ("list_splat", "dictionary_splat", "comment"):
            return None
        (kws if a.type == "keyword_argument" else pos).append(a)
    return fn, pos, kws


def pick(rng: random.Random, items: list):
    return rng.choice(items) if items else None


def comparison_in(node: Node) -> tuple[Node, str, Node] | None:
    """``left in right`` / ``left not in right`` -> (left, op, right)."""
    if node.type != "comparison_operator" or node.named_child_count != 2:
        return None
    ops = [c for c in node.children if not c.is_named]
    op = " ".join(c.type for c in ops)
    if op not in ("in", "not in"):
        return None
    return node.named_children[0], op, node.named_children[1]


def shadowed(fn: Node, src: Source, name: str) -> bool:
    """A builtin name rebound inside the function (or its parameters)."""
    from hasten.model.features import _bound_names

    return name in _bound_names(fn, src.data)


def name_assigned_dict(fn: Node, src: Source, name: str) -> bool:
    for stmt in descendants(fn, "expression_statement"):
        sa = simple_assignment(stmt)
        if sa and text(src, sa[0]) == name:
            v = sa[1]
            if v.type in ("dictionary", "dictionary_comprehension"):
                return True
            if v.type == "call" and text(src, v.child_by_field_name("function")) in ("dict", "defaultdict"):
                return False  # defaultdict.get differs from [] but is fine; keep conservative
    return False


def assigned_locally(fn: Node, src: Source, name: str, kinds=("list", "list_comprehension")) -> bool:
    for stmt in descendants(fn, "expression_statement"):
        sa = simple_assignment(stmt)
        if sa and text(src, sa[0]) == name:
            v = sa[1]
            if v.type in kinds:
                return True
            if v.type == "call":
                ft = text(src, v.child_by_field_name("function"))
                if ft in ("list", "sorted") or ft.endswith((".split", ".splitlines", ".readlines")):
                    return True
    return False
