"""Annotations: which kind of container a type annotation names (``list[int]``, ``List[str]``,
``Optional[Sequence[str]]``, ``set[str] | None``, ...)."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.syntax.tree import strip_parens

_ANNOTATION_KINDS = {
    "list": "list", "List": "list", "MutableSequence": "list",
    "tuple": "tuple", "Tuple": "tuple",
    "Sequence": "sequence",
    "set": "set", "Set": "set", "MutableSet": "set", "AbstractSet": "set",
    "frozenset": "frozenset", "FrozenSet": "frozenset",
    "dict": "dict", "Dict": "dict", "Mapping": "dict", "MutableMapping": "dict",
    "OrderedDict": "dict", "defaultdict": "dict", "DefaultDict": "dict", "Counter": "dict",
    "str": "str", "bytes": "bytes", "bytearray": "bytearray",
    "deque": "deque", "Deque": "deque",
    "ndarray": "ndarray", "NDArray": "ndarray", "DataFrame": "DataFrame",
    "int": "int", "float": "float", "bool": "bool",
}

def annotation_kind(annotation: Node | None) -> tuple[str, str] | None:
    """(kind, annotation text) for an annotation naming one container kind, allowing
    ``Optional[X]``, ``X | None`` and ``Union[X, None]``; fixed-size tuples are not linear data
    (``tuple[int, int]``) and give None."""
    if annotation is None:
        return None
    text = annotation.text.decode()
    node = strip_parens(annotation)
    if node.type == "type" and node.named_children:
        node = node.named_children[0]
    kind = _annotation_node_kind(node)
    return (kind, text) if kind else None


def _annotation_node_kind(node: Node) -> str | None:
    node = _unwrap_type(node)
    if node.type == "string":
        return None
    if node.type == "union_type":  # X | None
        inner = [_unwrap_type(c) for c in node.named_children]
        inner = [c for c in inner if c.type != "none" and c.text != b"None"]
        return _annotation_node_kind(inner[0]) if len(inner) == 1 else None
    if node.type == "binary_operator":  # X | None
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if right is not None and right.text == b"None" and left is not None:
            return _annotation_node_kind(left)
        if left is not None and left.text == b"None" and right is not None:
            return _annotation_node_kind(right)
        return None
    head, args = node, []
    if node.type in ("subscript", "generic_type"):
        head = node.child_by_field_name("value") or node.named_children[0]
        args = [c for c in node.named_children[1:] if c.type != "comment"]
        if node.type == "generic_type" and args and args[0].type == "type_parameter":
            args = list(args[0].named_children)
    name = head.text.decode().rsplit(".", 1)[-1]
    if name in ("Optional",) and len(args) == 1:
        return _annotation_node_kind(_unwrap_type(args[0]))
    if name == "Union":
        inner = [_unwrap_type(a) for a in args if _unwrap_type(a).text != b"None"]
        return _annotation_node_kind(inner[0]) if len(inner) == 1 else None
    kind = _ANNOTATION_KINDS.get(name)
    if kind == "tuple" and args:
        texts = [a.text for a in args]
        if b"..." not in texts:
            return None  # tuple[int, int]: a fixed, small tuple
    return kind


def _unwrap_type(node: Node) -> Node:
    while node.type == "type" and node.named_children:
        node = node.named_children[0]
    return node
