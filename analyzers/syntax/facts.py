"""Type facts: what kind of value a name can hold, and where that knowledge comes from.

A :class:`Fact` says a name (or ``self.attr``) holds a ``list``, ``tuple``, ``set``, ``dict``,
``str``, ... and why: an annotation, the values the scope assigns to it, the attribute's
assignments in its class, the return statements (or return annotation) of a function in the same
file, or a standard-library call whose result type is fixed. Anything in doubt gives no fact:
every binding must agree, and a name bound any other way (loop target, tuple target, walrus,
``global``, ``del``, ...) is unknown.

Each scope's bindings are collected once, in one walk, into a table cached per scope node (the
tree is immutable, so a table built for one rule serves every rule of the analysis).

``proven`` is True only when the code itself builds the value (a display, a comprehension,
``list(...)``, ...); an annotation is trusted for a finding, not for a safe fix.

Standard-library return types come from the small table below rather than from typeshed (for
example through ``typeshed-client``): the rules only see syntax, so the receiver of ``x.split()``
is not known to be a ``str``; the table lists the calls whose result kind does not depend on
the receiver's type being resolved, which a stub lookup cannot add without a type evaluator.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from tree_sitter import Node

from hasten.analyzers.syntax.annotations import annotation_kind
from hasten.analyzers.syntax.calls import call_name, method_call
from hasten.analyzers.syntax.imports import is_builtin
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.scope import noted, target_names
from hasten.analyzers.syntax.tree import (
    SCOPE_TYPES,
    ancestors,
    identifier_text,
    root_of,
    strip_parens,
    walk_same_scope,
)
from hasten.analyzers.syntax.values import is_str_value

# Kinds. "sequence" is a typing.Sequence: list, tuple, str or range — `in` is linear for every
# one of them except range of ints, so rules that care about membership treat it as linear.
LINEAR_KINDS = frozenset({"list", "tuple", "sequence"})

_BUILTIN_CALL_KINDS = {
    "list": "list", "sorted": "list", "tuple": "tuple", "set": "set", "frozenset": "frozenset",
    "dict": "dict", "str": "str", "bytes": "bytes", "bytearray": "bytearray",
}
# Methods whose result is a list whatever their receiver is in practice (str.split,
# file.readlines, re.findall / pattern.findall, dict views are not here: they are views).
_LIST_METHODS = frozenset({"split", "rsplit", "splitlines", "readlines", "findall"})
# module.function calls with a fixed result kind.
_MODULE_CALL_KINDS = {
    ("os", "listdir"): "list", ("glob", "glob"): "list", ("re", "findall"): "list",
    ("re", "split"): "list", ("shlex", "split"): "list", ("fnmatch", "filter"): "list",
    ("collections", "deque"): "deque", ("np", "array"): "ndarray", ("numpy", "array"): "ndarray",
    ("np", "zeros"): "ndarray", ("np", "arange"): "ndarray", ("pd", "DataFrame"): "DataFrame",
    ("pd", "read_csv"): "DataFrame",
}
_NAME_CALL_KINDS = {"deque": "deque"}
_GROWING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "__iadd__"})


@dataclass(frozen=True)
class Fact:
    kind: str
    source: str  # e.g. "`b` is annotated `list[int]`"
    proven: bool  # the code itself builds the value (a fix may rely on it)
    values: tuple[Node, ...] = ()  # the bound values, when the fact comes from assignments
    small: bool = False  # every value is a short display of constants (for self.x, a display of
    # constants of any length) that nothing grows: fixed data

    @property
    def linear(self) -> bool:
        return self.kind in LINEAR_KINDS


@dataclass
class _Binding:
    how: str  # "assign", "param", "annotation", "other"
    value: Node | None = None  # assigned value, or the annotation node
    statement: Node | None = None


@lru_cache(maxsize=4096)
def binding_table(scope: Node) -> dict[str, list[_Binding]]:
    """Every name bound in ``scope``'s own body (nested scopes excluded), with how: built in one
    walk, once per scope."""
    table: dict[str, list[_Binding]] = {}

    def add(name: str, binding: _Binding) -> None:
        table.setdefault(name, []).append(binding)

    if scope.type in ("function_definition", "lambda"):
        params = scope.child_by_field_name("parameters")
        for child in params.named_children if params is not None else ():
            if child.type == "identifier":
                add(child.text.decode(), _Binding("param"))
                continue
            name_node = next((c for c in child.named_children if c.type == "identifier"), None)
            if name_node is None:
                continue
            annotation = child.child_by_field_name("type")
            if child.type in ("list_splat_pattern", "dictionary_splat_pattern"):
                add(name_node.text.decode(), _Binding("other"))
            else:
                add(name_node.text.decode(), _Binding("param", annotation))
    body = scope if scope.type == "module" else scope.child_by_field_name("body")
    if body is None:
        return table
    for node in walk_same_scope(body):
        kind = node.type
        if kind == "assignment":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            annotation = node.child_by_field_name("type")
            if left is None:
                continue
            if left.type == "identifier":
                name = left.text.decode()
                if annotation is not None:
                    add(name, _Binding("annotation", annotation, node))
                if right is not None and right.type != "assignment":
                    add(name, _Binding("assign", right, node))
                elif right is not None:
                    add(name, _Binding("other", None, node))
            else:
                for name in target_names(left):
                    add(name, _Binding("other", None, node))
        elif kind in ("augmented_assignment", "for_statement", "for_in_clause", "named_expression",
                      "as_pattern", "delete_statement", "import_statement", "import_from_statement",
                      "global_statement", "nonlocal_statement", "except_clause"):
            from hasten.analyzers.syntax.scope import bound_names_shallow

            for name in bound_names_shallow(node):
                add(name, _Binding("other", None, node))
        for child in node.children:
            if child.type in ("function_definition", "class_definition"):
                name = identifier_text(child.child_by_field_name("name"))
                if name:
                    add(name, _Binding("other", None, child))
    return table


def value_fact(value: Node, scope: Node, depth: int = 0) -> Fact | None:
    """The kind of an expression, when it is certain (or annotated)."""
    value = strip_parens(value)
    kind = value.type
    if kind == "list":
        return Fact("list", "it is built as a list", True, (value,), _small_display(value))
    if kind == "list_comprehension":
        return Fact("list", "it is built as a list", True, (value,))
    if kind in ("set", "set_comprehension"):
        return Fact("set", "it is built as a set", True, (value,))
    if kind in ("dictionary", "dictionary_comprehension"):
        return Fact("dict", "it is built as a dict", True, (value,))
    if kind == "tuple":
        return Fact("tuple", "it is built as a tuple", True, (value,), _small_display(value))
    if kind == "boolean_operator":  # a or b: either operand
        left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
        if left is None or right is None or depth >= 4:
            return None
        a, b = value_fact(left, scope, depth + 1), value_fact(right, scope, depth + 1)
        if a is None or b is None or a.kind != b.kind:
            return None
        return Fact(a.kind, a.source, a.proven and b.proven, (value,), a.small and b.small)
    if kind in ("string", "concatenated_string") or kind == "binary_operator" and is_str_value(value):
        if is_str_value(value):
            return Fact("str", "it is built as a str", True, (value,))
        return None
    if kind == "binary_operator":
        op = value.child_by_field_name("operator")
        left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
        if op is not None and op.type == "+" and left is not None and right is not None:
            a, b = value_fact(left, scope, depth + 1), value_fact(right, scope, depth + 1)
            if a and b and a.kind == b.kind == "list":
                return Fact("list", a.source, a.proven and b.proven, (value,))
        return None
    if kind == "identifier" and depth < 4:
        return name_fact(value, depth + 1)
    if kind == "attribute" and depth < 4:
        return attribute_fact(value)
    if kind != "call":
        return None
    function = value.child_by_field_name("function")
    name = call_name(value)
    if function is not None and function.type == "identifier" and name:
        if name in _BUILTIN_CALL_KINDS and is_builtin(value, name):
            return Fact(_BUILTIN_CALL_KINDS[name], f"`{name}()` returns a {_BUILTIN_CALL_KINDS[name]}", True, (value,))
        if name in _NAME_CALL_KINDS:
            return Fact(_NAME_CALL_KINDS[name], f"`{name}()` returns a {_NAME_CALL_KINDS[name]}", True, (value,))
        if depth < 4:
            return module_function_return_fact(root_of(value), name, depth)
        return None
    mc = method_call(value)
    if mc is None:
        return None
    receiver, method = mc[0], mc[1]
    receiver = strip_parens(receiver)
    if receiver.type == "identifier" and receiver.text == b"self" and depth < 4:
        cls = next((p for p in ancestors(value) if p.type == "class_definition"), None)
        return method_return_fact(cls, method, depth) if cls is not None else None
    if receiver.type == "identifier":
        key = (receiver.text.decode(), method)
        if key in _MODULE_CALL_KINDS:
            return Fact(_MODULE_CALL_KINDS[key], f"`{key[0]}.{method}()` returns a {_MODULE_CALL_KINDS[key]}", True, (value,))
    if method in _LIST_METHODS:
        # "a b c".split(): a literal's parts are fixed, tiny data
        return Fact("list", f"`.{method}()` returns a list", True, (value,), receiver.type == "string")
    if is_str_value(value):
        return Fact("str", "it is built as a str", True, (value,))
    return None


_CONSTANT_TYPES = frozenset({"string", "integer", "float", "true", "false", "none", "concatenated_string"})


def _small_display(node: Node, limit: int = 8) -> bool:
    items = [c for c in node.named_children if c.type != "comment"]
    return len(items) < limit and all(strip_parens(c).type in _CONSTANT_TYPES for c in items)


def _agree(facts: list[Fact | None], subject: str, values: tuple[Node, ...]) -> Fact | None:
    if not facts or any(f is None for f in facts):
        return None
    kinds = {f.kind for f in facts}  # type: ignore[union-attr]
    if len(kinds) != 1:
        return None
    first = facts[0]
    assert first is not None
    proven = all(f.proven for f in facts)  # type: ignore[union-attr]
    small = all(f.small for f in facts)  # type: ignore[union-attr]
    return Fact(first.kind, subject, proven, values, small)


def _scope_of(node: Node) -> Node:
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return parent
    return node


def name_fact(identifier: Node, depth: int = 0) -> Fact | None:
    """What the name ``identifier`` holds where it is read, from its own scope's bindings (or
    the module's, for a global the function does not bind)."""
    name = identifier.text.decode()
    scope = _scope_of(identifier)
    while scope.type != "module" and name not in binding_table(scope):
        scope = _scope_of(scope)
        while scope.type == "class_definition":  # class bodies are not visible from methods
            scope = _scope_of(scope)
    return scope_name_fact(scope, name, depth)


