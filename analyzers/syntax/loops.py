"""Loops: which loops enclose a node, whether they really repeat, what they may change."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.syntax.calls import call_arguments, call_name, method_call
from hasten.analyzers.syntax.cold import in_cold_code
from hasten.analyzers.syntax.control import on_error_path
from hasten.analyzers.syntax.imports import is_unshadowed_builtin
from hasten.analyzers.syntax.mutation import name_may_change
from hasten.analyzers.syntax.scope import bindings_of, is_local_name
from hasten.analyzers.syntax.tree import (
    COMPREHENSION_TYPES,
    LOOP_TYPES,
    SCOPE_TYPES,
    ancestors,
    check_memo,
    enclosing_function,
    function_name,
    is_async,
    root_of,
    strip_parens,
    walk,
    walk_same_scope,
)


def enclosing_loops(node: Node) -> list[Node]:
    """Loops (for/while and comprehension ``for`` clauses) around ``node`` in its own scope,
    innermost first. ``node`` must be inside the loop's body (or condition for ``while``), not in
    a ``for`` loop's iterable, which runs once."""
    memo = check_memo("loops")
    if memo is not None and node in memo:
        return list(memo[node])
    steps: list[tuple[Node, Node]] = []  # (child, parent) walking up
    above: tuple[Node, ...] = ()  # the loops around the last parent of ``steps``
    child = node
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            break
        steps.append((child, parent))
        if memo is not None and parent in memo:
            above = memo[parent]
            break
        child = parent
    loops = list(above)
    for child, parent in reversed(steps):
        if _loop_around(parent, child):
            loops.insert(0, parent)
        if memo is not None:
            memo[child] = tuple(loops)
    return loops


def _loop_around(parent: Node, child: Node) -> bool:
    """Whether ``parent`` is a loop that repeats its child ``child``."""
    if parent.type == "for_statement":
        return parent.child_by_field_name("right") != child and parent.child_by_field_name("left") != child \
            and child.type != "else_clause"
    if parent.type == "while_statement":
        return child.type != "else_clause"
    if parent.type in COMPREHENSION_TYPES:
        # The first for-clause's iterable is evaluated once, outside the comprehension.
        first_for = next((c for c in parent.named_children if c.type == "for_in_clause"), None)
        return not (first_for is not None and child == first_for)
    return False


def loop_body(loop: Node) -> Node | None:
    return loop.child_by_field_name("body")


def loop_repeats(loop: Node) -> bool:
    """False for a ``for``/``while`` whose body always leaves after the first pass."""
    if loop.type not in LOOP_TYPES:
        return True
    body = loop_body(loop)
    if body is None or not body.named_children:
        return False
    statements = [c for c in body.named_children if c.type != "comment"]
    return not statements or statements[-1].type not in ("return_statement", "break_statement", "raise_statement")


def has_yield_or_await(node: Node) -> bool:
    """True when ``node`` (own scope only) can suspend: other code may then run mid-loop."""
    return any(n.type in ("yield", "await") for n in walk_same_scope(node))


def hoist_target(node: Node, names: set[str]) -> Node | None:
    """The outermost loop around ``node`` (own scope) during which none of ``names`` may change,
    or None when even the innermost loop may change one of them. Loops that can suspend
    (``yield``/``await``) stop the search: other code may change the data meanwhile."""
    target = None
    for loop in enclosing_loops(node):
        if has_yield_or_await(loop):
            break
        if any(name_may_change(loop, name) for name in names):
            break
        target = loop
    return target


CONVERSION_BUILTINS = frozenset({"list", "set", "frozenset", "tuple", "sorted", "dict"})
VIEW_METHODS = frozenset({"keys", "values", "items"})


