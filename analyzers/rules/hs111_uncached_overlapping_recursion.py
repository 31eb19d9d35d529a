"""HS111: a function calling itself two or more times on smaller integers, with no cache."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import add_import, insert_statement_before
from hasten.analyzers.rule import Context, FixAvailability, Rule, make_fix
from hasten.analyzers.syntax.calls import MUTATING_METHODS, PURE_BUILTINS, call_name, method_call
from hasten.analyzers.syntax.cold import in_cold_code
from hasten.analyzers.syntax.control import recursive_calls
from hasten.analyzers.syntax.scope import parameter_names, read_names
from hasten.analyzers.syntax.tree import ancestors, contains, function_name, identifier_text, is_async, walk, walk_same_scope

MEMO_HINTS = ("memo", "cache", "seen", "table", "dp", "visited")
# Calls that act on the world: a function making them must run on every call, cache or not.
SIDE_EFFECT_CALLS = frozenset({"print", "input", "open", "write", "writelines", "sleep", "exit", "setrecursionlimit"})
HASHABLE_ANNOTATIONS = frozenset({"int", "str", "float", "bool", "bytes", "complex", "frozenset", "tuple", "None"})
ARITHMETIC = frozenset({"+", "-", "*", "//", "%", ">>", "<<", "**"})


def mutated_parameters(body: Node, params: set[str]) -> set[str]:
    """Parameters whose object the body changes in place (``visited.add(p)``, ``grid[i][j] = 0``,
    ``del path[-1]``); passing one on to a call does not count."""
    changed: set[str] = set()
    for node in walk_same_scope(body):
        targets: list[Node] = []
        if node.type == "call":
            parts = method_call(node)
            if parts is not None and parts[1] in MUTATING_METHODS | {"add", "discard", "update", "setdefault", "popitem"}:
                targets.append(parts[0])
        elif node.type in ("assignment", "augmented_assignment"):
            left = node.child_by_field_name("left")
            if left is not None:
                targets.extend(n for n in walk(left) if n.type in ("subscript", "attribute"))
        elif node.type == "delete_statement":
            targets.extend(n for n in walk(node) if n.type == "subscript")
        for target in targets:
            while target.type in ("subscript", "attribute"):
                target = target.child_by_field_name("value") or target.child_by_field_name("object")
                if target is None:
                    break
            name = identifier_text(target)
            if name in params:
                changed.add(name)
    return changed


def side_effect_call(body: Node) -> str | None:
    """The first call in the body that acts on the world (``print``, a file's ``write``)."""
    for node in walk_same_scope(body):
        if node.type != "call":
            continue
        name = call_name(node) or ""
        if name.rsplit(".", 1)[-1] in SIDE_EFFECT_CALLS:
            return name
    return None


def unknown_call(body: Node, name: str) -> str | None:
    """The first call to something other than the function itself or a pure builtin: it may have
    side effects a cache would skip."""
    for node in walk_same_scope(body):
        if node.type != "call":
            continue
        called = call_name(node)
        if called == name or called in PURE_BUILTINS:
            continue
        return called or "a computed function"
    return None


def unhashable_parameter(function: Node, params: set[str]) -> str | None:
    """The first parameter with no evidence of being hashable: an annotation naming a hashable
    type, or a use as an arithmetic operand (``n - 1``, ``rows * 2``) or as ``range()``'s bound."""
    parameters = function.child_by_field_name("parameters")
    annotated: dict[str, bool] = {}
    for child in parameters.named_children if parameters is not None else ():
        if child.type in ("typed_parameter", "typed_default_parameter"):
            name_node = child.child_by_field_name("name") or next((c for c in child.named_children if c.type == "identifier"), None)
            annotation = child.child_by_field_name("type")
            if name_node is not None and annotation is not None:
                annotated[name_node.text.decode()] = annotation.text.decode().split("[")[0] in HASHABLE_ANNOTATIONS
    numeric: set[str] = set()
    body = function.child_by_field_name("body")
    for node in walk_same_scope(body):
        if node.type == "binary_operator":
            op = node.child_by_field_name("operator")
            if op is not None and op.type in ARITHMETIC:
                for side in (node.child_by_field_name("left"), node.child_by_field_name("right")):
                    name = identifier_text(side)
                    if name in params:
                        numeric.add(name)
        elif node.type == "call" and call_name(node) == "range":
            args = node.child_by_field_name("arguments")
            for arg in args.named_children if args is not None else ():
                if identifier_text(arg) in params:
                    numeric.add(identifier_text(arg))
    for name in sorted(params):
        if annotated.get(name) or (name not in annotated and name in numeric):
            continue
        return name
    return None


def exclusive(a: Node, b: Node) -> bool:
    """``a`` and ``b`` sit in different branches of one ``if``/``elif``/``else`` or conditional
    expression, or ``a`` in an ``if`` branch that returns before the statement holding ``b``:
    one call runs, never both."""
    for parent in ancestors(a):
        if contains(parent, b):
            if parent.type == "if_statement":
                branches = [parent.child_by_field_name("consequence")] + [
                    c for c in parent.named_children if c.type in ("elif_clause", "else_clause")
                ]
                holder_a = next((x for x in branches if x is not None and contains(x, a)), None)
                holder_b = next((x for x in branches if x is not None and contains(x, b)), None)
                return holder_a is not None and holder_b is not None and holder_a != holder_b
            if parent.type == "conditional_expression":
                parts = parent.named_children
                if len(parts) == 3:
                    sides = (parts[0], parts[2])
                    return any(contains(x, a) for x in sides) and any(contains(x, b) for x in sides) and not (
                        contains(sides[0], a) == contains(sides[0], b)
                    )
            if parent.type == "block":
                return returns_before(parent, a, b) or returns_before(parent, b, a)
            return False
    return False


def returns_before(block: Node, first: Node, second: Node) -> bool:
    """``first`` is in an ``if`` statement of ``block`` whose branch holding it ends in ``return``
    and comes before the statement holding ``second``."""
    for statement in block.named_children:
        if contains(statement, second):
            return False
        if statement.type == "if_statement" and contains(statement, first):
            for branch in [statement.child_by_field_name("consequence")] + [
                c.child_by_field_name("consequence") or c.child_by_field_name("body") for c in statement.named_children if c.type == "elif_clause"
            ]:
                if branch is not None and contains(branch, first):
                    last = [c for c in branch.named_children if c.type != "comment"]
                    return bool(last) and last[-1].type in ("return_statement", "raise_statement")
    return False


def smaller_argument(arg: Node, params: set[str]) -> str | None:
    """``p - k`` / ``p + k`` / ``p // k`` with ``p`` a parameter and ``k`` an integer literal:
    the parameter it steps, else None."""
    if arg.type != "binary_operator":
        return None
    op = arg.child_by_field_name("operator")
    left = arg.child_by_field_name("left")
    right = arg.child_by_field_name("right")
    if op is None or op.type not in ("-", "+", "//", ">>") or right is None or right.type != "integer":
        return None
    name = identifier_text(left)
    return name if name in params else None


def step_signature(call: Node, params: set[str]) -> tuple[str, ...] | None:
    """The call's arguments as text when each is a parameter or a step of one (and at least one
    is a step); None for anything else."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None
    texts = []
    stepped = False
    for arg in args.named_children:
        if arg.type == "comment":
            continue
        if identifier_text(arg) in params:
            texts.append(arg.text.decode())
        elif smaller_argument(arg, params):
            texts.append(arg.text.decode().replace(" ", ""))
            stepped = True
        else:
            return None
    return tuple(texts) if stepped else None


class UncachedOverlappingRecursion(Rule):
    code = "HS111"
    name = "uncached-overlapping-recursion"
    family = "complexity"
    summary = "Recursive function recomputes overlapping subproblems: cache it"
    what = """
Flags a plain function (not a method, generator or coroutine, and without decorators) that calls
itself with two or more different arguments that are its own parameters stepped by constants —
`fib(n - 1) + fib(n - 2)`, `paths(i + 1, j) + paths(i, j + 1)` — and keeps no memo of its own
(no name mentioning memo, cache, seen, visited, table or dp). It stays silent when the calls sit
in exclusive branches (one runs, never both), when the function changes an argument in place
(a flood fill's visited set, a backtracking path), when it prints or writes, and in code that
rarely runs.
"""
    why = """
Each call branches into calls that overlap with its siblings' calls, so the same arguments are
computed again and again: `fib(n)` makes about 1.6ⁿ calls. A cache turns that into one call per
distinct argument. Measured with `benchmarks/rules/bench_hs111.py` on CPython 3.11: naive
`fib(20)` takes about 0.79 ms; with `functools.cache` (a fresh cache per run) about 6 µs
(≈140×); for `fib(15)` the gain is ≈15×, and it doubles with every two steps of *n*.
"""
    example = """
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
"""
    use_instead = """
import functools

@functools.cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
"""
    fix_safety = """
The fix is unsafe: it assumes the function is pure (same arguments, same result, no side
effects that must happen on every call) and that every argument is hashable. It is offered only
when the rule can check both: every parameter is annotated with a hashable type or used as a
number (`n - 1`, `range(n)`), and the body calls nothing but itself and pure builtins. Otherwise
the finding gives the advice and says which check failed ("argument `grid` may be unhashable"). The cache also
keeps every argument and result alive for the life of the program. On Python 3.8 it uses
`functools.lru_cache(maxsize=None)`.
"""
    fix_availability = FixAvailability.SOMETIMES
    aliases = ()
    node_types = ("function_definition",)

    def visit(self, node: Node, ctx: Context) -> None:
        if is_async(node) or node.parent is None or node.parent.type == "decorated_definition":
            return
        if node.parent.type == "block" and node.parent.parent is not None and node.parent.parent.type == "class_definition":
            return
        body = node.child_by_field_name("body")
        if body is None:
            return
        # Two calls of itself need its name twice in its body: most functions stop here, before
        # the walks below (the cheapest test first; the answer is the same).
        name = function_name(node)
        if name is None or body.text.count(name.encode()) < 2:
            return
        if any(n.type in ("yield", "global_statement", "nonlocal_statement") for n in walk_same_scope(body)):
            return
        params = parameter_names(node)
        parameters = node.child_by_field_name("parameters")
        if not params or any(c.type in ("list_splat_pattern", "dictionary_splat_pattern") for c in parameters.named_children):
            return
        words = {w.lower() for w in (read_names(body) or set()) | params | {n.text.decode() for n in walk(body) if n.type == "identifier"}}
        if any(hint in word for word in words for hint in MEMO_HINTS):
            return
        stepped = [(call, step_signature(call, params)) for call in recursive_calls(node)]
        stepped = [(call, s) for call, s in stepped if s is not None]
        if not any(
            s1 != s2 and not exclusive(c1, c2) for i, (c1, s1) in enumerate(stepped) for c2, s2 in stepped[i + 1 :]
        ):
            return  # overlap needs different arguments in one run (not exclusive branches)
        if mutated_parameters(body, params) or side_effect_call(body) or in_cold_code(node):
            return  # state threaded through the calls (flood fill, backtracking) or output: not a pure function
        steps = [s for _, s in stepped]
        calls = ", ".join(f"{name}({', '.join(s)})" for s in dict.fromkeys(steps))
        message = f"`{name}` calls itself on overlapping arguments ({calls}) without a cache; decorate it with `functools.cache`"
        reason = self._no_fix_reason(node, params, body, name)
        if reason is not None:
            ctx.report(node.child_by_field_name("name"), f"{message} (no automatic fix: {reason})", None)
            return
        ctx.report(node.child_by_field_name("name"), message, self._fix(node, ctx))

    def _no_fix_reason(self, node: Node, params: set[str], body: Node, name: str) -> str | None:
        """Why a cache cannot be shown safe here, or None when the checks pass."""
        unhashable = unhashable_parameter(node, params)
        if unhashable is not None:
            return f"argument `{unhashable}` may be unhashable"
        called = unknown_call(body, name)
        if called is not None:
            return f"it calls `{called}`, which may have side effects"
        return None

    def _fix(self, node: Node, ctx: Context):
        root = node
        while root.parent is not None:
            root = root.parent
        decorator, import_line = self._decorator(root, ctx)
        insert = insert_statement_before(ctx.source, node, decorator)
        if insert is None:
            return None
        edits = [insert]
        if import_line:
            edits.append(add_import(ctx.source, import_line))
        title = f"Decorate with `{decorator}`"
        if ctx.target_version < (3, 9):
            title += f" (`functools.cache` needs Python 3.9: {ctx.target_version_note()})"
        return make_fix(title, edits, Applicability.UNSAFE)

    def _decorator(self, root: Node, ctx: Context) -> tuple[str, str | None]:
        modern = ctx.target_version >= (3, 9)
        for statement in root.named_children:
            if statement.type == "import_statement" and any(
                c.type == "dotted_name" and c.text == b"functools" for c in statement.named_children
            ):
                return ("@functools.cache" if modern else "@functools.lru_cache(maxsize=None)"), None
            if statement.type == "import_from_statement" and modern:
                module = statement.child_by_field_name("module_name")
                if module is not None and module.text == b"functools" and any(
                    c.type == "dotted_name" and c.text == b"cache" and c != module for c in statement.named_children
                ):
                    return "@cache", None
        return ("@functools.cache" if modern else "@functools.lru_cache(maxsize=None)"), "import functools"
