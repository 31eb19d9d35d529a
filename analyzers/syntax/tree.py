"""Walking tree-sitter-python trees and finding what encloses a node."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from tree_sitter import Node

LOOP_TYPES = frozenset({"for_statement", "while_statement"})
SCOPE_TYPES = frozenset({"function_definition", "lambda", "class_definition", "module"})


COMPREHENSION_TYPES = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
# Nodes that open a scope of their own (a decorated definition wraps one).
NESTED_SCOPE_TYPES = frozenset({"function_definition", "lambda", "class_definition", "decorated_definition"})


# -- the time budget inside a rule ----------------------------------------------------------------
#
# The checker looks at the clock between the nodes it hands to rules; a rule that walks a huge
# subtree from one node would not be stopped there. So the walks below look at it too, every
# CHECK_EVERY nodes (never on entry: a small walk costs no clock read), and raise OutOfTime once
# the deadline of the check running on this thread has passed. Only the checker sets a deadline
# (``deadline``) and only it catches OutOfTime; the deadline is per thread, so the metrics or
# the model's thread never see the analysis thread's.

CHECK_EVERY = 1024  # nodes walked between two looks at the clock
ANCESTORS_CHECK_EVERY = 64  # parents: each ``Node.parent`` costs the node's depth


class OutOfTime(BaseException):
    """The check's deadline passed inside a rule's walk. A BaseException, so that a rule's own
    ``except Exception`` cannot swallow it; the checker catches it."""


class _Deadline(threading.local):
    at: float | None = None
    clock: Callable[[], float] = staticmethod(time.monotonic)
    # Parents found during the check running on this thread (see ``parent_of``); None outside one.
    parents: dict[Node, Node | None] | None = None
    # Other answers of walks up (enclosing scope, loops, ...) by kind, for the same check.
    memos: dict[str, dict] | None = None


_DEADLINE = _Deadline()

# ``Node.parent`` walks down from the root, so it costs the node's depth: the walks up below
# remember the parents they found while a check runs, and every operand of a 2,000-term
# expression walking up to its loop costs the depth once instead of its square. Bounded (the
# memo starts over when full) and dropped when the check ends: cached nodes keep their tree alive.
PARENTS_CACHED = 1 << 16


@contextmanager
def deadline(at: float | None, clock: Callable[[], float] = time.monotonic):
    """While the block runs on this thread, the walks raise OutOfTime once ``clock()`` is past
    ``at`` (None: no deadline). Nests; the previous deadline comes back afterwards. The checker
    runs each check in such a block, which also scopes the parents the walks up remember."""
    previous = _DEADLINE.at, _DEADLINE.clock, _DEADLINE.parents, _DEADLINE.memos
    _DEADLINE.at, _DEADLINE.clock = at, clock
    if _DEADLINE.parents is None:
        _DEADLINE.parents, _DEADLINE.memos = {}, {}
    try:
        yield
    finally:
        _DEADLINE.at, _DEADLINE.clock, _DEADLINE.parents, _DEADLINE.memos = previous


def check_memo(kind: str) -> dict | None:
    """A dict for remembering answers of kind ``kind`` about nodes until the check running on
    this thread ends (None outside a check: nothing is remembered). It starts over when full."""
    memos = _DEADLINE.memos
    if memos is None:
        return None
    memo = memos.get(kind)
    if memo is None or len(memo) >= PARENTS_CACHED:
        memo = memos[kind] = {}
    return memo


def remember_parent(node: Node, parent: Node | None) -> None:
    """Tell ``parent_of`` a parent found on the way down (a walk knows it for free)."""
    cache = _DEADLINE.parents
    if cache is not None and len(cache) < PARENTS_CACHED:
        cache[node] = parent


def parent_of(node: Node) -> Node | None:
    """``node.parent``, remembered for the rest of the check running on this thread."""
    cache = _DEADLINE.parents
    if cache is None:
        return node.parent
    try:
        return cache[node]
    except KeyError:
        pass
    parent = node.parent
    if len(cache) >= PARENTS_CACHED:
        cache.clear()
    cache[node] = parent
    return parent


def spend_time() -> None:
    """Raise OutOfTime when this thread's deadline has passed."""
    at = _DEADLINE.at
    if at is not None and _DEADLINE.clock() > at:
        raise OutOfTime()


def walk(node: Node) -> Iterator[Node]:
    """Pre-order walk of ``node`` and its descendants."""
    cursor = node.walk()
    visited_children = False
    depth = 0
    countdown = CHECK_EVERY
    while True:
        if not visited_children:
            yield cursor.node
            countdown -= 1
            if not countdown:
                countdown = CHECK_EVERY
                spend_time()
            if cursor.goto_first_child():
                depth += 1
                continue
        if depth == 0:
            return
        if cursor.goto_next_sibling():
            visited_children = False
        elif cursor.goto_parent():
            depth -= 1
            visited_children = True
            if depth == 0:
                return
        else:  # pragma: no cover - defensive
            return


def walk_same_scope(node: Node) -> Iterator[Node]:
    """Walk ``node``'s subtree without entering nested functions, lambdas or classes."""
    stack = [node]
    countdown = CHECK_EVERY
    while stack:
        current = stack.pop()
        yield current
        countdown -= 1
        if not countdown:
            countdown = CHECK_EVERY
            spend_time()
        for child in reversed(current.children):
            if child.type in NESTED_SCOPE_TYPES:
                continue
            stack.append(child)


