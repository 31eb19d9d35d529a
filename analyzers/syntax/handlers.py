"""Is this node inside a handler that catches a given exception? For rules whose rewrite raises a
different exception than the original on some input (``list(x)[0]`` raises IndexError on an empty
``x``, ``next(iter(x))`` StopIteration): where an enclosing ``try`` or ``contextlib.suppress``
catches the original's exception, the rewrite would change what the code does.

Only handlers in the same function count: a ``try`` around a ``def`` does not catch what the
function raises when it is called later. Handlers in callers cannot be seen from here.
"""

from __future__ import annotations

from tree_sitter import Node

# Which names catch an exception: the class itself and its bases up to BaseException.
CATCHERS = {
    "IndexError": frozenset({"IndexError", "LookupError", "Exception", "BaseException"}),
    "KeyError": frozenset({"KeyError", "LookupError", "Exception", "BaseException"}),
    "ValueError": frozenset({"ValueError", "Exception", "BaseException"}),
    "StopIteration": frozenset({"StopIteration", "Exception", "BaseException"}),
}

_SCOPE_BOUNDARIES = ("function_definition", "lambda")


def _exception_names(node: Node | None) -> list[str]:
    """The last component of each name an ``except`` clause or ``suppress(...)`` lists."""
    if node is None:
        return []
    if node.type == "as_pattern":
        return _exception_names(node.named_children[0] if node.named_children else None)
    if node.type in ("tuple", "parenthesized_expression", "argument_list", "expression_list"):
        return [name for child in node.named_children for name in _exception_names(child)]
    if node.type == "identifier":
        return [node.text.decode("utf-8", errors="replace")]
    if node.type == "attribute":
        attribute = node.child_by_field_name("attribute")
        return [attribute.text.decode("utf-8", errors="replace")] if attribute is not None else []
    return ["?"]  # a computed exception class: it could be anything


def _clause_catches(clause: Node, catchers: frozenset[str]) -> bool:
    value = clause.child_by_field_name("value")
    if value is None:
        # ``except:`` — or an older grammar that names no field: the first named child that is
        # not the block.
        expressions = [c for c in clause.named_children if c.type != "block"]
        if not expressions:
            return True  # bare except catches everything
        value = expressions[0]
    names = _exception_names(value)
    return "?" in names or any(name in catchers for name in names)


def _is_suppress(call: Node) -> Node | None:
    """The argument list of ``suppress(...)`` / ``contextlib.suppress(...)``, else None."""
    if call.type != "call":
        return None
    function = call.child_by_field_name("function")
    if function is None:
        return None
    name = function.text.decode("utf-8", errors="replace")
    if name not in ("suppress", "contextlib.suppress"):
        return None
    return call.child_by_field_name("arguments")


def _within(node: Node, container: Node | None) -> bool:
    return container is not None and container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def caught_by_enclosing_handler(node: Node, exception: str) -> bool:
    """True when an enclosing ``try`` (in whose body ``node`` lies) has an ``except`` clause that
    catches ``exception`` — by its name, a base class, ``Exception``, a bare ``except`` or a
    computed class — or an enclosing ``with suppress(...)`` lists one of those."""
    catchers = CATCHERS.get(exception, frozenset({exception, "Exception", "BaseException"}))
    parent = node.parent
    while parent is not None and parent.type not in _SCOPE_BOUNDARIES:
        if parent.type == "try_statement" and _within(node, parent.child_by_field_name("body")):
            for clause in parent.named_children:
                if clause.type in ("except_clause", "except_group_clause") and _clause_catches(clause, catchers):
                    return True
        if parent.type == "with_statement" and _within(node, parent.child_by_field_name("body")):
            for clause in parent.named_children:
                if clause.type != "with_clause":
                    continue
                for item in clause.named_children:
                    value = item.child_by_field_name("value") if item.type == "with_item" else item
                    arguments = _is_suppress(value) if value is not None else None
                    if arguments is not None and ("?" in (names := _exception_names(arguments)) or any(n in catchers for n in names)):
                        return True
        parent = parent.parent
    return False
