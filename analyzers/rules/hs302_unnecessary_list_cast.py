"""HS302: ``for x in list(seq)`` copies a list, tuple or set that the loop does not change."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import node_has_comment, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, make_fix
from hasten.analyzers.syntax.calls import PURE_BUILTINS, call_arguments, call_name
from hasten.analyzers.syntax.imports import is_builtin
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.scope import bound_names, name_uses, proven_bindings, used_in_nested_scope
from hasten.analyzers.syntax.tree import enclosing_scope, strip_parens
from hasten.analyzers.syntax.values import is_list_value, is_set_value, is_tuple_value


def _is_sequence_value(node: Node) -> bool:
    node = strip_parens(node)
    return is_list_value(node) or is_tuple_value(node) or is_set_value(node)


def _kind(values: list[Node]) -> str:
    kinds = set()
    for v in values:
        v = strip_parens(v)
        kinds.add("set" if is_set_value(v) else "tuple" if is_tuple_value(v) else "list")
    return kinds.pop() if len(kinds) == 1 else "list, tuple or set"


class UnnecessaryListCast(Rule):
    code = "HS302"
    name = "unnecessary-list-cast"
    family = "idioms"
    summary = "`list(...)` copies a sequence the loop could iterate directly"
    what = """
Flags `for x in list(seq)` (and the same in a comprehension) when `seq` is a list, tuple or set
that the function builds itself and that nothing in the loop changes.
"""
    why = """
`list(seq)` copies every element into a new list before the first iteration: O(n) extra time and
memory for nothing when the loop leaves `seq` alone. Measured with
`benchmarks/rules/bench_hs302.py` on CPython 3.11: iterating a 1,000-element list directly is ≈1.1×
faster than iterating `list(...)` of it (the copy is about a tenth of a cheap loop; less with
a heavier body), and the copy's memory is saved.
"""
    example = """
def shout(words):
    names = [w.strip() for w in words]
    for name in list(names):
        print(name.upper())
"""
    use_instead = """
def shout(words):
    names = [w.strip() for w in words]
    for name in names:
        print(name.upper())
"""
    fix_safety = """
The fix is safe: it is offered only when `seq` is a local list, tuple or set (every binding in
the function builds one), the loop neither rebinds nor mutates it, and it does not escape to
code that could (a call argument, another name, a closure). Iterating the object itself then
yields the same elements in the same order. No fix is offered when the call contains a comment.
"""
    fix_availability = FixAvailability.SOMETIMES
    aliases = ("PERF101",)
    node_types = ("for_statement", "for_in_clause")

    def visit(self, node: Node, ctx: Context) -> None:
        right = node.child_by_field_name("right")
        if right is None:
            return
        call = strip_parens(right)
        if call.type != "call" or call_name(call) != "list" or not is_builtin(call, "list"):
            return
        args, keywords = call_arguments(call)
        if args is None or keywords or len(args) != 1 or args[0].type != "identifier":
            return
        name = args[0].text.decode()
        scope = enclosing_scope(node)
        if scope.type != "function_definition":
            return  # module and class names can be changed by any code the loop calls
        values = proven_bindings(scope, name, _is_sequence_value)
        if values is None:
            return
        # The loop (for a comprehension: the whole comprehension) must leave `seq` alone.
        region = node if node.type == "for_statement" else node.parent
        if name in mutated_names(region) or name in bound_names(region):
            return
        if used_in_nested_scope(scope, name) or _escapes(scope, name):
            return
        kind = _kind(values)
        message = f"`list({name})` copies a {kind} the loop does not change; iterate `{name}` directly"
        fix = None
        if not node_has_comment(ctx.source, call):
            fix = make_fix(f"Iterate `{name}` directly", [replace_node(right, name)], Applicability.SAFE)
        ctx.report(right, message, fix)


def _escapes(scope: Node, name: str) -> bool:
    """True when ``name``'s object may become reachable through something else: assigned to
    another name or into a container, passed to a call other than a pure builtin, returned or
    yielded. Reading it (iteration, ``in``, indexing, pure builtins) is fine."""
    for use in name_uses(scope, name):
        parent = use.parent
        if parent is None:
            return True
        while parent.type == "parenthesized_expression":
            parent = parent.parent
        kind = parent.type
        if kind == "argument_list":
            call = parent.parent
            if call is None or call_name(call) not in PURE_BUILTINS or call_name(call) in ("iter", "reversed", "enumerate", "zip", "map", "filter"):
                return True
        elif kind in ("assignment", "augmented_assignment"):
            if parent.child_by_field_name("left") != use:
                return True
        elif kind in ("return_statement", "yield", "list", "tuple", "set", "dictionary", "pair",
                      "expression_list", "list_splat", "keyword_argument", "named_expression",
                      "conditional_expression", "boolean_operator", "lambda"):
            return True
    return False