def scope_name_fact(scope: Node, name: str, depth: int = 0) -> Fact | None:
    bindings = binding_table(scope).get(name)
    if not bindings or any(b.how == "other" for b in bindings):
        return None
    annotated = [b for b in bindings if b.how in ("param", "annotation") and b.value is not None]
    if annotated:
        kinds = {annotation_kind(b.value) for b in annotated}
        if len(kinds) != 1 or None in kinds:
            return None
        kind, text = kinds.pop()  # type: ignore[misc]
        assigned = [value_fact(b.value, scope, depth + 1) for b in bindings if b.how == "assign"]
        if any(f is not None and f.kind != kind for f in assigned):
            return None  # an assignment contradicts the annotation
        return Fact(kind, f"`{name}` is annotated `{text}`", False,
                    tuple(b.value for b in bindings if b.how == "assign"))
    if any(b.how == "param" for b in bindings):
        return None
    values = tuple(b.value for b in bindings if b.how == "assign")
    facts = [value_fact(v, scope, depth + 1) for v in values]
    fact = _agree(facts, "", values)
    if fact is None:
        return None
    article = "an" if fact.kind[0] in "aeiou" else "a"
    source = facts[0].source if len(values) == 1 and facts[0] and facts[0].source.startswith("`") else ""
    message = f"`{name}` is assigned {article} {fact.kind}" + (f" ({source})" if source else "")
    small = fact.small and name not in mutated_names(scope)  # a literal that grows is data
    return Fact(fact.kind, message, fact.proven, values, small)


