"""Small, well-tested queries over tree-sitter-python trees that rules share.

Rules bail out on doubt, so these helpers answer conservatively: when a question cannot be
answered from the tree (a name bound in an unusual way, a call we cannot see into), they say
"unknown" in a way that makes the caller skip the case.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from tree_sitter import Node

LOOP_TYPES = frozenset({"for_statement", "while_statement"})
SCOPE_TYPES = frozenset({"function_definition", "lambda", "class_definition", "module"})
COMPREHENSION_TYPES = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
# Methods that change a list, set, dict or bytearray in place.
MUTATING_METHODS = frozenset(
    {
        "append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
        "add", "discard", "update", "difference_update", "intersection_update",
        "symmetric_difference_update", "setdefault", "popitem", "popleft", "appendleft",
        "extendleft", "rotate", "__setitem__", "__delitem__", "__iadd__",
    }
)


# Builtins that never change the arguments they are given.
PURE_BUILTINS = frozenset(
    {
        "len", "sorted", "set", "frozenset", "list", "tuple", "dict", "min", "max", "sum", "any",
        "all", "enumerate", "zip", "iter", "print", "str", "repr", "isinstance", "reversed", "map",
        "filter", "bool", "int", "float", "hash", "id", "type", "range", "abs", "round", "format",
        "next",
    }
)


def walk(node: Node) -> Iterator[Node]:
    """Pre-order walk of ``node`` and its descendants."""
    cursor = node.walk()
    visited_children = False
    depth = 0
    while True:
        if not visited_children:
            yield cursor.node
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
    while stack:
        current = stack.pop()
        yield current
        for child in reversed(current.children):
            if child.type in ("function_definition", "lambda", "class_definition", "decorated_definition"):
                continue
            stack.append(child)


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def enclosing_scope(node: Node) -> Node:
    """The function, lambda, class or module whose body holds ``node``."""
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return parent
    return node  # node is the module itself


def enclosing_function(node: Node) -> Node | None:
    scope = enclosing_scope(node)
    return scope if scope.type == "function_definition" else None


def enclosing_loops(node: Node) -> list[Node]:
    """Loops (for/while and comprehension ``for`` clauses) around ``node`` in its own scope,
    innermost first. ``node`` must be inside the loop's body (or condition for ``while``), not in
    a ``for`` loop's iterable, which runs once."""
    loops: list[Node] = []
    child = node
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            break
        if parent.type == "for_statement":
            if parent.child_by_field_name("right") != child and parent.child_by_field_name("left") != child:
                if child.type != "else_clause":
                    loops.append(parent)
        elif parent.type == "while_statement":
            if child.type != "else_clause":
                loops.append(parent)
        elif parent.type in COMPREHENSION_TYPES:
            # The first for-clause's iterable is evaluated once, outside the comprehension.
            first_for = next((c for c in parent.named_children if c.type == "for_in_clause"), None)
            if first_for is not None and child == first_for:
                pass
            else:
                loops.append(parent)
        child = parent
    return loops


def is_async(node: Node) -> bool:
    return any(child.type == "async" for child in node.children)


def loop_body(loop: Node) -> Node | None:
    return loop.child_by_field_name("body")


def contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def identifier_text(node: Node | None) -> str | None:
    if node is not None and node.type == "identifier":
        return node.text.decode("utf-8", errors="replace")
    return None


def target_names(target: Node) -> set[str]:
    """Names bound by an assignment target (``a``, ``a, b``, ``[a, *b]``); attribute and
    subscript targets bind no name."""
    names: set[str] = set()
    stack = [target]
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            names.add(node.text.decode("utf-8", errors="replace"))
        elif node.type in ("pattern_list", "tuple_pattern", "list_pattern", "expression_list",
                           "tuple", "list", "list_splat_pattern", "parenthesized_expression",
                           "list_splat"):
            stack.extend(node.named_children)
    return names


@lru_cache(maxsize=8192)
def bound_names(node: Node) -> frozenset[str]:
    """Every name (re)bound anywhere inside ``node``, nested scopes excluded (but ``global`` and
    ``nonlocal`` declarations and nested ``def``/``class`` names are counted)."""
    names: set[str] = set()
    for current in walk_same_scope(node):
        kind = current.type
        if kind in ("assignment", "augmented_assignment"):
            left = current.child_by_field_name("left")
            if left is not None:
                names |= target_names(left)
        elif kind == "named_expression":
            name = identifier_text(current.child_by_field_name("name"))
            if name:
                names.add(name)
        elif kind in ("for_statement", "for_in_clause"):
            left = current.child_by_field_name("left")
            if left is not None:
                names |= target_names(left)
        elif kind == "as_pattern":
            alias = current.child_by_field_name("alias")
            if alias is not None:
                names |= target_names(alias)
        elif kind == "except_clause":
            for child in current.named_children:
                if child.type == "identifier" and child.prev_sibling is not None and child.prev_sibling.type == "as":
                    names.add(child.text.decode())
        elif kind == "delete_statement":
            for child in current.named_children:
                names |= target_names(child)
        elif kind in ("import_statement", "import_from_statement"):
            for child in current.named_children:
                if child.type == "dotted_name" and current.type == "import_statement":
                    names.add(child.named_children[0].text.decode())
                elif child.type == "aliased_import":
                    alias = child.child_by_field_name("alias")
                    if alias is not None:
                        names.add(alias.text.decode())
                elif child.type == "dotted_name" and child != current.child_by_field_name("module_name"):
                    names.add(child.text.decode())
        elif kind in ("global_statement", "nonlocal_statement"):
            for child in current.named_children:
                if child.type == "identifier":
                    names.add(child.text.decode())
    # Nested definitions bind their own names in this scope.
    for current in walk_same_scope(node):
        for child in current.children:
            definition = child
            if definition.type == "decorated_definition":
                definition = definition.child_by_field_name("definition") or definition
            if definition.type in ("function_definition", "class_definition"):
                name = identifier_text(definition.child_by_field_name("name"))
                if name:
                    names.add(name)
    return frozenset(names)


def method_call(node: Node) -> tuple[Node, str, Node] | None:
    """For ``receiver.method(args)`` return (receiver, method name, argument_list)."""
    if node.type != "call":
        return None
    func = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if func is None or func.type != "attribute" or args is None or args.type != "argument_list":
        return None
    obj = func.child_by_field_name("object")
    attr = func.child_by_field_name("attribute")
    if obj is None or attr is None:
        return None
    return obj, attr.text.decode(), args