def walk_with_parents(node: Node) -> Iterator[tuple[Node, str | None, list[Node]]]:
    """Pre-order walk of ``node``'s subtree yielding ``(node, field, parents)``: the field name
    under which the node hangs in its parent, and the list of its ancestors, innermost last
    (``parents[-1]`` is the parent; the list stops at ``node``'s own parent and is shared, so
    copy it to keep it). The parents travel down with a cursor: ``Node.parent`` costs the node's
    depth, so asking it for every node of a long expression would be quadratic."""
    parent = node.parent
    parents: list[Node] = [parent] if parent is not None else []
    yield node, _field_in(parent, node), parents
    cursor = node.walk()
    if not cursor.goto_first_child():
        return
    base = len(parents)
    parents.append(node)
    countdown = CHECK_EVERY
    while True:
        current = cursor.node
        yield current, cursor.field_name, parents
        countdown -= 1
        if not countdown:
            countdown = CHECK_EVERY
            spend_time()
        if cursor.goto_first_child():
            parents.append(current)
            continue
        while not cursor.goto_next_sibling():
            cursor.goto_parent()
            parents.pop()
            if len(parents) == base:
                return


def _field_in(parent: Node | None, node: Node) -> str | None:
    if parent is None:
        return None
    cursor = parent.walk()
    found = cursor.goto_first_child()
    while found:
        if cursor.node == node:
            return cursor.field_name
        found = cursor.goto_next_sibling()
    return None


def is_reference(field: str | None, parents: list[Node]) -> bool:
    """For an identifier met by :func:`walk_with_parents`: True when it names a variable, not
    the attribute after a dot nor the name of a keyword argument."""
    if not parents:
        return True
    parent_type = parents[-1].type
    return not ((parent_type == "attribute" and field == "attribute") or (parent_type == "keyword_argument" and field == "name"))


def references(node: Node) -> Iterator[Node]:
    """Identifiers under ``node`` that name a variable, in source order (linear in the size of
    the subtree)."""
    for current, field, parents in walk_with_parents(node):
        if current.type == "identifier" and is_reference(field, parents):
            yield current


def root_of(node: Node) -> Node:
    """The module node of the tree holding ``node``."""
    memo = check_memo("root")
    path = []
    countdown = ANCESTORS_CHECK_EVERY
    while True:
        if memo is not None:
            known = memo.get(node)
            if known is not None:
                break
            path.append(node)
        parent = parent_of(node)
        if parent is None:
            known = node
            break
        node = parent
        countdown -= 1
        if not countdown:
            countdown = ANCESTORS_CHECK_EVERY
            spend_time()
    if memo is not None:
        for seen in path:
            memo[seen] = known
    return known


def ancestors(node: Node) -> Iterator[Node]:
    parent = parent_of(node)
    countdown = ANCESTORS_CHECK_EVERY
    while parent is not None:
        yield parent
        countdown -= 1
        if not countdown:
            countdown = ANCESTORS_CHECK_EVERY
            spend_time()
        parent = parent_of(parent)


def enclosing_scope(node: Node) -> Node:
    """The function, lambda, class or module whose body holds ``node``."""
    memo = check_memo("scope")
    if memo is None:
        for parent in ancestors(node):
            if parent.type in SCOPE_TYPES:
                return parent
        return node  # node is the module itself
    found = memo.get(node)
    if found is not None:
        return found
    path = [node]  # nodes whose enclosing scope is the one found (none of them opens a scope)
    found = node  # node is the module itself
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            found = parent
            break
        known = memo.get(parent)
        if known is not None:
            found = known
            break
        path.append(parent)
    for seen in path:
        memo[seen] = found
    return found


def enclosing_function(node: Node) -> Node | None:
    scope = enclosing_scope(node)
    return scope if scope.type == "function_definition" else None


def contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def identifier_text(node: Node | None) -> str | None:
    if node is not None and node.type == "identifier":
        return node.text.decode("utf-8", errors="replace")
    return None


def function_name(function: Node) -> str | None:
    return identifier_text(function.child_by_field_name("name"))


def is_async(node: Node) -> bool:
    return any(child.type == "async" for child in node.children)


def statement_of(node: Node) -> Node:
    """The statement that holds ``node`` (a child of a block or module)."""
    current = node
    parent = parent_of(current)
    while parent is not None and parent.type not in ("block", "module"):
        current = parent
        parent = parent_of(current)
    return current


def statement_expression(statement: Node) -> Node | None:
    """The expression of an expression statement such as ``out.append(x)``."""
    if statement.type != "expression_statement" or statement.named_child_count != 1:
        return None
    return statement.named_children[0]


def strip_parens(node: Node) -> Node:
    while node.type == "parenthesized_expression" and len(node.named_children) == 1:
        node = node.named_children[0]
    return node


def is_simple_expression(node: Node) -> bool:
    """An expression that cannot have side effects or raise in surprising ways when moved:
    names, attributes of names, literals, and subscripts of those."""
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in ("identifier", "integer", "float", "string", "true", "false", "none", "concatenated_string"):
            if kind == "string" and any(c.type == "interpolation" for c in current.named_children):
                return False
        elif kind == "attribute":
            stack.append(current.child_by_field_name("object"))
        elif kind == "parenthesized_expression":
            stack.extend(current.named_children)
        else:
            return False
    return True


def inside_error(node: Node) -> bool:
    return any(a.type == "ERROR" for a in ancestors(node))
