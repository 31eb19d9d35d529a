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

Evidence for a name is computed once per scope and name (cached per scope node; the tree is
immutable), from the same binding table the type facts use.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Callable

from tree_sitter import Node

from hasten.analyzers.syntax.annotations import annotation_kind
from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.facts import binding_table, class_methods, function_returns, same_file_function
from hasten.analyzers.syntax.scope import noted
from hasten.analyzers.syntax.tree import (
    COMPREHENSION_TYPES,
    SCOPE_TYPES,
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
_GROWING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "extendleft"})
_CONSTANTS = frozenset({"string", "concatenated_string", "integer", "float", "true", "false", "none"})
_MAX_DEPTH = 10
_CONTAINER_KINDS = frozenset({"list", "tuple", "sequence", "set", "frozenset", "dict", "deque", "str"})

_LOCAL = threading.local()


def _in_progress() -> set[tuple[Node, str]]:
    if not hasattr(_LOCAL, "names"):
        _LOCAL.names = set()
    return _LOCAL.names


def size_evidence(node: Node | None, depth: int = 0) -> str | None:
    """Why ``node``'s value can be large (a short phrase for a message), or None when nothing
    says so (a literal, constants, ``range(10)``, or data the layer cannot trace)."""
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
            return "it reads standard input" if attr.text == b"stdin" else "it holds the command-line arguments"
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
    if kind in ("binary_operator", "boolean_operator", "conditional_expression"):
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


def loop_size_evidence(loop: Node) -> str | None:
    """Why ``loop`` (a ``for`` statement, ``for`` clause, comprehension or ``while``) can run
    many times: its iterable can be large, or it is a ``while`` loop that does not count to a
    constant."""
    if loop.type in ("for_statement", "for_in_clause"):
        return size_evidence(loop.child_by_field_name("right"))
    if loop.type in COMPREHENSION_TYPES:
        return size_evidence(loop)
    if loop.type == "while_statement":
        condition = strip_parens(loop.child_by_field_name("condition")) if loop.child_by_field_name("condition") else None
        bounds = [strip_parens(c) for c in condition.named_children[1:]] if condition is not None and condition.type == "comparison_operator" else []
        if any(b.type == "integer" and b.text not in (b"0", b"1") for b in bounds):
            return next(filter(None, (size_evidence(b) for b in bounds)), None)  # counts to a constant
        return "a `while` loop runs until its data says stop"
    return None


def _scope_of(node: Node) -> Node:
    for parent in ancestors(node):
        if parent.type in SCOPE_TYPES:
            return parent
    return node


def _name_evidence(identifier: Node, depth: int) -> str | None:
    name = identifier.text.decode()
    scope = _scope_of(identifier)
    while scope.type != "module" and name not in binding_table(scope):
        scope = _scope_of(scope)
        while scope.type == "class_definition":
            scope = _scope_of(scope)
    if scope.type == "module":
        return module_name_evidence(scope, name, depth)
    return scope_name_evidence(scope, name, depth)


# The answers below come from outside the definition asking (module-level bindings, a private
# helper's call sites, a class's other methods, same-file functions' returns): each is noted, so
# the editor's incremental checker re-checks the definition when the answer changes.


@noted("size-module-name")
def module_name_evidence(root: Node, name: str, depth: int) -> str | None:
    return scope_name_evidence(root, name, depth)


@noted("size-call-sites")
def call_site_evidence(root: Node, function: str, parameter: str, depth: int) -> str | None:
    definition = same_file_function(root, function)
    return _call_site_evidence(definition, parameter, depth) if definition is not None else None


@noted("size-function-return")
def function_returns_evidence(root: Node, name: str, depth: int) -> str | None:
    definition = same_file_function(root, name)
    return _returns_evidence(definition, name, depth) if definition is not None else None


@noted("size-method-return")
def method_returns_evidence(cls: Node, method: str, depth: int) -> str | None:
    definition = class_methods(cls).get(method)
    return _returns_evidence(definition, f"self.{method}", depth) if definition is not None else None