def call_name(node: Node) -> str | None:
    """For ``name(args)`` return ``name``; for ``a.b.c(args)`` return ``a.b.c``."""
    if node.type != "call":
        return None
    func = node.child_by_field_name("function")
    if func is None:
        return None
    if func.type == "identifier":
        return func.text.decode()
    if func.type == "attribute":
        parts = []
        current = func
        while current.type == "attribute":
            parts.append(current.child_by_field_name("attribute").text.decode())
            current = current.child_by_field_name("object")
        if current.type != "identifier":
            return None
        parts.append(current.text.decode())
        return ".".join(reversed(parts))
    return None


def call_args(node: Node) -> list[Node] | None:
    """Positional arguments of a call, or None when it has keywords, splats or comments."""
    args = node.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None
    positional = []
    for child in args.named_children:
        if child.type in ("keyword_argument", "list_splat", "dictionary_splat", "comment"):
            return None
        positional.append(child)
    return positional


@lru_cache(maxsize=8192)
def mutated_names(node: Node) -> frozenset[str]:
    """Names whose object may be changed in place inside ``node``: a mutating method called on
    them, an item or slice assigned or deleted, an augmented assignment, or passed to a call as a
    bare argument (the callee could mutate it). Nested scopes are included: a closure may mutate."""
    names: set[str] = set()
    for current in walk(node):
        kind = current.type
        if kind == "call":
            mc = method_call(current)
            if mc is not None:
                receiver, method, _ = mc
                base = _base_name(receiver)
                if base and method in MUTATING_METHODS:
                    names.add(base)
            args = current.child_by_field_name("arguments")
            if args is not None and call_name(current) not in PURE_BUILTINS:
                for arg in args.named_children:
                    if arg.type == "identifier":
                        names.add(arg.text.decode())
        elif kind in ("assignment", "augmented_assignment"):
            left = current.child_by_field_name("left")
            for target in _flatten_targets(left):
                if target.type in ("subscript", "attribute"):
                    base = _base_name(target)
                    if base:
                        names.add(base)
                elif kind == "augmented_assignment" and target.type == "identifier":
                    names.add(target.text.decode())
        elif kind == "delete_statement":
            for target in current.named_children:
                for item in _flatten_targets(target):
                    if item.type in ("subscript", "attribute"):
                        base = _base_name(item)
                        if base:
                            names.add(base)
    return frozenset(names)


