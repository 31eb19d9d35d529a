"""Size facts: evidence that a collection (or a loop's iterable) can be large.

The complexity rules are worth reporting only where the data grows with the program's input: a
membership test on a list of three option names inside a loop over four fields is true and
negligible. :func:`size_evidence` says why an expression can be large — it comes from a
parameter (its size is the caller's), from input (``open``, ``input()``, ``read``, ``json.load``,
``sys.stdin``, ``os.listdir``, ...), from a comprehension or ``list(...)`` over such data, from a
list filled in a loop over such data, or from ``self.x`` filled in a loop — and gives None when
it sees none: a literal, a fixed display of constants, ``range`` of a constant, values built
from constants, or data it cannot trace. :func:`loop_size_evidence` asks the same of a loop's
iterable (a ``while`` loop runs until its data says stop, unless it counts to a constant).

Two strengths. The default (``strict=False``) counts anything whose size is not fixed by the
code: a parameter, an annotated container, ``self.x`` added to once per call. ``strict=True``
counts only data that comes from the program's input (``open``, ``input()``, ``sys.stdin``,
``json.load``, a directory listing, ...) or a count of at least ``LARGE_COUNT``, traced through
assignments, comprehensions, loops that fill a list, same-file returns and the arguments the file
passes to its own functions; a parameter counts only through such a call site. The stable rules
report on strict evidence by default and on either with preview on.

Evidence for a name is computed once per scope and name (cached per scope node; the tree is
immutable), from the same binding table the type facts use.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Callable

from tree_sitter import Node

from hasten.analyzers.syntax.annotations import annotation_kind
from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.facts import binding_table, class_methods, function_returns, same_file_function
from hasten.analyzers.syntax.scope import noted
from hasten.analyzers.syntax.small import (
    CONSTANTS,
    argument_nodes,
    attribute_steps,
    calls_by_name,
    fixed_default,
    grown_names,
    method_parts,
    scope_of,
    splits_name,
)
from hasten.analyzers.syntax.tree import (
    COMPREHENSION_TYPES,
    ancestors,
    function_name,
    root_of,
    strip_parens,
    walk,
    walk_same_scope,
)

# Calls that read input: their result is as large as the input.
_INPUT_CALLS = frozenset({"open", "input"})
_INPUT_MODULE_CALLS = frozenset({
    ("json", "load"), ("json", "loads"), ("os", "listdir"), ("os", "walk"), ("os", "scandir"),
    ("glob", "glob"), ("glob", "iglob"), ("csv", "reader"), ("csv", "DictReader"),
    ("sys", "stdin"), ("pickle", "load"), ("np", "loadtxt"), ("pd", "read_csv"),
    ("subprocess", "run"), ("subprocess", "check_output"),
})
_INPUT_METHODS = frozenset({"read", "readlines", "read_text", "iterdir", "rglob", "fetchall"})
# Calls whose result is as large as one of their arguments.
_PASS_THROUGH_CALLS = frozenset({
    "list", "tuple", "set", "frozenset", "sorted", "reversed", "enumerate", "zip", "filter", "map",
    "iter", "dict", "range", "len", "int", "str", "bytes", "chain", "islice",
})
# Calls (``re.findall(p, text)``, ``collections.Counter(words)``) whose result is as large as an
# argument when their receiver says nothing.
_ARGUMENT_METHODS = _PASS_THROUGH_CALLS | {"findall", "finditer", "split", "Counter", "deque", "OrderedDict"}
# Methods that set an object up: adding to ``self.x`` there builds the initial (fixed) contents.
_SETUP_METHODS = frozenset({"__init__", "__post_init__", "__attrs_post_init__", "setUp", "setup"})
# An integer this large counts as data: `range(1000)` repeats enough for a constant factor to show.
LARGE_COUNT = 100
_MAX_DEPTH = 16
_CONTAINER_KINDS = frozenset({"list", "tuple", "sequence", "set", "frozenset", "dict", "deque", "str"})

_LOCAL = threading.local()


def _in_progress() -> set[tuple[Node, tuple[str, bool]]]:
    if not hasattr(_LOCAL, "names"):
        _LOCAL.names = set()
    return _LOCAL.names


def _strict() -> bool:
    return getattr(_LOCAL, "strict", False)


@contextmanager
def _mode(strict: bool):
    """Answer with the given strength (see the module's docstring) inside the block."""
    old = _strict()
    _LOCAL.strict = strict
    try:
        yield
    finally:
        _LOCAL.strict = old


def size_evidence(node: Node | None, depth: int = 0, *, strict: bool | None = None) -> str | None:
    """Why ``node``'s value can be large (a short phrase for a message), or None when nothing
    says so (a literal, constants, ``range(10)``, or data the layer cannot trace). ``strict``
    asks for evidence from the program's input only (None: the strength of the question being
    answered, else the default)."""
    if strict is not None and strict != _strict():
        with _mode(strict):
            return size_evidence(node, depth)
    if node is None or depth > _MAX_DEPTH:
        return None
    node = strip_parens(node)
    kind = node.type
    if kind == "identifier":
        return _name_evidence(node, depth)
    if kind == "attribute":
        obj, attr = node.child_by_field_name("object"), node.child_by_field_name("attribute")
        if obj is not None and obj.type == "identifier" and obj.text == b"self" and attr is not None:
            return _attribute_evidence(node, attr.text.decode(), depth)
        if obj is not None and obj.text == b"sys" and attr is not None and attr.text in (b"stdin", b"argv"):
            if attr.text == b"stdin":
                return "it reads standard input"
            return None if _strict() else "it holds the command-line arguments"
        if obj is not None and obj.type == "call":  # subprocess.run(...).stdout
            return size_evidence(obj, depth + 1)
        return None
    if kind == "integer":
        text = node.text.decode().replace("_", "")
        if text.isdigit() and int(text) >= LARGE_COUNT:
            return f"it counts to {text}"
        return None
    if kind in COMPREHENSION_TYPES:
        for clause in node.named_children:
            if clause.type == "for_in_clause":
                found = size_evidence(clause.child_by_field_name("right"), depth + 1)
                if found:
                    return found
        return None
    if kind == "named_expression":
        return size_evidence(node.child_by_field_name("value"), depth + 1)
    if kind in ("subscript", "slice", "await", "list_splat", "parenthesized_expression"):
        inner = node.child_by_field_name("value") or (node.named_children[0] if node.named_children else None)
        return size_evidence(inner, depth + 1)
    if kind in ("binary_operator", "boolean_operator", "conditional_expression", "expression_list"):
        for child in node.named_children:
            found = size_evidence(child, depth + 1)
            if found:
                return found
        return None
    if kind in ("list", "tuple", "set"):  # [*rows, x] carries the rows' size
        for child in node.named_children:
            if child.type in ("list_splat", "parenthesized_list_splat"):
                found = size_evidence(child, depth + 1)
                if found:
                    return found
        return None
    if kind == "call":
        return _call_evidence(node, depth)
    return None


def loop_size_evidence(loop: Node, *, strict: bool | None = None) -> str | None:
    """Why ``loop`` (a ``for`` statement, ``for`` clause, comprehension or ``while``) can run
    many times: its iterable can be large, or it is a ``while`` loop that does not count to a
    constant (strict: whose condition reads data that can be large)."""
    if strict is not None and strict != _strict():
        with _mode(strict):
            return loop_size_evidence(loop)
    if loop.type in ("for_statement", "for_in_clause"):
        return size_evidence(loop.child_by_field_name("right"))
    if loop.type in COMPREHENSION_TYPES:
        return size_evidence(loop)
    if loop.type == "while_statement":
        condition = strip_parens(loop.child_by_field_name("condition")) if loop.child_by_field_name("condition") else None
        bounds = [strip_parens(c) for c in condition.named_children[1:]] if condition is not None and condition.type == "comparison_operator" else []
        if any(b.type == "integer" and b.text not in (b"0", b"1") for b in bounds):
            return next(filter(None, (size_evidence(b) for b in bounds)), None)  # counts to a constant
        if _strict():  # `while queue:`, `while i < n:`: as long as the data it tests
            names = (n for n in walk(condition) if n.type in ("identifier", "attribute", "call")) if condition is not None else ()
            return next(filter(None, (size_evidence(n) for n in names)), None)
        return "a `while` loop runs until its data says stop"
    return None


def _name_evidence(identifier: Node, depth: int) -> str | None:
    name = identifier.text.decode()
    scope = scope_of(identifier)
    while scope.type != "module" and name not in binding_table(scope):
        scope = scope_of(scope)
        while scope.type == "class_definition":
            scope = scope_of(scope)
    if scope.type == "module":
        return module_name_evidence(scope, name, depth, _strict())
    return scope_name_evidence(scope, name, depth)


# The answers below come from outside the definition asking (module-level bindings, a private
# helper's call sites, a class's other methods, same-file functions' returns): each is noted, so
# the editor's incremental checker re-checks the definition when the answer changes.


# Each takes the strength it answers with as its last argument, so a noted read is asked again
# with the same strength.


@noted("size-module-name")
def module_name_evidence(root: Node, name: str, depth: int, strict: bool) -> str | None:
    with _mode(strict):
        return scope_name_evidence(root, name, depth)


@noted("size-call-sites")
def call_site_evidence(root: Node, function: str, parameter: str, depth: int, strict: bool) -> str | None:
    definition = same_file_function(root, function)
    with _mode(strict):
        return _call_site_evidence(definition, parameter, depth) if definition is not None else None


@noted("size-function-return")
def function_returns_evidence(root: Node, name: str, depth: int, strict: bool) -> str | None:
    definition = same_file_function(root, name)
    with _mode(strict):
        return _returns_evidence(definition, name, depth) if definition is not None else None


@noted("size-method-return")
def method_returns_evidence(cls: Node, method: str, depth: int, strict: bool) -> str | None:
    definition = class_methods(cls).get(method)
    with _mode(strict):
        return _returns_evidence(definition, f"self.{method}", depth) if definition is not None else None


@lru_cache(maxsize=4096)
def _evidence_table(scope: Node) -> dict[tuple[str, bool], str | None]:
    """Evidence per name in ``scope``, filled as rules ask (one answer per scope and name)."""
    return {}


def scope_name_evidence(scope: Node, name: str, depth: int = 0) -> str | None:
    return _remembered(scope, name, depth, lambda: _compute_name_evidence(scope, name, depth))


def _remembered(scope: Node, key: str, depth: int, compute: Callable[[], str | None]) -> str | None:
    """``compute()``'s answer for ``key`` in ``scope``, once per scope and key. A question asked
    again while it is being answered (`while q: ... q.append(...)`) gets None: the answer comes
    from the other bindings. Only a top-level or positive answer is kept, since a nested negative
    one may be cut short by that rule."""
    table = _evidence_table(scope)
    key = (key, _strict())
    if key in table:
        return table[key]
    progress = _in_progress()
    marker = (scope, key)
    if marker in progress:
        return None
    progress.add(marker)
    try:
        found = compute()
    finally:
        progress.discard(marker)
    if depth == 0 or found:
        table[key] = found
    return found


def _compute_name_evidence(scope: Node, name: str, depth: int) -> str | None:
    for binding in binding_table(scope).get(name, ()):
        if binding.how == "param":
            if name in ("self", "cls"):
                return None
            if _strict() or _private_function(scope):  # as large as what the file passes it
                function = function_name(scope) if scope.type == "function_definition" else None
                return call_site_evidence(root_of(scope), function, name, depth, _strict()) if function else None
            if fixed_default(scope, name):
                return None  # `tags=("a", "b")`: an option with a default, not the program's data
            return f"`{name}` is a parameter (its size is the caller's)"
        if binding.how == "annotation" and binding.value is not None and not _strict() and _opaque_value(binding.statement):
            annotated = annotation_kind(binding.value)
            if annotated is not None and annotated[0] in _CONTAINER_KINDS:
                return f"`{name}` is annotated `{annotated[1]}`, a container of unknown size"
        if binding.how == "assign" and binding.value is not None:
            found = size_evidence(binding.value, depth + 1)
            if found:
                return found
        elif binding.how == "other" and binding.statement is not None:
            found = _other_binding_evidence(binding.statement, depth)
            if found:
                return found
    for grow in grown_names(scope).get(name, ()):
        found = _growth_evidence(grow, scope, depth)
        if found:
            return found
    return None


def _private_function(scope: Node) -> bool:
    """A module-level ``_helper``: the file's own calls are all its calls."""
    name = function_name(scope) if scope.type == "function_definition" else None
    parent = scope.parent
    if parent is not None and parent.type == "decorated_definition":
        return False
    return bool(name) and name.startswith("_") and not name.startswith("__") and parent is not None and parent.type == "module"


def _call_site_evidence(function: Node, parameter: str, depth: int) -> str | None:
    """A private helper's parameter is as large as what the file passes it: evidence from any
    call site's argument, None when every call passes fixed data (or none is seen)."""
    params = function.child_by_field_name("parameters")
    names = []
    for child in params.named_children if params is not None else ():
        ident = child if child.type == "identifier" else next((c for c in child.named_children if c.type == "identifier"), None)
        names.append(ident.text.decode() if ident is not None else "")
        if child.type in ("list_splat_pattern", "dictionary_splat_pattern"):
            return None if _strict() else f"`{parameter}` is a parameter (its size is the caller's)"
    position = names.index(parameter) if parameter in names else -1
    for call in calls_by_name(root_of(function)).get(function_name(function) or "", ()):
        arguments = call.child_by_field_name("arguments")
        items = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None and arguments.type == "argument_list" else []
        if any(a.type in ("list_splat", "dictionary_splat") for a in items):
            if _strict():
                continue
            return f"`{parameter}` is a parameter (its size is the caller's)"
        positional = [a for a in items if a.type != "keyword_argument"]
        keyword = {a.child_by_field_name("name").text.decode(): a.child_by_field_name("value")
                   for a in items if a.type == "keyword_argument" and a.child_by_field_name("name") is not None}
        argument = keyword.get(parameter) if parameter in keyword else (positional[position] if 0 <= position < len(positional) else None)
        found = size_evidence(argument, depth + 1)
        if found:
            return f"`{function_name(function)}()` is passed data that can be large ({found})"
    return None


def _opaque_value(statement: Node | None) -> bool:
    """An annotated assignment whose value the layer cannot see into (``x: list[str] = load()``):
    the annotation is the only thing said about its size. ``x: list[T] = []`` is not: its size is
    what the code adds to it."""
    value = statement.child_by_field_name("right") if statement is not None else None
    return value is None or strip_parens(value).type not in ("list", "tuple", "set", "dictionary", *COMPREHENSION_TYPES)


def _other_binding_evidence(statement: Node, depth: int) -> str | None:
    kind = statement.type
    if kind in ("for_statement", "for_in_clause"):  # an item of a large collection (a row)
        return size_evidence(statement.child_by_field_name("right"), depth + 1)
    if kind == "assignment":  # n, q = map(int, input().split())
        return size_evidence(statement.child_by_field_name("right"), depth + 1)
    if kind == "named_expression":
        return size_evidence(statement.child_by_field_name("value"), depth + 1)
    if kind == "as_pattern":  # with open(path) as fh
        return size_evidence(statement.named_children[0] if statement.named_children else None, depth + 1)
    if kind == "augmented_assignment":
        return size_evidence(statement.child_by_field_name("right"), depth + 1)
    return None


def _growth_evidence(grow: Node, scope: Node, depth: int) -> str | None:
    """A grow step inside a loop that can run many times, or one that adds large data."""
    if grow.type == "call":
        mc = method_parts(grow)
        args = argument_nodes(mc[2]) if mc is not None else []
        if mc is not None and mc[1] in ("extend", "update", "extendleft"):
            for arg in args:
                found = size_evidence(arg, depth + 1)
                if found:
                    return found
    elif grow.type == "augmented_assignment":
        found = size_evidence(grow.child_by_field_name("right"), depth + 1)
        if found:
            return found
    for parent in ancestors(grow):
        if parent == scope:
            break
        if parent.type in ("for_statement", "while_statement"):
            if parent.type == "while_statement":
                if not _strict():
                    return "it is filled in a `while` loop"
                found = loop_size_evidence(parent)
                if found:
                    return f"it is filled in a loop ({found})"
                continue
            found = size_evidence(parent.child_by_field_name("right"), depth + 1)
            if found:
                return f"it is filled in a loop ({found})"
    return None


def _attribute_evidence(attribute: Node, attr: str, depth: int) -> str | None:
    cls = next((p for p in ancestors(attribute) if p.type == "class_definition"), None)
    return class_attribute_evidence(cls, attr, depth, _strict()) if cls is not None else None


@noted("size-attribute")
def class_attribute_evidence(cls: Node, attr: str, depth: int, strict: bool) -> str | None:
    with _mode(strict):
        return _remembered(cls, f"self.{attr}", depth, lambda: _compute_attribute_evidence(cls, attr, depth))


def _compute_attribute_evidence(cls: Node, attr: str, depth: int) -> str | None:
    """``self.x`` filled in a loop that can run many times (or extended with large data), or
    assigned large data (a parameter of ``__init__``, a comprehension over one, input)."""
    for binding in binding_table(cls).get(attr, ()) if not _strict() else ():
        if binding.how == "annotation" and binding.value is not None:
            annotated = annotation_kind(binding.value)
            if annotated is not None and annotated[0] in _CONTAINER_KINDS:
                return f"`self.{attr}` is annotated `{annotated[1]}`, a container of unknown size"
    for node, method in attribute_steps(cls).get(attr, ()):
        if node.type == "call" and function_name(method) not in _SETUP_METHODS and not _strict():
            return f"`self.{attr}` is added to by `{function_name(method)}()`, once per call"
        if node.type == "assignment":
            found = size_evidence(node.child_by_field_name("right"), depth + 1)
            if found:
                return f"`self.{attr}` is assigned from data that can be large ({found})"
            continue
        found = _growth_evidence(node, method, depth)
        if found:
            return f"`self.{attr}` {found.replace('it is ', 'is ', 1)}"
    return None


def _call_evidence(call: Node, depth: int) -> str | None:
    function = call.child_by_field_name("function")
    name = call_name(call)
    arguments = call.child_by_field_name("arguments")
    args = argument_nodes(arguments)
    if function is not None and function.type == "identifier":
        if name in _INPUT_CALLS:
            return f"it comes from `{name}()`"
        if name in _ARGUMENT_METHODS or name == "sum":
            return _arguments_evidence(args, depth)
        return function_returns_evidence(root_of(call), name, depth, _strict()) if name else None
    mc = method_parts(call)
    if mc is None:
        return None
    receiver, method = strip_parens(mc[0]), mc[1]
    if receiver.type == "identifier":
        key = (receiver.text.decode(), method)
        if key in _INPUT_MODULE_CALLS:
            return f"it comes from `{key[0]}.{method}()`"
        if receiver.text == b"self" and depth < _MAX_DEPTH:
            cls = next((p for p in ancestors(call) if p.type == "class_definition"), None)
            return method_returns_evidence(cls, method, depth, _strict()) if cls is not None else None
    if method in _INPUT_METHODS:
        return f"it comes from `.{method}()`"
    if receiver.type in CONSTANTS or splits_name(call):
        return None  # "a b c".split(), path.split(os.sep): fixed, or the few parts of one name
    found = size_evidence(receiver, depth + 1)
    if not found and method in _ARGUMENT_METHODS:
        found = _arguments_evidence(args, depth)
    return found


def _arguments_evidence(args: list[Node], depth: int) -> str | None:
    for arg in args:
        found = size_evidence(arg, depth + 1)
        if found:
            return found
    return None


def _returns_evidence(function: Node, name: str, depth: int) -> str | None:
    if function_returns(function) == (None,):  # a generator: one item per run of the loop around a yield
        body = function.child_by_field_name("body")
        for node in walk_same_scope(body) if body is not None else ():
            if node.type == "yield":
                found = _growth_evidence(node, function, depth)
                if found:
                    return f"`{name}()` yields in a loop ({found.replace('it is filled in a loop ', '')})"
        return None
    for value in function_returns(function):
        if value is None:
            continue
        found = size_evidence(value, depth + 1)
        if found:
            return f"`{name}()` returns data that can be large ({found})"
    return None

