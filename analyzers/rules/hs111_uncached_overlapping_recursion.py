"""HS111: a function calling itself two or more times on smaller integers, with no cache."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import add_import, insert_statement_before
from hasten.analyzers.rule import Context, FixAvailability, Rule, make_fix
from hasten.analyzers.syntax.control import recursive_calls
from hasten.analyzers.syntax.scope import parameter_names, read_names
from hasten.analyzers.syntax.tree import function_name, identifier_text, is_async, walk, walk_same_scope

MEMO_HINTS = ("memo", "cache", "seen", "table", "dp")


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
(no name mentioning memo, cache, seen, table or dp).
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
effects that must happen on every call) and that every argument is hashable. The cache also
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
        if body is None or any(n.type in ("yield", "global_statement", "nonlocal_statement") for n in walk_same_scope(body)):
            return
        params = parameter_names(node)
        parameters = node.child_by_field_name("parameters")
        if not params or any(c.type in ("list_splat_pattern", "dictionary_splat_pattern") for c in parameters.named_children):
            return
        words = {w.lower() for w in (read_names(body) or set()) | params | {n.text.decode() for n in walk(body) if n.type == "identifier"}}
        if any(hint in word for word in words for hint in MEMO_HINTS):
            return
        signatures = [step_signature(call, params) for call in recursive_calls(node)]
        steps = [s for s in signatures if s is not None]
        if len(set(steps)) < 2:
            return  # overlap needs different arguments (the same call twice is often in exclusive branches)
        name = function_name(node)
        calls = ", ".join(f"{name}({', '.join(s)})" for s in dict.fromkeys(steps))
        message = f"`{name}` calls itself on overlapping arguments ({calls}) without a cache; decorate it with `functools.cache`"
        ctx.report(node.child_by_field_name("name"), message, self._fix(node, ctx))

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