def _flatten_targets(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if node.type in ("pattern_list", "tuple_pattern", "list_pattern", "expression_list", "tuple", "list"):
        out: list[Node] = []
        for child in node.named_children:
            out.extend(_flatten_targets(child))
        return out
    return [node]


def _base_name(node: Node) -> str | None:
    """``a`` for ``a``, ``a.b``, ``a[i]``, ``a.b[i].c``."""
    current = node
    while current.type in ("attribute", "subscript"):
        current = current.child_by_field_name("object") or current.child_by_field_name("value")
        if current is None:
            return None
    if current.type == "identifier":
        return current.text.decode()
    return None


def name_uses(node: Node, name: str) -> list[Node]:
    """Identifier nodes reading or writing ``name`` within ``node`` (attribute names excluded)."""
    found = []
    for current in walk(node):
        if current.type == "identifier" and current.text.decode() == name:
            parent = current.parent
            if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == current:
                continue
            if parent is not None and parent.type == "keyword_argument" and parent.child_by_field_name("name") == current:
                continue
            found.append(current)
    return found


def bindings_of(scope: Node, name: str) -> list[Node] | None:
    """The value expressions assigned to ``name`` by plain ``name = value`` statements in
    ``scope`` (same scope only). Returns None when ``name`` is bound any other way (loop target,
    augmented assignment, parameter, global, walrus, import, del, ...), because then its type
    cannot be proven from the bindings alone."""
    values: list[Node] = []
    body = scope.child_by_field_name("body") if scope.type != "module" else scope
    if scope.type == "function_definition":
        params = scope.child_by_field_name("parameters")
        if params is not None and name in _parameter_names(params):
            return None
    if body is None:
        return None
    for current in walk_same_scope(body):
        kind = current.type
        if kind == "assignment":
            left = current.child_by_field_name("left")
            if left is None:
                continue
            if left.type == "identifier" and left.text.decode() == name:
                right = current.child_by_field_name("right")
                if right is None:
                    return None  # annotation only
                if right.type == "assignment":  # chained a = b = value
                    return None
                values.append(right)
            elif name in target_names(left):
                return None
        elif kind in ("augmented_assignment", "for_statement", "for_in_clause", "named_expression",
                      "as_pattern", "delete_statement", "import_statement", "import_from_statement",
                      "global_statement", "nonlocal_statement", "except_clause"):
            if name in bound_names_shallow(current):
                return None
    return values


def bound_names_shallow(node: Node) -> set[str]:
    """Names bound by this one statement or clause itself (not its nested statements)."""
    kind = node.type
    if kind == "augmented_assignment":
        return target_names(node.child_by_field_name("left"))
    if kind in ("for_statement", "for_in_clause"):
        left = node.child_by_field_name("left")
        return target_names(left) if left is not None else set()
    if kind == "named_expression":
        name = identifier_text(node.child_by_field_name("name"))
        return {name} if name else set()
    if kind == "as_pattern":
        alias = node.child_by_field_name("alias")
        return target_names(alias) if alias is not None else set()
    if kind == "delete_statement":
        names: set[str] = set()
        for child in node.named_children:
            names |= target_names(child)
        return names
    if kind in ("import_statement", "import_from_statement", "global_statement", "nonlocal_statement", "except_clause"):
        return bound_names(node)
    return set()


def _parameter_names(params: Node) -> set[str]:
    names = set()
    for child in params.named_children:
        if child.type == "identifier":
            names.add(child.text.decode())
        else:
            for sub in child.named_children:
                if sub.type == "identifier":
                    names.add(sub.text.decode())
                    break
    return names


LIST_BUILDERS = frozenset({"list_comprehension", "list"})


def is_list_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a new ``list``."""
    if node.type in LIST_BUILDERS:
        return True
    if node.type == "call" and call_name(node) in ("list", "sorted"):
        return True
    if node.type == "binary_operator":
        op = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if op is not None and op.type in ("+", "*") and left is not None and right is not None:
            if op.type == "+":
                return is_list_value(left) and is_list_value(right)
            return (is_list_value(left) and right.type == "integer") or (is_list_value(right) and left.type == "integer")
    return False


def is_tuple_value(node: Node) -> bool:
    return node.type == "tuple" or (node.type == "call" and call_name(node) == "tuple")


def proven_list(scope: Node, name: str) -> bool:
    """True when every binding of ``name`` in ``scope`` builds a new list."""
    values = bindings_of(scope, name)
    return bool(values) and all(is_list_value(v) for v in values)


def statement_of(node: Node) -> Node:
    """The statement that holds ``node`` (a child of a block or module)."""
    current = node
    while current.parent is not None and current.parent.type not in ("block", "module"):
        current = current.parent
    return current


def has_comment(node: Node) -> bool:
    return comments_in_range(node, node.start_byte, node.end_byte)


def strip_parens(node: Node) -> Node:
    while node.type == "parenthesized_expression" and len(node.named_children) == 1:
        node = node.named_children[0]
    return node


def is_simple_expression(node: Node) -> bool:
    """An expression that cannot have side effects or raise in surprising ways when moved:
    names, attributes of names, literals, and subscripts of those."""
    kind = node.type
    if kind in ("identifier", "integer", "float", "string", "true", "false", "none", "concatenated_string"):
        return not (kind == "string" and any(c.type == "interpolation" for c in node.named_children))
    if kind == "attribute":
        return is_simple_expression(node.child_by_field_name("object"))
    if kind == "parenthesized_expression":
        return all(is_simple_expression(c) for c in node.named_children)
    return False


def inside_error(node: Node) -> bool:
    return any(a.type == "ERROR" for a in ancestors(node))


# -- loop invariance (shared by the complexity and loop rules) ---------------------------------

# Methods that only read their receiver, for the common built-in types. A method not listed
# here may change its receiver (a user class can do anything), so callers treat it as a write.
READONLY_METHODS = frozenset(
    {
        "index", "count", "copy", "keys", "values", "items", "get", "issubset", "issuperset",
        "isdisjoint", "union", "intersection", "difference", "symmetric_difference", "startswith",
        "endswith", "find", "rfind", "split", "rsplit", "strip", "lstrip", "rstrip", "lower",
        "upper", "join", "format", "encode", "decode", "replace", "most_common", "casefold",
        "isdigit", "isalpha", "isalnum", "isspace", "partition", "rpartition", "splitlines",
    }
)


def parameter_names(function: Node) -> set[str]:
    """Names of a function's (or lambda's) parameters."""
    params = function.child_by_field_name("parameters")
    return _parameter_names(params) if params is not None else set()


def is_local_name(scope: Node, name: str) -> bool:
    """True when ``name`` is a parameter of the function ``scope`` or bound in its body, and is
    not declared ``global`` or ``nonlocal`` there."""
    if scope.type != "function_definition":
        return False
    body = scope.child_by_field_name("body")
    if body is None:
        return False
    for current in walk_same_scope(body):
        if current.type in ("global_statement", "nonlocal_statement"):
            if any(c.type == "identifier" and c.text.decode() == name for c in current.named_children):
                return False
    return name in parameter_names(scope) or name in bound_names(body)


def has_yield_or_await(node: Node) -> bool:
    """True when ``node`` (own scope only) can suspend: other code may then run mid-loop."""
    return any(n.type in ("yield", "await") for n in walk_same_scope(node))


def loop_repeats(loop: Node) -> bool:
    """False for a ``for``/``while`` whose body always leaves after the first pass."""
    if loop.type not in LOOP_TYPES:
        return True
    body = loop_body(loop)
    if body is None or not body.named_children:
        return False
    statements = [c for c in body.named_children if c.type != "comment"]
    return not statements or statements[-1].type not in ("return_statement", "break_statement", "raise_statement")


def name_may_change(loop: Node, name: str) -> bool:
    """Whether the object named ``name`` may be rebound or changed while ``loop`` runs: bound or
    mutated there (see ``mutated_names``), passed by keyword, aliased by an assignment or stored in
    a container, or used as the receiver of a method not known to be read-only."""
    if name in bound_names(loop) or name in mutated_names(loop):
        return True
    for use in name_uses(loop, name):
        parent = use.parent
        if parent is None:
            continue
        kind = parent.type
        if kind == "keyword_argument" and parent.child_by_field_name("value") == use:
            return True
        if kind in ("assignment", "augmented_assignment") and parent.child_by_field_name("right") == use:
            return True
        if kind in ("list", "tuple", "set", "pair", "expression_list", "return_statement"):
            return True
        if kind == "attribute" and parent.child_by_field_name("object") == use:
            call = parent.parent
            if call is not None and call.type == "call" and call.child_by_field_name("function") == parent:
                method = parent.child_by_field_name("attribute").text.decode()
                if method not in READONLY_METHODS:
                    return True
            elif call is not None and call.type in ("assignment", "augmented_assignment") and call.child_by_field_name("left") == parent:
                return True
    return False


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


def read_names(node: Node) -> set[str] | None:
    """Identifiers an expression reads, or None when it contains something whose reads cannot be
    listed simply (lambda, comprehension, walrus, await, yield)."""
    names: set[str] = set()
    for current in walk(node):
        if current.type in ("lambda", "named_expression", "await", "yield") or current.type in COMPREHENSION_TYPES:
            return None
        if current.type == "identifier":
            parent = current.parent
            if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == current:
                continue
            if parent is not None and parent.type == "keyword_argument" and parent.child_by_field_name("name") == current:
                continue
            names.add(current.text.decode())
    return names


def module_imports(root: Node) -> dict[str, str]:
    """Top-level ``import a``, ``import a.b`` and ``import a as b`` statements of a module:
    the local name each binds -> the module it names (``a`` -> ``a`` for ``import a.b``)."""
    table: dict[str, str] = {}
    for statement in root.named_children:
        if statement.type != "import_statement":
            continue
        for child in statement.named_children:
            if child.type == "dotted_name":
                first = child.named_children[0].text.decode()
                table[first] = first
            elif child.type == "aliased_import":
                alias = child.child_by_field_name("alias")
                name = child.child_by_field_name("name")
                if alias is not None and name is not None:
                    table[alias.text.decode()] = name.text.decode()
    return table


def is_module_name(node: Node, module: str) -> bool:
    """True when ``node`` is an identifier bound to ``module`` by a top-level import and never
    rebound in the scopes between (the enclosing function, or the module)."""
    if node.type != "identifier":
        return False
    name = node.text.decode()
    root = node
    while root.parent is not None:
        root = root.parent
    if module_imports(root).get(name) != module:
        return False
    scope = enclosing_scope(node)
    while scope.type != "module":
        if scope.type in ("function_definition", "lambda"):
            if name in parameter_names(scope):
                return False
            body = scope.child_by_field_name("body")
            if body is not None and name in bound_names(body):
                return False
        scope = enclosing_scope(scope)
    # Rebound at module level by anything other than the import?
    count = 0
    for statement in root.named_children:
        if statement.type in ("import_statement", "import_from_statement"):
            names = bound_names(statement)
            if name in names and statement.type == "import_from_statement":
                return False
            count += name in names
        elif statement.type in ("function_definition", "class_definition", "decorated_definition"):
            definition = statement.child_by_field_name("definition") if statement.type == "decorated_definition" else statement
            if definition is not None and identifier_text(definition.child_by_field_name("name")) == name:
                return False
        elif name in bound_names(statement):
            return False
    return count >= 1


def is_unshadowed_builtin(node: Node) -> bool:
    """True when the identifier ``node`` names a builtin: no enclosing function, class body or the
    module binds that name (star imports count as binding everything)."""
    if node.type != "identifier":
        return False
    return builtin_visible(node, node.text.decode())


def builtin_visible(node: Node, name: str) -> bool:
    """True when ``name`` used at ``node`` would resolve to the builtin of that name."""
    scope = enclosing_scope(node)
    while True:
        if scope.type in ("function_definition", "lambda"):
            if name in parameter_names(scope):
                return False
        body = scope.child_by_field_name("body") if scope.type != "module" else scope
        if body is not None:
            if scope.type == "module":
                for statement in body.named_children:
                    if statement.type == "import_from_statement" and any(c.type == "wildcard_import" for c in statement.named_children):
                        return False
                    if statement.type in ("function_definition", "class_definition", "decorated_definition"):
                        definition = statement.child_by_field_name("definition") if statement.type == "decorated_definition" else statement
                        if definition is not None and identifier_text(definition.child_by_field_name("name")) == name:
                            return False
                    elif name in bound_names(statement):
                        return False
            elif name in bound_names(body):
                return False
        if scope.type == "module":
            return True
        scope = enclosing_scope(scope)


CONVERSION_BUILTINS = frozenset({"list", "set", "frozenset", "tuple", "sorted", "dict"})
VIEW_METHODS = frozenset({"keys", "values", "items"})


def invariant_data_names(node: Node, function: Node) -> set[str] | None:
    """For data a loop could compute once — a local name, ``name.keys()/values()/items()``, or a
    builtin conversion (``list``/``set``/``tuple``/``frozenset``/``sorted``/``dict``) of those —
    the local names it depends on; None for anything else."""
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
    args = call_args(node)
    if args is None or len(args) != 1 or not is_unshadowed_builtin(func):
        return None
    return invariant_data_names(args[0], function)


def is_small_literal_name(function: Node, name: str, limit: int = 8) -> bool:
    """True when every binding of ``name`` is a list/tuple/set display of fewer than ``limit``
    elements and nothing mutates it: data too small for a repeated scan to matter."""
    values = bindings_of(function, name)
    if not values or not all(v.type in ("list", "tuple", "set") and len(v.named_children) < limit for v in values):
        return False
    return name not in mutated_names(function)


# -- helpers added for the HS1xx/HS3xx foundation rules ---------------------------------------


def is_builtin(node: Node, name: str) -> bool:
    """True when ``name`` at ``node`` can only mean the builtin: no enclosing scope (function,
    class or module) binds it, and the module has no ``from ... import *``."""
    scope = enclosing_scope(node)
    while True:
        if scope.type == "function_definition":
            params = scope.child_by_field_name("parameters")
            if params is not None and name in _parameter_names(params):
                return False
            body = scope.child_by_field_name("body")
            if body is not None and name in bound_names(body):
                return False
        elif scope.type == "lambda":
            params = scope.child_by_field_name("parameters")
            if params is not None and name in _parameter_names(params):
                return False
        elif scope.type == "class_definition":
            body = scope.child_by_field_name("body")
            if body is not None and name in bound_names(body):
                return False
        elif scope.type == "module":
            if name in bound_names(scope):
                return False
            for child in scope.children:
                if child.type == "import_from_statement" and any(c.type == "wildcard_import" for c in child.children):
                    return False
            return True
        if scope.parent is None:
            return True
        scope = enclosing_scope(scope)


def proven_by_bindings(scope: Node, name: str, predicate) -> list[Node] | None:
    """The plain bindings of ``name`` in ``scope`` when there is at least one and every one
    satisfies ``predicate``; None otherwise (see :func:`bindings_of`)."""
    values = bindings_of(scope, name)
    if not values or not all(predicate(v) for v in values):
        return None
    return values


def uses_in_nested_scopes(scope: Node, name: str) -> bool:
    """True when a function, lambda or class nested in ``scope`` mentions ``name``."""
    body = scope.child_by_field_name("body") if scope.type != "module" else scope
    if body is None:
        return False
    for child in walk(body):
        if child.type in ("function_definition", "lambda", "class_definition") and name_uses(child, name):
            return True
    return False


def in_exception_handler_scope(node: Node) -> bool:
    """True when ``node`` sits inside a ``try`` or ``with`` statement of its own scope: code
    after an exception there can still run and observe half-done state."""
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return False
        if parent.type in ("try_statement", "with_statement"):
            return True
    return False


DYNAMIC_SCOPE_CALLS = frozenset({"locals", "vars", "eval", "exec", "globals", "super"})


def uses_dynamic_scope(node: Node) -> bool:
    """True when ``node`` calls something that inspects or depends on the current frame."""
    for child in walk(node):
        if child.type == "call":
            func = child.child_by_field_name("function")
            if func is not None and func.type == "identifier" and func.text.decode() in DYNAMIC_SCOPE_CALLS:
                return True
    return False


def integer_value(node: Node) -> int | None:
    """The value of an integer literal, allowing a unary minus (``-1``); None otherwise."""
    node = strip_parens(node)
    sign = 1
    if node.type == "unary_operator":
        op = node.child_by_field_name("operator")
        arg = node.child_by_field_name("argument")
        if op is None or op.type != "-" or arg is None:
            return None
        sign, node = -1, arg
    if node.type != "integer":
        return None
    try:
        return sign * int(node.text.decode().replace("_", ""), 0)
    except ValueError:
        return None


def keyword_arguments(call: Node) -> dict[str, Node] | None:
    """Keyword arguments of a call by name; None when it has ``**`` splats or comments."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None
    out: dict[str, Node] = {}
    for child in args.named_children:
        if child.type in ("dictionary_splat", "comment"):
            return None
        if child.type == "keyword_argument":
            name = child.child_by_field_name("name")
            value = child.child_by_field_name("value")
            if name is None or value is None:
                return None
            out[name.text.decode()] = value
    return out