@lru_cache(maxsize=4096)
def _evidence_table(scope: Node) -> dict[str, str | None]:
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
            if _private_function(scope):
                return call_site_evidence(root_of(scope), function_name(scope), name, depth)
            if _fixed_default(scope, name):
                return None  # `tags=("a", "b")`: an option with a default, not the program's data
            return f"`{name}` is a parameter (its size is the caller's)"
        if binding.how == "annotation" and binding.value is not None and _opaque_value(binding.statement):
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
    for grow in _grown_names(scope).get(name, ()):
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
            return f"`{parameter}` is a parameter (its size is the caller's)"
    position = names.index(parameter) if parameter in names else -1
    for call in _calls_of(root_of(function), function_name(function) or ""):
        arguments = call.child_by_field_name("arguments")
        items = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None and arguments.type == "argument_list" else []
        if any(a.type in ("list_splat", "dictionary_splat") for a in items):
            return f"`{parameter}` is a parameter (its size is the caller's)"
        positional = [a for a in items if a.type != "keyword_argument"]
        keyword = {a.child_by_field_name("name").text.decode(): a.child_by_field_name("value")
                   for a in items if a.type == "keyword_argument" and a.child_by_field_name("name") is not None}
        argument = keyword.get(parameter) if parameter in keyword else (positional[position] if 0 <= position < len(positional) else None)
        found = size_evidence(argument, depth + 1)
        if found:
            return f"`{function_name(function)}()` is passed data that can be large ({found})"
    return None


@lru_cache(maxsize=1024)
def _calls_of(root: Node, name: str) -> tuple[Node, ...]:
    """The calls of the plain name ``name`` in the file (``helper(...)``), in the file's order,
    found from the name's occurrences in the text, each checked in the tree: a walk of a large
    file costs tens of milliseconds, paid again in each revision the editor checks."""
    text, needle = root.text, name.encode()
    calls = []
    at = text.find(needle)
    while at != -1:
        before = text[at - 1 : at]
        if not (before.isalnum() or before in (b"_", b".")):
            node = root.descendant_for_byte_range(at, at + len(needle))
            parent = node.parent if node is not None and node.type == "identifier" and node.text == needle else None
            if parent is not None and parent.type == "call" and parent.child_by_field_name("function") == node:
                calls.append(parent)
        at = text.find(needle, at + len(needle))
    return tuple(calls)


def _fixed_default(function: Node, parameter: str) -> bool:
    """The parameter defaults to fixed data: a display written out (``()``, ``("a", "b")``) or a
    name bound to one (``GETTEXT_FUNCTIONS``)."""
    params = function.child_by_field_name("parameters")
    for child in params.named_children if params is not None else ():
        if child.type not in ("default_parameter", "typed_default_parameter"):
            continue
        name, value = child.child_by_field_name("name"), child.child_by_field_name("value")
        if name is not None and name.text.decode() == parameter and value is not None:
            value = strip_parens(value)
            return _fixed_value(value, frozenset()) or (value.type == "identifier" and known_small(value))
    return False


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


@lru_cache(maxsize=1024)
def _grown_names(scope: Node) -> dict[str, list[Node]]:
    """``name.append(...)``-like calls and ``name += ...`` in ``scope``'s own body, by name."""
    grown: dict[str, list[Node]] = {}
    body = scope if scope.type == "module" else scope.child_by_field_name("body")
    for node in walk_same_scope(body) if body is not None else ():
        if node.type == "call":
            mc = _method_parts(node)
            if mc is not None and mc[1] in _GROWING_METHODS and strip_parens(mc[0]).type == "identifier":
                grown.setdefault(strip_parens(mc[0]).text.decode(), []).append(node)
        elif node.type == "augmented_assignment":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                grown.setdefault(left.text.decode(), []).append(node)
        elif node.type == "assignment":  # table[key] = value fills a dict
            left = node.child_by_field_name("left")
            base = left.child_by_field_name("value") if left is not None and left.type == "subscript" else None
            if base is not None and base.type == "identifier":
                grown.setdefault(base.text.decode(), []).append(node)
    return grown