@noted("method-return")
def method_return_fact(cls: Node, method: str, depth: int) -> Fact | None:
    """``self.method()`` in ``cls``: what the method, defined once in the class, returns."""
    definition = class_methods(cls).get(method)
    return function_return_fact(definition, f"self.{method}", depth + 1) if definition is not None else None


@noted("function-return")
def module_function_return_fact(root: Node, name: str, depth: int) -> Fact | None:
    """A call to a function defined once at module level in this file: its return annotation,
    or else the kind all its return statements agree on."""
    definition = same_file_function(root, name)
    return None if definition is None else function_return_fact(definition, name, depth)


def same_file_function(node: Node, name: str) -> Node | None:
    """The undecorated function ``name`` defined once at module level in ``node``'s file."""
    bindings = binding_table(root_of(node)).get(name)
    if not bindings or len(bindings) != 1 or bindings[0].how != "other":
        return None
    definition = bindings[0].statement
    if definition is None or definition.type != "function_definition":
        return None
    if definition.parent is not None and definition.parent.type == "decorated_definition":
        return None
    return definition


@lru_cache(maxsize=512)
def class_methods(cls: Node) -> dict[str, Node]:
    """Methods defined once, undecorated, in the class body."""
    methods: dict[str, Node] = {}
    seen: set[str] = set()
    body = cls.child_by_field_name("body")
    for child in body.named_children if body is not None else ():
        if child.type in ("function_definition", "decorated_definition"):
            definition = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
            name = identifier_text(definition.child_by_field_name("name")) if definition is not None else None
            if not name:
                continue
            if name in seen or child.type == "decorated_definition":
                methods.pop(name, None)
            else:
                methods[name] = definition
            seen.add(name)
    return methods