def positional_arguments(call: Node) -> list[Node] | None:
    """Positional arguments of a call (keywords skipped); None with ``*``/``**`` splats or
    comments."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None
    out = []
    for child in args.named_children:
        if child.type in ("list_splat", "dictionary_splat", "comment"):
            return None
        if child.type != "keyword_argument":
            out.append(child)
    return out


# -- Loops that a builtin can replace, proven containers, module aliases ------------------------
# (shared by the idiom and data-library rules, HS3xx/HS4xx)

SET_BUILDERS = frozenset({"set", "set_comprehension"})
DICT_BUILDERS = frozenset({"dictionary", "dictionary_comprehension"})


def for_loop_parts(node: Node) -> tuple[Node, Node, Node] | None:
    """(target, iterable, body) of a plain ``for`` loop: not ``async``, no ``else`` clause."""
    if node.type != "for_statement" or is_async(node) or node.child_by_field_name("alternative") is not None:
        return None
    target = node.child_by_field_name("left")
    iterable = node.child_by_field_name("right")
    body = node.child_by_field_name("body")
    if target is None or iterable is None or body is None:
        return None
    return target, iterable, body


def only_statement(block: Node) -> Node | None:
    """The single statement of a block, comments aside; None when it holds more. A fix that
    replaces the block must keep its comments (``keep_comments``)."""
    children = [c for c in block.named_children if c.type != "comment"]
    return children[0] if len(children) == 1 else None


def statement_expression(statement: Node) -> Node | None:
    """The expression of an expression statement such as ``out.append(x)``."""
    if statement.type != "expression_statement" or statement.named_child_count != 1:
        return None
    return statement.named_children[0]


def name_assigned_a_call(node: Node) -> tuple[str, Node] | None:
    """(name, call) for an ``assignment`` node that is a whole statement ``name = f(...)``."""
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier" or right.type != "call":
        return None
    if node.parent is None or statement_expression(node.parent) != node:
        return None
    return left.text.decode(), right


def previous_statement(statement: Node) -> Node | None:
    """The statement just before ``statement`` in its block (a comment is returned as is)."""
    sibling = statement.prev_named_sibling
    return sibling


def comments_in_range(root: Node, start: int, end: int) -> bool:
    """True when a comment starts within bytes ``start:end`` of the tree under ``root``."""
    return bool(comment_nodes_in_range(root, start, end))


def used_outside(scope: Node, name: str, region: Node) -> bool:
    """True when ``name`` is read or written anywhere in ``scope`` (nested scopes included)
    outside ``region``; a loop variable that leaks is then observed."""
    return any(not contains(region, use) and not _rebound_locally(use, name, scope) for use in name_uses(scope, name))


def _rebound_locally(use: Node, name: str, scope: Node) -> bool:
    """True when ``use`` sits in a lambda, function or comprehension inside ``scope`` that binds
    ``name`` itself (a parameter or a comprehension variable), so it is another variable."""
    for parent in ancestors(use):
        if parent == scope:
            return False
        if parent.type in ("lambda", "function_definition"):
            params = parent.child_by_field_name("parameters")
            if params is not None and name in _parameter_names(params):
                return True
        elif parent.type in COMPREHENSION_TYPES:
            clauses = [c for c in parent.named_children if c.type == "for_in_clause"]
            first_iterable = clauses[0].child_by_field_name("right") if clauses else None
            in_first_iterable = first_iterable is not None and contains(first_iterable, use)
            if not in_first_iterable and any(
                name in target_names(c.child_by_field_name("left")) for c in clauses if c.child_by_field_name("left")
            ):
                return True
    return False


def _scope_bound_names(scope: Node) -> set[str]:
    if scope.type == "module":
        return bound_names(scope)
    names: set[str] = set()
    params = scope.child_by_field_name("parameters")
    if params is not None:
        for node in walk(params):
            if node.type == "identifier":
                names.add(node.text.decode())
    body = scope.child_by_field_name("body")
    if body is not None:
        names |= bound_names(body)
    return names


def bound_anywhere(node: Node, name: str) -> bool:
    """True when ``name`` is bound in any scope of the file holding ``node`` (assignment,
    parameter, import, ``def``, loop target, ...): a builtin of that name may then be shadowed."""
    root = node
    while root.parent is not None:
        root = root.parent
    return name in _names_bound_in_file(root)


class _Everything(frozenset):
    """The names bound by a file with ``from module import *``: any name may be."""

    def __contains__(self, name: object) -> bool:
        return True


@lru_cache(maxsize=64)
def _names_bound_in_file(root: Node) -> frozenset[str]:
    names: set[str] = set()
    for current in walk(root):
        if current.type == "wildcard_import":
            return _Everything()
        if current.type in SCOPE_TYPES:
            names |= _scope_bound_names(current)
    return frozenset(names)


def bindings_all(scope: Node, name: str, predicate) -> bool:
    """True when ``name`` has plain bindings in ``scope`` and every bound value satisfies
    ``predicate`` (a proven type, e.g. a list built in the function)."""
    values = bindings_of(scope, name)
    return bool(values) and all(predicate(v) for v in values)


def is_set_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a new ``set`` or ``frozenset``."""
    node = strip_parens(node)
    return node.type in SET_BUILDERS or (node.type == "call" and call_name(node) in ("set", "frozenset"))