def _growth_evidence(grow: Node, scope: Node, depth: int) -> str | None:
    """A grow step inside a loop that can run many times, or one that adds large data."""
    if grow.type == "call":
        mc = _method_parts(grow)
        args = _arguments(mc[2]) if mc is not None else []
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
                return "it is filled in a `while` loop"
            found = size_evidence(parent.child_by_field_name("right"), depth + 1)
            if found:
                return f"it is filled in a loop ({found})"
    return None


def _attribute_evidence(attribute: Node, attr: str, depth: int) -> str | None:
    cls = next((p for p in ancestors(attribute) if p.type == "class_definition"), None)
    return class_attribute_evidence(cls, attr, depth) if cls is not None else None


@noted("size-attribute")
def class_attribute_evidence(cls: Node, attr: str, depth: int) -> str | None:
    return _remembered(cls, f"self.{attr}", depth, lambda: _compute_attribute_evidence(cls, attr, depth))


def _compute_attribute_evidence(cls: Node, attr: str, depth: int) -> str | None:
    """``self.x`` filled in a loop that can run many times (or extended with large data), or
    assigned large data (a parameter of ``__init__``, a comprehension over one, input)."""
    for binding in binding_table(cls).get(attr, ()):
        if binding.how == "annotation" and binding.value is not None:
            annotated = annotation_kind(binding.value)
            if annotated is not None and annotated[0] in _CONTAINER_KINDS:
                return f"`self.{attr}` is annotated `{annotated[1]}`, a container of unknown size"
    for node, method in _attribute_steps(cls).get(attr, ()):
        if node.type == "call" and function_name(method) not in _SETUP_METHODS:
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


@lru_cache(maxsize=512)
def _attribute_steps(cls: Node) -> dict[str, list[tuple[Node, Node]]]:
    """Assignments to and grow steps on ``self.x`` in the class's methods: attr -> [(node, method)]."""
    steps: dict[str, list[tuple[Node, Node]]] = {}
    body = cls.child_by_field_name("body")
    for node in walk(body) if body is not None else ():
        target = None
        if node.type == "assignment":
            target = node.child_by_field_name("left")
            if target is not None and target.type == "subscript":  # self.table[key] = value
                target = target.child_by_field_name("value")
                node = node.child_by_field_name("left")
        elif node.type == "augmented_assignment":
            target = node.child_by_field_name("left")
        elif node.type == "call":
            mc = _method_parts(node)
            if mc is not None and mc[1] in _GROWING_METHODS:
                target = strip_parens(mc[0])
        if target is None or target.type != "attribute":
            continue
        obj, attr = target.child_by_field_name("object"), target.child_by_field_name("attribute")
        if obj is None or obj.text != b"self" or attr is None:
            continue
        method = next((p for p in ancestors(node) if p.type == "function_definition"), None)
        if method is not None and function_name(method) is not None:
            steps.setdefault(attr.text.decode(), []).append((node, method))
    return steps


def _call_evidence(call: Node, depth: int) -> str | None:
    function = call.child_by_field_name("function")
    name = call_name(call)
    arguments = call.child_by_field_name("arguments")
    args = _arguments(arguments)
    if function is not None and function.type == "identifier":
        if name in _INPUT_CALLS:
            return f"it comes from `{name}()`"
        if name in _ARGUMENT_METHODS or name == "sum":
            return _arguments_evidence(args, depth)
        return function_returns_evidence(root_of(call), name, depth) if name else None
    mc = _method_parts(call)
    if mc is None:
        return None
    receiver, method = strip_parens(mc[0]), mc[1]
    if receiver.type == "identifier":
        key = (receiver.text.decode(), method)
        if key in _INPUT_MODULE_CALLS:
            return f"it comes from `{key[0]}.{method}()`"
        if receiver.text == b"self" and depth < _MAX_DEPTH:
            cls = next((p for p in ancestors(call) if p.type == "class_definition"), None)
            return method_returns_evidence(cls, method, depth) if cls is not None else None
    if method in _INPUT_METHODS:
        return f"it comes from `.{method}()`"
    if receiver.type in _CONSTANTS or _splits_name(call):
        return None  # "a b c".split(), path.split(os.sep): fixed, or the few parts of one name
    found = size_evidence(receiver, depth + 1)
    if not found and method in _ARGUMENT_METHODS:
        found = _arguments_evidence(args, depth)
    return found