def invariant_data_names(node: Node, function: Node) -> set[str] | None:
    """For data a loop could compute once — a local name, ``name.keys()/values()/items()``, or a
    builtin conversion (``list``/``set``/``tuple``/``frozenset``/``sorted``/``dict``) of those —
    the local names it depends on; None for anything else."""
    visible: dict[bytes, bool] = {}  # a chain of calls shares one scope: look each name up once
    while True:
        node = strip_parens(node)
        if node.type == "identifier":
            name = node.text.decode()
            return {name} if is_local_name(function, name) else None
        if node.type != "call":
            return None
        parts = method_call(node)
        if parts is not None:
            receiver, method, args = parts
            if method in VIEW_METHODS and receiver.type == "identifier" and not args.named_children:
                name = receiver.text.decode()
                return {name} if is_local_name(function, name) else None
            return None
        func = node.child_by_field_name("function")
        if func is None or func.type != "identifier" or func.text.decode() not in CONVERSION_BUILTINS:
            return None
        args, keywords = call_arguments(node, plain=True)
        if args is None or keywords or len(args) != 1:
            return None
        if func.text not in visible:
            visible[func.text] = is_unshadowed_builtin(func)
        if not visible[func.text]:
            return None
        node = args[0]


SMALL_LOOP = 16


def _small_literal(node: Node | None) -> bool:
    if node is None:
        return False
    node = strip_parens(node)
    if node.type in ("list", "tuple", "set"):
        return len(node.named_children) <= SMALL_LOOP and not any(
            c.type in ("list_splat", "parenthesized_list_splat") for c in node.named_children
        )
    if node.type == "call" and call_name(node) == "range":
        args, keywords = call_arguments(node, plain=True)
        if not args or keywords or len(args) != 1 or args[0].type != "integer":
            return False
        try:
            return int(args[0].text.decode().replace("_", ""), 0) <= SMALL_LOOP
        except ValueError:
            return False
    return False


def small_fixed_loop(loop: Node) -> bool:
    """A ``for`` (or comprehension clause) over a short literal, ``range(<small literal>)`` or a
    module-level constant bound to a short literal: it runs a few times at most."""
    if loop.type in COMPREHENSION_TYPES:
        clauses = [c for c in loop.named_children if c.type == "for_in_clause"]
        return bool(clauses) and all(small_fixed_loop(c) for c in clauses)
    if loop.type not in ("for_statement", "for_in_clause"):
        return False
    iterable = loop.child_by_field_name("right")
    if _small_literal(iterable):
        return True
    if iterable is not None and iterable.type == "identifier":
        name = iterable.text.decode()
        function = enclosing_function(loop)
        if function is not None and is_local_name(function, name):
            return False
        root = root_of(loop)
        values = bindings_of(root, name)
        return bool(values) and all(_small_literal(v) for v in values)
    return False


# Methods whose loops serve a display, run once per call on one object's own data.
ONE_OFF_METHODS = frozenset({"__repr__", "__str__", "__format__", "__rich_repr__", "_repr_html_"})


def repeated_loop(node: Node) -> Node | None:
    """The innermost loop around ``node`` when the code plausibly runs many times: the loop
    repeats (see :func:`loop_repeats`), not every enclosing loop is a short fixed one, it is not
    on an error path, in a display method or in code that rarely runs (see
    :func:`~hasten.analyzers.syntax.cold.in_cold_code`). Module-level code and
    ``if __name__ == "__main__":`` blocks are analysed like a function body: scripts put their
    hot loops there. None otherwise: the false-positive guard of every "X in a loop" rule."""
    loops = enclosing_loops(node)
    if not loops or not loop_repeats(loops[0]):
        return None
    if all(small_fixed_loop(loop) for loop in loops):
        return None
    if on_error_path(loops[-1]):
        return None
    function = enclosing_function(node)
    if function is not None and function_name(function) in ONE_OFF_METHODS:
        return None
    if in_cold_code(node):
        return None
    return loops[0]