def is_mutable_set_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a new (mutable) ``set``."""
    node = strip_parens(node)
    return node.type in SET_BUILDERS or (node.type == "call" and call_name(node) == "set")


def is_dict_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a new ``dict`` (or a dict subclass built by a
    builtin call we trust: ``dict(...)``)."""
    node = strip_parens(node)
    return node.type in DICT_BUILDERS or (node.type == "call" and call_name(node) == "dict")


def module_aliases(node: Node, module: str) -> set[str]:
    """Names the file binds to ``module`` by ``import module`` or ``import module as alias``
    (in any scope), minus names the file also binds some other way."""
    root = node
    while root.parent is not None:
        root = root.parent
    if module.encode() not in root.text:
        return set()
    return set(_module_aliases_of(root, module))


@lru_cache(maxsize=64)
def _module_aliases_of(root: Node, module: str) -> frozenset[str]:
    aliases: set[str] = set()
    for current in walk(root):
        if current.type != "import_statement":
            continue
        for child in current.named_children:
            if child.type == "dotted_name" and child.text.decode() == module and "." not in module:
                aliases.add(module)
            elif child.type == "aliased_import":
                dotted = child.child_by_field_name("name")
                alias = child.child_by_field_name("alias")
                if dotted is not None and alias is not None and dotted.text.decode() == module:
                    aliases.add(alias.text.decode())
    if not aliases:
        return frozenset()
    rebound = _rebound_names(root, aliases)
    return frozenset(aliases - rebound)