# Separators that cut one path, dotted name or version into its few parts.
_NAME_SEPARATORS = frozenset({'"/"', "'/'", '"."', "'.'", '"\\\\"', "'\\\\'", '"::"', "'::'", "os.sep", "os.path.sep"})


def _splits_name(call: Node) -> bool:
    """``path.split(os.sep)``, ``name.split(".")``: the components of one path or dotted name."""
    parts = _method_parts(call)
    if parts is None or parts[1] not in ("split", "rsplit"):
        return False
    args = _arguments(parts[2])
    return bool(args) and strip_parens(args[0]).text.decode() in _NAME_SEPARATORS


def _method_parts(call: Node) -> tuple[Node, str, Node | None] | None:
    """(receiver, method, arguments) of ``receiver.method(...)``, a generator argument included."""
    function = call.child_by_field_name("function")
    if call.type != "call" or function is None or function.type != "attribute":
        return None
    obj, attr = function.child_by_field_name("object"), function.child_by_field_name("attribute")
    if obj is None or attr is None:
        return None
    return obj, attr.text.decode(), call.child_by_field_name("arguments")


def _arguments(arguments: Node | None) -> list[Node]:
    """The argument expressions of a call (``f(x for x in y)`` has the generator as its only one)."""
    if arguments is None:
        return []
    if arguments.type == "generator_expression":
        return [arguments]
    return [a.child_by_field_name("value") if a.type == "keyword_argument" else a
            for a in arguments.named_children if a.type != "comment"]


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


def known_small(node: Node, _seen: frozenset = frozenset()) -> bool:
    """The code shows ``node`` (a name) holds fixed data: every binding in its scope is a display
    of items written out, a split of a literal string or a comprehension over such data, and
    nothing adds to it inside a loop. The converse question to :func:`size_evidence`, for rules
    that report unless the data is known to be small."""
    node = strip_parens(node)
    if node.type != "identifier":
        return False
    name = node.text.decode()
    scope = _scope_of(node)
    while scope.type != "module" and name not in binding_table(scope):
        scope = _scope_of(scope)
    key = (scope, name)
    if key in _seen:
        return True  # `cols = [c for c in cols if ...]`: as small as the other bindings say
    bindings = [b for b in binding_table(scope).get(name, ()) if b.how != "annotation"]
    seen = _seen | {key}
    if not bindings or any(b.how != "assign" or b.value is None or not _fixed_value(b.value, seen) for b in bindings):
        return False
    return not any(_inside_loop(grow, scope) for grow in _grown_names(scope).get(name, ()))


def _fixed_value(value: Node, seen: frozenset) -> bool:
    value = strip_parens(value)
    if value.type == "call":  # "a b c".split(), path.split(os.sep), list(<fixed>)
        parts = _method_parts(value)
        if parts is not None:
            return strip_parens(parts[0]).type in _CONSTANTS or _splits_name(value)
        args = _arguments(value.child_by_field_name("arguments"))
        return call_name(value) in ("list", "tuple", "sorted") and len(args) == 1 and (
            _fixed_value(args[0], seen) or known_small(args[0], seen))
    if value.type in COMPREHENSION_TYPES:
        iterables = [c.child_by_field_name("right") for c in value.named_children if c.type == "for_in_clause"]
        return bool(iterables) and all(
            i is not None and (_fixed_value(i, seen) or known_small(i, seen)) for i in iterables)
    # a display of items written out (no `*rest`): as many items as the code names
    return value.type in ("list", "tuple", "set") and not any(
        c.type in ("list_splat", "parenthesized_list_splat") for c in value.named_children)


def _inside_loop(node: Node, scope: Node) -> bool:
    for parent in ancestors(node):
        if parent == scope:
            return False
        if parent.type in ("for_statement", "while_statement"):
            return True
    return False