def for_loop_parts(node: Node, *, allow_async: bool = False) -> tuple[Node, Node, Node] | None:
    """(target, iterable, body) of a plain ``for`` loop: no ``else`` clause, and not ``async``
    unless ``allow_async``."""
    if node.type != "for_statement" or node.child_by_field_name("alternative") is not None:
        return None
    if not allow_async and is_async(node):
        return None
    target = node.child_by_field_name("left")
    iterable = node.child_by_field_name("right")
    body = node.child_by_field_name("body")
    if target is None or iterable is None or body is None:
        return None
    return target, iterable, body


# One clause of a loop nest read as a comprehension: ("for", target, iterable, is_async) or
# ("if", condition, None, False).
Clause = tuple[str, Node, "Node | None", bool]


def loop_clauses(loop: Node) -> tuple[list[Clause], Node] | None:
    """A ``for`` loop nest that a comprehension could express: plain ``for`` loops (``async``
    allowed) and ``if`` statements without ``elif``/``else``, each the only statement of the one
    before (comments aside). Returns the clauses, outermost first, and the innermost statement
    (the one that is not such a loop or ``if``); None for any other shape."""
    clauses: list[Clause] = []
    current = loop
    while current.type in ("for_statement", "if_statement"):
        if current.type == "for_statement":
            parts = for_loop_parts(current, allow_async=True)
            if parts is None:
                return None
            target, iterable, body = parts
            clauses.append(("for", target, iterable, is_async(current)))
        else:
            condition, body = current.child_by_field_name("condition"), current.child_by_field_name("consequence")
            if current.child_by_field_name("alternative") is not None or condition is None or body is None:
                return None
            clauses.append(("if", condition, None, False))
        current = only_statement(body)
        if current is None:
            return None
    return (clauses, current) if clauses else None


def only_statement(block: Node) -> Node | None:
    """The single statement of a block, comments aside; None when it holds more. A fix that
    replaces the block must keep its comments (``keep_comments``)."""
    children = [c for c in block.named_children if c.type != "comment"]
    return children[0] if len(children) == 1 else None


def one_statement_loop(node: Node) -> tuple[Node, Node, Node] | None:
    """(target, iterable, statement) of a plain ``for`` loop (see :func:`for_loop_parts`) whose
    body is one statement, comments aside: the loops the comprehension and builtin rewrites fit."""
    parts = for_loop_parts(node)
    if parts is None:
        return None
    statement = only_statement(parts[2])
    return None if statement is None else (parts[0], parts[1], statement)


LEAVING_STATEMENTS = ("break_statement", "return_statement", "raise_statement")


def leaves_loop_after(node: Node, loop: Node) -> bool:
    """``node`` sits in a block (inside ``loop``'s body, below it) that ends by leaving the loop
    (``break``, ``return``, ``raise``): it runs at most once per run of the loop, like code
    outside it."""
    body = loop_body(loop)
    for parent in ancestors(node):
        if parent == loop or parent == body:
            return False
        if parent.type == "block":
            statements = [c for c in parent.named_children if c.type != "comment"]
            if statements and statements[-1].type in LEAVING_STATEMENTS:
                return True
    return False


def bound_anew(node: Node, loop: Node, name: str) -> bool:
    """Inside ``loop`` (at its own level, not in a nested loop), ``name`` is bound anew on every
    pass: the loop's target, or assigned in its body (a statement other than ``node``). Whatever
    ``node`` does to that list happens once per list, not again and again to one list."""
    target = loop.child_by_field_name("left") if loop.type == "for_statement" else None
    if target is not None and any(n.type == "identifier" and n.text.decode() == name for n in walk(target)):
        return True
    body = loop.child_by_field_name("body")
    for child in walk(body) if body is not None else ():
        if child.type == "assignment" and child.start_byte != node.start_byte and (enclosing_loops(child) or [None])[0] == loop:
            left = child.child_by_field_name("left")
            if left is not None and left.type == "identifier" and left.text.decode() == name:
                return True
    return False