def _binds(owner: Node, ident: Node) -> bool:
    """Whether ``ident`` inside ``owner`` (a binding construct) is in a binding position."""
    kind = owner.type
    name = ident.text.decode()
    if kind in ("assignment", "augmented_assignment"):
        left = owner.child_by_field_name("left")
        return left is not None and name in target_names(left) and contains(left, ident)
    if kind in ("for_statement", "for_in_clause"):
        left = owner.child_by_field_name("left")
        return left is not None and contains(left, ident)
    if kind == "named_expression":
        return owner.child_by_field_name("name") == ident
    if kind == "as_pattern":
        alias = owner.child_by_field_name("alias")
        return alias is not None and contains(alias, ident)
    if kind in ("function_definition", "class_definition"):
        return owner.child_by_field_name("name") == ident
    if kind in ("parameters", "lambda_parameters"):
        parent = ident.parent
        if parent is owner:
            return True
        if parent.type in ("default_parameter", "typed_default_parameter"):
            return parent.child_by_field_name("name") == ident
        if parent.type in ("typed_parameter", "list_splat_pattern", "dictionary_splat_pattern"):
            return parent.named_children[0] == ident
        return False
    if kind == "import_from_statement":
        return ident.parent is not None and ident.parent.type in ("aliased_import", "dotted_name") and not contains(
            owner.child_by_field_name("module_name"), ident
        )
    return True  # global statement: the name may be rebound elsewhere


def module_attribute(node: Node, aliases: set[str]) -> str | None:
    """For ``np.append`` (an attribute or the function of a call) where ``np`` is one of
    ``aliases``, the attribute path after the module (``append``, ``random.rand``)."""
    if node.type == "call":
        node = node.child_by_field_name("function")
        if node is None:
            return None
    parts = []
    current = node
    while current.type == "attribute":
        attr = current.child_by_field_name("attribute")
        parts.append(attr.text.decode())
        current = current.child_by_field_name("object")
    if not parts or current.type != "identifier" or current.text.decode() not in aliases:
        return None
    return ".".join(reversed(parts))


# Methods of ``str`` that return a ``str``.
STR_METHODS = frozenset(
    {
        "join", "format", "format_map", "upper", "lower", "strip", "lstrip", "rstrip", "replace",
        "title", "capitalize", "casefold", "swapcase", "center", "ljust", "rjust", "zfill",
        "expandtabs", "removeprefix", "removesuffix", "translate",
    }
)
STR_BUILTINS = frozenset({"str", "repr", "format", "chr", "ascii", "hex", "oct", "bin"})


def is_str_literal(node: Node) -> bool:
    """A string literal or f-string that is ``str`` (not ``bytes``)."""
    node = strip_parens(node)
    if node.type == "concatenated_string":
        return all(is_str_literal(c) for c in node.named_children if c.type == "string")
    if node.type != "string":
        return False
    start = node.child(0)
    prefix = start.text.decode().lower() if start is not None and start.type == "string_start" else ""
    return "b" not in prefix.rstrip("'\"")


def is_str_value(node: Node) -> bool:
    """True when ``node`` certainly evaluates to a ``str`` (or raises while evaluating): string
    literals and f-strings, ``str(...)``/``repr(...)``/``format(...)`` and friends, ``str``
    methods called on one of these, ``+`` of two of these, ``%`` with a string on the left,
    and conditional expressions whose branches are both strings."""
    while node.type == "parenthesized_expression":
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) != 1:
            break
        node = inner[0]
    kind = node.type
    if kind in ("string", "concatenated_string"):
        return is_str_literal(node)
    if kind == "call":
        name = call_name(node)
        if name in STR_BUILTINS and node.child_by_field_name("function").type == "identifier":
            return is_builtin(node, name)
        mc = method_call(node)
        if mc is not None:
            receiver, method, _ = mc
            return method in STR_METHODS and is_str_value(receiver)
        return False
    if kind == "binary_operator":
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is None or left is None or right is None:
            return False
        if op.type == "+":
            return is_str_value(left) and is_str_value(right)
        if op.type == "%":
            return is_str_literal(left)
        if op.type == "*":
            return (is_str_value(left) and right.type == "integer") or (left.type == "integer" and is_str_value(right))
        return False
    if kind == "conditional_expression":
        branches = [c for c in node.named_children]
        return len(branches) == 3 and is_str_value(branches[0]) and is_str_value(branches[2])
    return False


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


def inside_try(node: Node) -> bool:
    """True when ``node`` is in a ``try`` statement of its own scope (an exception could then
    be caught and the state left behind observed)."""
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return False
        if parent.type == "try_statement":
            return True
    return False


