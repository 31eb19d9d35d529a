"""Imports and builtins: which module or builtin a name surely refers to."""

from __future__ import annotations

from functools import lru_cache

from tree_sitter import Node

from hasten.analyzers.syntax.scope import bound_names, note_read, parameter_names, target_names
from hasten.analyzers.syntax.tree import contains, enclosing_scope, identifier_text, root_of, walk


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


def is_module_name(node: Node, module: str, scope: Node | None = None) -> bool:
    """True when ``node`` is an identifier bound to ``module`` by a top-level import and never
    rebound in the scopes between (the enclosing function, or the module). ``scope`` is
    ``node``'s enclosing scope when the caller knows it: finding it walks up from ``node``, and
    ``Node.parent`` costs the node's depth (an operand 50,000 levels down an expression)."""
    if node.type != "identifier":
        return False
    name = node.text.decode()
    if scope is None:
        scope = enclosing_scope(node)
    root = root_of(scope)
    if module_imports(root).get(name) != module:
        return False
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
        elif _top_level_binds(statement, name):
            return False
    return count >= 1


def _top_level_binds(statement: Node, name: str) -> bool:
    """Whether a module-level statement binds ``name``: a ``def``/``class`` by its own name,
    anything else by what :func:`bound_names` finds in it."""
    if statement.type in ("function_definition", "class_definition", "decorated_definition"):
        definition = statement.child_by_field_name("definition") if statement.type == "decorated_definition" else statement
        return definition is not None and identifier_text(definition.child_by_field_name("name")) == name
    return name in bound_names(statement)


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
                    if _top_level_binds(statement, name):
                        return False
            elif name in bound_names(body):
                return False
        if scope.type == "module":
            return True
        scope = enclosing_scope(scope)


def is_builtin(node: Node, name: str) -> bool:
    """True when ``name`` at ``node`` can only mean the builtin: no enclosing scope (function,
    class or module) binds it, and the module has no ``from ... import *``."""
    scope = enclosing_scope(node)
    while True:
        if scope.type in ("function_definition", "lambda") and name in parameter_names(scope):
            return False
        if scope.type in ("function_definition", "class_definition"):
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


def from_imports(node: Node, module: str) -> dict[str, str]:
    """Local name -> imported name for ``from module import name [as local]`` anywhere in the
    file holding ``node``, minus local names the file also binds some other way."""
    root = root_of(node)
    found = dict(_from_imports_of(root, module)) if module.encode() in root.text else {}
    note_read("from-imports", module, tuple(sorted(found.items())))
    return found


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


def module_aliases(node: Node, module: str) -> set[str]:
    """Names the file binds to ``module`` by ``import module`` or ``import module as alias``
    (in any scope), minus names the file also binds some other way."""
    root = root_of(node)
    aliases = set(_module_aliases_of(root, module)) if module.encode() in root.text else set()
    note_read("module-aliases", module, frozenset(aliases))
    return aliases


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


def source_mentions(source, word: bytes) -> bool:
    """Whether the file's text contains ``word`` (e.g. ``b"pandas"``), computed once per file:
    a cheap first filter for rules about one library."""
    cache = source.__dict__.setdefault("_hasten_mentions", {})
    if word not in cache:
        cache[word] = word in source.data
    note_read("mentions", word, cache[word])
    return cache[word]