@lru_cache(maxsize=1024)
def function_returns(function: Node) -> tuple[Node | None, ...]:
    found: list[Node | None] = []
    body = function.child_by_field_name("body")
    for node in walk_same_scope(body) if body is not None else ():
        if node.type == "yield":
            return (None,)
        if node.type == "return_statement":
            found.append(node.named_children[0] if node.named_children else None)
    return tuple(found)


def function_return_fact(function: Node, name: str, depth: int = 0) -> Fact | None:
    annotation = annotation_kind(function.child_by_field_name("return_type"))
    if annotation is not None:
        return Fact(annotation[0], f"`{name}()` is annotated to return `{annotation[1]}`", False)
    returns = function_returns(function)
    if not returns or None in returns:
        return None
    facts = [value_fact(v, function, depth + 1) for v in returns if v is not None]
    fact = _agree(facts, "", ())
    if fact is None:
        return None
    article = "an" if fact.kind[0] in "aeiou" else "a"
    return Fact(fact.kind, f"`{name}()` returns {article} {fact.kind}", fact.proven, (), fact.small)


def attribute_fact(attribute: Node) -> Fact | None:
    """``self.x`` read in a method: the kind every assignment to ``self.x`` in the class (and a
    class-level annotation or value) agrees on."""
    obj, attr = attribute.child_by_field_name("object"), attribute.child_by_field_name("attribute")
    if obj is None or attr is None or obj.type != "identifier" or obj.text != b"self":
        return None
    cls = next((p for p in ancestors(attribute) if p.type == "class_definition"), None)
    return class_attribute_fact(cls, attr.text.decode()) if cls is not None else None


@noted("attribute")
def class_attribute_fact(cls: Node, attr: str) -> Fact | None:
    """The fact for ``self.attr`` in ``cls``'s methods."""
    computing = _computing()
    if cls in computing:
        return None  # `self.x = self.x + ...` while the class's facts are being computed
    computing.add(cls)
    try:
        return class_attribute_facts(cls).get(attr)
    finally:
        computing.discard(cls)


_LOCAL = threading.local()