def has_nested_scope_use(scope: Node, name: str) -> bool:
    """True when a function, lambda or class nested in ``scope`` mentions ``name``."""
    for current in walk(scope):
        if current != scope and current.type in ("function_definition", "lambda", "class_definition"):
            if name_uses(current, name):
                return True
    return False


def all_bindings(function: Node, name: str) -> list[Node] | None:
    """Every plain and augmented assignment statement (``name = v``, ``name op= v``) to ``name``
    in ``function``'s own scope; None when ``name`` is a parameter or bound any other way."""
    if function.type != "function_definition" or name in parameter_names(function):
        return None
    body = function.child_by_field_name("body")
    if body is None:
        return None
    found: list[Node] = []
    for current in walk_same_scope(body):
        kind = current.type
        if kind in ("assignment", "augmented_assignment"):
            left = current.child_by_field_name("left")
            if left is None:
                continue
            if left.type == "identifier" and left.text.decode() == name:
                right = current.child_by_field_name("right")
                if right is None or right.type == "assignment":
                    return None
                found.append(current)
            elif name in target_names(left):
                return None
        elif kind in ("for_statement", "for_in_clause", "named_expression", "as_pattern", "delete_statement",
                      "import_statement", "import_from_statement", "global_statement", "nonlocal_statement",
                      "except_clause"):
            if name in bound_names_shallow(current):
                return None
    return found


def is_bytes_literal(node: Node) -> bool:
    if node.type == "concatenated_string":
        return all(is_bytes_literal(c) for c in node.named_children)
    if node.type != "string":
        return False
    start = node.named_children[0] if node.named_children else None
    prefix = start.text.decode().lower() if start is not None and start.type == "string_start" else ""
    return "b" in prefix and "f" not in prefix


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


def function_name(function: Node) -> str | None:
    return identifier_text(function.child_by_field_name("name"))


def recursive_calls(function: Node) -> list[Node]:
    """Calls of ``function`` to itself in its own body (``name(...)``, or ``self.name(...)`` for
    a method whose first parameter is ``self``-like). Empty when the name is rebound inside."""
    name = function_name(function)
    body = function.child_by_field_name("body")
    if name is None or body is None or name in bound_names(body) or name in parameter_names(function):
        return []
    receiver = None
    container = function.parent
    if container is not None and container.type == "decorated_definition":
        container = container.parent
    if container is not None and container.type == "block" and container.parent is not None and container.parent.type == "class_definition":
        params = function.child_by_field_name("parameters")
        first = params.named_children[0] if params is not None and params.named_children else None
        receiver = identifier_text(first)
    calls = []
    for node in walk_same_scope(body):
        if node.type != "call":
            continue
        func = node.child_by_field_name("function")
        if func is None:
            continue
        if receiver is None and func.type == "identifier" and func.text.decode() == name:
            calls.append(node)
        elif receiver is not None and func.type == "attribute":
            obj = func.child_by_field_name("object")
            if identifier_text(obj) == receiver and func.child_by_field_name("attribute").text.decode() == name:
                calls.append(node)
    return calls


def call_arguments(call: Node) -> tuple[list[Node] | None, dict[str, Node] | None]:
    """``(positional, keywords)`` of a call with comments skipped; ``(None, None)`` with
    ``*``/``**`` splats. A lone generator argument (``f(x for x in y)``) is one positional."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return None, None
    if args.type == "generator_expression":
        return [args], {}
    positional: list[Node] = []
    keywords: dict[str, Node] = {}
    for child in args.named_children:
        if child.type == "comment":
            continue
        if child.type in ("list_splat", "dictionary_splat"):
            return None, None
        if child.type == "keyword_argument":
            name, value = child.child_by_field_name("name"), child.child_by_field_name("value")
            if name is None or value is None:
                return None, None
            keywords[name.text.decode()] = value
        else:
            positional.append(child)
    return positional, keywords


def imported_from(root: Node, module: str, name: str) -> bool:
    """True when a top-level ``from module import name`` (without ``as``) binds ``name``."""
    for statement in root.named_children:
        if statement.type != "import_from_statement":
            continue
        source = statement.child_by_field_name("module_name")
        if source is None or source.text.decode() != module:
            continue
        for child in statement.named_children:
            if child is not source and child.type == "dotted_name" and child.text.decode() == name:
                return True
    return False


def value_use_is_read_only(use: Node) -> bool:
    """True when this use of a name only reads the object: attribute or item reads (however
    deep), a read-only method, comparison, iteration, or a builtin that does not keep it."""
    node = use
    while node.parent is not None and (
        (node.parent.type == "attribute" and node.parent.child_by_field_name("object") == node)
        or (node.parent.type == "subscript" and node.parent.child_by_field_name("value") == node)
    ):
        node = node.parent
    parent = node.parent
    if parent is None:
        return False
    kind = parent.type
    if kind == "call" and parent.child_by_field_name("function") == node:
        if node.type != "attribute":
            return False
        method = node.child_by_field_name("attribute").text.decode()
        return method in READONLY_METHODS and value_use_is_read_only_result(parent)
    if kind in ("assignment", "augmented_assignment"):
        return parent.child_by_field_name("right") == node and node is not use
    if kind == "delete_statement":
        return False
    if kind in ("comparison_operator", "binary_operator", "boolean_operator", "not_operator", "unary_operator",
                "interpolation", "if_statement", "while_statement", "conditional_expression"):
        return True
    if kind in ("for_statement", "for_in_clause"):
        return parent.child_by_field_name("right") == node
    if kind == "argument_list" and parent.parent is not None:
        func = parent.parent.child_by_field_name("function")
        return func is not None and func.type == "identifier" and func.text.decode() in (
            "len", "print", "str", "repr", "isinstance", "bool", "int", "float", "hash", "id", "type", "format",
            "sorted", "min", "max", "sum", "any", "all",
        )
    return False


def value_use_is_read_only_result(call: Node) -> bool:
    """A read-only method's result may still share state (``d.items()`` views, ``x.copy()`` is
    fresh); treat it as read-only unless it is stored."""
    parent = call.parent
    return parent is None or parent.type not in ("assignment", "augmented_assignment", "return_statement", "list", "tuple", "set", "pair")


# Calls that cannot raise StopIteration. Inside a generator a StopIteration becomes RuntimeError,
# inside ``map``/``list()`` it ends the iteration silently, inside a list comprehension it
# propagates: a rewrite between these forms is only safe when nothing raises it.
QUIET_BUILTINS = frozenset({
    "str", "repr", "format", "len", "int", "float", "abs", "round", "chr", "ord", "hex", "oct",
    "bin", "bool", "ascii", "sorted", "min", "max", "sum", "isinstance", "divmod", "pow", "hash",
    "tuple", "list", "set", "frozenset", "dict", "range", "enumerate", "zip", "reversed", "any",
    "all", "map", "filter",
})
STR_METHODS = frozenset({
    "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "replace",
    "format", "join", "ljust", "rjust", "center", "zfill", "encode", "decode", "hex", "removeprefix",
    "removesuffix", "swapcase", "expandtabs", "split", "rsplit", "startswith", "endswith",
})


def may_raise_stop_iteration(node: Node, outside: Node | None = None) -> bool:
    """True when ``node`` calls something other than a builtin or a string method (which could
    raise StopIteration). Calls inside ``outside`` (e.g. a first iterable) are not counted."""
    for current in walk(node):
        if current.type != "call":
            continue
        if outside is not None and contains(outside, current):
            continue
        name = call_name(current)
        if name in QUIET_BUILTINS and not bound_anywhere(current, name):
            continue
        mc = method_call(current)
        if mc is not None and mc[1] in STR_METHODS:
            continue
        return True
    return False


def from_imports(node: Node, module: str) -> dict[str, str]:
    """Local name -> imported name for ``from module import name [as local]`` anywhere in the
    file holding ``node``, minus local names the file also binds some other way."""
    root = node
    while root.parent is not None:
        root = root.parent
    if module.encode() not in root.text:
        return {}
    return dict(_from_imports_of(root, module))


@lru_cache(maxsize=64)
def _from_imports_of(root: Node, module: str) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for current in walk(root):
        if current.type != "import_from_statement":
            continue
        module_name = current.child_by_field_name("module_name")
        if module_name is None or module_name.text.decode() != module:
            continue
        for child in current.children_by_field_name("name"):
            if child.type == "dotted_name":
                found[child.text.decode()] = child.text.decode()
            elif child.type == "aliased_import":
                name = child.child_by_field_name("name")
                alias = child.child_by_field_name("alias")
                if name is not None and alias is not None:
                    found[alias.text.decode()] = name.text.decode()
    if not found:
        return ()
    rebound = _rebound_names(root, set(found))
    for name in rebound:
        found.pop(name, None)
    return tuple(sorted(found.items()))


def numpy_function(call: Node) -> str | None:
    """``append`` for ``np.append(...)``/``numpy.append(...)``/``append(...)`` imported from numpy;
    ``random.rand`` for ``np.random.rand(...)``. None when the callee is not provably numpy's."""
    if call.type != "call":
        return None
    func = call.child_by_field_name("function")
    if func is None:
        return None
    if func.type == "identifier":
        return from_imports(call, "numpy").get(func.text.decode())
    return module_attribute(func, module_aliases(call, "numpy"))


def _rebound_names(root: Node, names: set[str]) -> set[str]:
    """Which of ``names`` the file binds other than by an import (assignment, parameter, loop
    target, ``def``, ...)."""
    rebound = set()
    for current in walk(root):
        if current.type in ("assignment", "augmented_assignment", "for_statement", "for_in_clause",
                            "named_expression", "as_pattern", "function_definition", "class_definition",
                            "parameters", "lambda_parameters", "global_statement"):
            for ident in walk(current):
                if ident.type == "identifier" and ident.text.decode() in names and _binds(current, ident):
                    rebound.add(ident.text.decode())
    return rebound


SMALL_LOOP = 16


def in_main_guard(node: Node) -> bool:
    """True inside ``if __name__ == "__main__":`` (script or demo code, run once)."""
    for parent in ancestors(node):
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if condition is not None and b"__name__" in condition.text and b"__main__" in condition.text:
                return True
    return False


def _small_literal(node: Node | None) -> bool:
    if node is None:
        return False
    node = strip_parens(node)
    if node.type in ("list", "tuple", "set"):
        return len(node.named_children) <= SMALL_LOOP and not any(
            c.type in ("list_splat", "parenthesized_list_splat") for c in node.named_children
        )
    if node.type == "call" and call_name(node) == "range":
        args = call_args(node)
        if not args or len(args) != 1 or args[0].type != "integer":
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
        root = loop
        while root.parent is not None:
            root = root.parent
        values = bindings_of(root, name)
        return bool(values) and all(_small_literal(v) for v in values)
    return False


def repeated_loop(node: Node) -> Node | None:
    """The innermost loop around ``node`` when the code plausibly runs many times: the loop
    repeats, not every enclosing loop is a short fixed one, and it is not under a
    ``__main__`` guard. None otherwise."""
    loops = enclosing_loops(node)
    if not loops or not loop_repeats(loops[0]):
        return None
    if all(small_fixed_loop(loop) for loop in loops):
        return None
    if in_main_guard(node) or on_error_path(loops[-1]):
        return None
    function = enclosing_function(node)
    if function is not None and identifier_text(function.child_by_field_name("name")) in ONE_OFF_METHODS:
        return None
    return loops[0]


# Methods whose loops serve a display, run once per call on one object's own data.
ONE_OFF_METHODS = frozenset({"__repr__", "__str__", "__format__", "__rich_repr__", "_repr_html_"})


def on_error_path(statement: Node) -> bool:
    """True when the block holding ``statement`` ends by raising after it: code that runs once
    per failure, on the way to an exception."""
    statement = statement_of(statement)
    block = statement.parent
    if block is None or block.type != "block":
        return False
    rest = [c for c in block.named_children if c.type != "comment" and c.start_byte >= statement.end_byte]
    return bool(rest) and rest[-1].type == "raise_statement"


def source_mentions(source, word: bytes) -> bool:
    """Whether the file's text contains ``word`` (e.g. ``b"pandas"``), computed once per file:
    a cheap first filter for rules about one library."""
    cache = source.__dict__.setdefault("_hasten_mentions", {})
    if word not in cache:
        cache[word] = word in source.data
    return cache[word]