def _computing() -> set[Node]:
    """Classes whose attribute facts this thread is computing (a cycle gives no fact)."""
    if not hasattr(_LOCAL, "classes"):
        _LOCAL.classes = set()
    return _LOCAL.classes


@lru_cache(maxsize=512)
def class_attribute_facts(cls: Node) -> dict[str, Fact]:
    """Facts for ``self.x`` in ``cls``: its own assignments agree, and no subclass in the same
    file assigns the attribute a value of another (or unknown) kind."""
    facts, _ = _own_attributes(cls)
    if not facts:
        return facts
    name = identifier_text(cls.child_by_field_name("name"))
    for sub in _subclasses(root_of(cls), name):
        sub_facts, touched = _own_attributes(sub)
        for attr in list(facts):
            if attr in touched and (attr not in sub_facts or sub_facts[attr].kind != facts[attr].kind):
                del facts[attr]
    return facts


def _subclasses(root: Node, name: str | None) -> list[Node]:
    from hasten.analyzers.syntax.tree import walk

    found = []
    for node in walk(root):
        if node.type == "class_definition":
            bases = node.child_by_field_name("superclasses")
            if bases is not None and any(b.text.decode().rsplit(".", 1)[-1] == name for b in bases.named_children):
                found.append(node)
    return found


@lru_cache(maxsize=512)
def _own_attributes(cls: Node) -> tuple[dict[str, Fact], frozenset[str]]:
    from hasten.analyzers.syntax.tree import walk

    assigned: dict[str, list[tuple[str, Node]]] = {}  # attr -> [(how, node)]
    spoiled: set[str] = set()
    body = cls.child_by_field_name("body")
    for name, bindings in (binding_table(cls).items() if body is not None else ()):
        for b in bindings:
            if b.how == "annotation":
                assigned.setdefault(name, []).append(("annotation", b.value))
            elif b.how == "assign":
                assigned.setdefault(name, []).append(("assign", b.value))
            else:
                spoiled.add(name)
    methods: dict[str, str] = {}
    grown: set[str] = set()  # self.x.append(...) and friends somewhere in the class
    for node in walk(body) if body is not None else ():
        if node.type in ("assignment", "augmented_assignment"):
            left = node.child_by_field_name("left")
            targets = [left] if left is not None else []
            while targets:
                t = targets.pop()
                if t.type in ("pattern_list", "tuple_pattern", "list_pattern", "tuple", "list"):
                    for sub in t.named_children:
                        _spoil_attribute(sub, spoiled)
                    continue
                if t.type == "attribute" and t.child_by_field_name("object") is not None \
                        and t.child_by_field_name("object").text == b"self":
                    attr = t.child_by_field_name("attribute").text.decode()
                    right = node.child_by_field_name("right")
                    op = node.child_by_field_name("operator") if node.type == "augmented_assignment" else None
                    if op is not None and op.type == "+=":
                        grown.add(attr)  # `+=` keeps a str a str and a list a list
                    elif node.type == "augmented_assignment" or right is None or right.type == "assignment":
                        spoiled.add(attr)
                    else:
                        assigned.setdefault(attr, []).append(("assign", right))
                        method = next((p for p in ancestors(node) if p.type == "function_definition"), None)
                        if method is not None:
                            methods.setdefault(attr, identifier_text(method.child_by_field_name("name")) or "")
        elif node.type in ("for_statement", "for_in_clause", "named_expression", "delete_statement"):
            left = node.child_by_field_name("left") or node
            for sub in walk(left):
                _spoil_attribute(sub, spoiled)
        elif node.type == "call" and _grown_attribute(node):
            grown.add(_grown_attribute(node))  # type: ignore[arg-type]
        elif node.type == "call" and call_name(node) in ("setattr", "delattr"):
            return {}, _EVERYTHING
    facts: dict[str, Fact] = {}
    for attr, entries in assigned.items():
        if attr in spoiled:
            continue
        kinds: set[str] = set()
        proven = True
        literal = True  # every value is a display of constants (of any length): fixed data
        annotated = None
        for how, value in entries:
            if how == "annotation":
                ak = annotation_kind(value)
                if ak is None:
                    kinds.add("?")
                else:
                    kinds.add(ak[0])
                    annotated = ak[1]
                proven = False
            else:
                f = _class_value_fact(value, cls)
                kinds.add(f.kind if f else "?")
                proven = proven and bool(f and f.proven)
                literal = literal and strip_parens(value).type in ("list", "tuple", "set") and all(
                    strip_parens(c).type in _CONSTANT_TYPES for c in strip_parens(value).named_children)
        if len(kinds) != 1 or "?" in kinds:
            continue
        kind = kinds.pop()
        if annotated is not None:
            source = f"`self.{attr}` is annotated `{annotated}`"
        else:
            article = "an" if kind[0] in "aeiou" else "a"
            where = f" in `{methods[attr]}`" if attr in methods else ""
            source = f"`self.{attr}` is assigned {article} {kind}{where}"
        literal = literal and attr not in grown and any(how == "assign" for how, _ in entries)
        facts[attr] = Fact(kind, source, proven, (), literal)
    return facts, frozenset(assigned) | frozenset(spoiled)


class _Everything(frozenset):
    def __contains__(self, item: object) -> bool:
        return True


_EVERYTHING = _Everything()


def _class_value_fact(value: Node, cls: Node) -> Fact | None:
    value = strip_parens(value)
    if value.type == "call" and call_name(value) == "field":  # dataclass field(default_factory=list)
        for arg in value.named_children[-1].named_children if value.named_children else ():
            if arg.type == "keyword_argument" and arg.child_by_field_name("name").text == b"default_factory":
                factory = arg.child_by_field_name("value").text.decode()
                kind = _BUILTIN_CALL_KINDS.get(factory)
                return Fact(kind, "", True) if kind else None
        return None
    if value.type == "identifier":
        # self.x = x in a method: the parameter's annotation
        scope = _scope_of(value)
        if scope.type == "function_definition":
            return scope_name_fact(scope, value.text.decode())
        return None
    return value_fact(value, _scope_of(value), 1)


def _grown_attribute(call: Node) -> str | None:
    """``x`` for ``self.x.append(...)`` (or ``extend``, ``insert``, ``add``, ``update``), whatever
    the arguments look like (``f(a for a in b)`` has no argument list)."""
    function = call.child_by_field_name("function")
    if function is None or function.type != "attribute":
        return None
    method = function.child_by_field_name("attribute")
    receiver = function.child_by_field_name("object")
    if method is None or method.text.decode() not in _GROWING_METHODS or receiver is None or receiver.type != "attribute":
        return None
    obj, attr = receiver.child_by_field_name("object"), receiver.child_by_field_name("attribute")
    if obj is None or obj.text != b"self" or attr is None:
        return None
    return attr.text.decode()


def _spoil_attribute(node: Node, spoiled: set[str]) -> None:
    if node.type == "attribute":
        obj = node.child_by_field_name("object")
        attr = node.child_by_field_name("attribute")
        if obj is not None and obj.text == b"self" and attr is not None:
            spoiled.add(attr.text.decode())


def fact_of(node: Node) -> Fact | None:
    """The fact for a name or ``self.attr`` expression where it is read."""
    node = strip_parens(node)
    if node.type == "identifier":
        return name_fact(node)
    if node.type == "attribute":
        return attribute_fact(node)
    return None


def fixed_small_list(scope: Node, name: str, limit: int = 8) -> bool:
    """Every binding of ``name`` in ``scope`` is a list display of fewer than ``limit`` items and
    nothing adds to it (``append``, ``extend``, ``insert``, ``+=``): consuming it is constant work."""
    from hasten.analyzers.syntax.scope import bindings_of, name_uses

    values = bindings_of(scope, name)
    if not values or not all(strip_parens(v).type == "list" and strip_parens(v).named_child_count < limit for v in values):
        return False
    for use in name_uses(scope, name):
        parent = use.parent
        if parent is not None and parent.type == "attribute" and parent.child_by_field_name("object") == use:
            if parent.child_by_field_name("attribute").text in (b"append", b"extend", b"insert"):
                return False
        elif parent is not None and parent.type == "augmented_assignment":
            return False
    return True
