"""HS106: ``sorted``/``min``/``max``/``sum``/``len(list(...))`` of data the loop never changes."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import fresh_name, insert_statement_before, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.comments import has_comment
from hasten.analyzers.syntax.imports import is_unshadowed_builtin
from hasten.analyzers.syntax.loops import hoist_target, invariant_data_names, loop_repeats, repeated_loop
from hasten.analyzers.syntax.scope import parameter_names, read_names
from hasten.analyzers.syntax.tree import enclosing_function, enclosing_scope, statement_of, walk
from hasten.analyzers.syntax.values import is_small_literal_name

AGGREGATES = frozenset({"sorted", "min", "max", "sum", "len"})
KEYWORDS = frozenset({"key", "reverse", "default", "start"})
# len() of a plain name is O(1); only len() of a fresh copy does work.
LEN_OF = frozenset({"list", "set", "tuple", "sorted", "frozenset", "dict"})


def keyword_reads(value: Node) -> set[str] | None:
    """Names a keyword argument reads; a lambda contributes its body's free names."""
    if value.type == "lambda":
        body = value.child_by_field_name("body")
        if body is None:
            return None
        names = read_names(body)
        if names is None:
            return None
        return names - parameter_names(value)
    return read_names(value)


def aggregate_parts(node: Node, function: Node) -> tuple[str, Node, set[str]] | None:
    """(builtin name, data argument, names the call depends on) for a call worth hoisting."""
    func = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if func is None or func.type != "identifier" or args is None or args.type != "argument_list":
        return None
    builtin = func.text.decode()
    if builtin not in AGGREGATES or not is_unshadowed_builtin(func):
        return None
    positional = []
    names: set[str] = set()
    for child in args.named_children:
        if child.type == "comment":
            continue
        if child.type == "keyword_argument":
            key = child.child_by_field_name("name")
            value = child.child_by_field_name("value")
            if key is None or value is None or key.text.decode() not in KEYWORDS or builtin == "len":
                return None
            reads = keyword_reads(value)
            if reads is None:
                return None
            names |= reads
        elif child.type in ("list_splat", "dictionary_splat"):
            return None
        else:
            positional.append(child)
    if len(positional) != 1:
        return None
    data = positional[0]
    if builtin == "len":
        inner = data.child_by_field_name("function") if data.type == "call" else None
        if inner is None or inner.type != "identifier" or inner.text.decode() not in LEN_OF:
            return None
    data_names = invariant_data_names(data, function)
    if not data_names:
        return None
    if data.type == "identifier" and is_small_literal_name(function, data.text.decode()):
        return None
    return builtin, data, names | data_names


class RecomputedAggregateInLoop(Rule):
    code = "HS106"
    name = "recomputed-aggregate-in-loop"
    family = "complexity"
    summary = "Aggregate over data the loop does not change is recomputed on every iteration"
    what = """
Flags `sorted(data)`, `min(data)`, `max(data)`, `sum(data)` and `len(list(data))` (or `len` of
any other fresh copy) inside a loop when `data` is a local name (or its `.keys()`, `.values()`,
`.items()`) that the loop neither rebinds nor changes: no assignment, no mutating method, no call
that receives it, no `yield` or `await` in between that would let other code change it.
"""
    why = """
Each call walks all of `data`, so a loop of *n* iterations over data of *m* items does O(n·m)
work (O(n·m·log m) for `sorted`) to produce the same value every time. Measured with
`benchmarks/rules/bench_hs106.py` on CPython 3.11: filtering 1,000 numbers against
`max(numbers)` recomputed per item takes about 43 ms; computed once, about 0.06 ms (≈700×);
at 100 items the gain is ≈19×. With `sorted()` recomputed per item it is ≈1,600× at 1,000.
"""
    example = """
def near_top(scores):
    return [s for s in scores if s > max(scores) * 0.9]
"""
    use_instead = """
def near_top(scores):
    max_scores = max(scores)
    return [s for s in scores if s > max_scores * 0.9]
"""
    fix_safety = """
The fix is unsafe: it computes the value before the loop, so it runs even when the loop body
would not have (an empty `min()`/`max()` then raises `ValueError` where the original did not),
and it assumes no other reference to the data changes it while the loop runs (an alias changed
through a method call the rule cannot see into).
"""
    facts = """
Local data (names bound in the function, or in the module for module-level code) and
builtin conversions of them; no type facts beyond that. Module-level code and
`if __name__ == "__main__":` blocks are analysed like a function body.
"""
    fix_availability = FixAvailability.SOMETIMES
    # Pooled judged precision 0/1 (tuned corpus plus code it was never tuned on,
    # benchmarks/precision/README.md) is below 80%: preview.
    status = Status.PREVIEW
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        if repeated_loop(node) is None:
            return
        function = enclosing_scope(node)  # module-level code is analysed like a function body
        if function.type not in ("function_definition", "module"):
            return
        parts = aggregate_parts(node, function)
        if parts is None:
            return
        builtin, data, names = parts
        target = hoist_target(node, names)
        if target is None or not loop_repeats(target):
            return
        statement = statement_of(target)
        label = ctx.text(data) if len(ctx.text(data)) <= 40 else "its argument"
        message = f"`{builtin}()` of `{label}` is recomputed on every iteration although the loop does not change it; compute it once before the loop"
        ctx.report(node, message, self._fix(node, ctx, builtin, data, target, statement))

    def _fix(self, node, ctx, builtin, data, target, statement):
        if has_comment(node) or "\n" in ctx.text(node):
            return None
        if builtin == "sorted" and not used_read_only(node):
            return None  # one shared list instead of a fresh one per iteration: only if never kept
        stem = next((n for n in walk(data) if n.type == "identifier" and n.parent is not None and n.parent.type != "call"), None)
        if stem is None and data.type == "identifier":
            stem = data
        base = ctx.text(stem) if stem is not None else "value"
        new_name = fresh_name(function_scope(node), f"{builtin}_{base}")
        text = ctx.text(node)
        insert = insert_statement_before(ctx.source, statement, f"{new_name} = {text}")
        if insert is None:
            return None
        scope = enclosing_scope(node)
        edits = [insert]
        for other in walk(target):
            if other.type == "call" and ctx.text(other) == text and enclosing_scope(other) == scope:
                edits.append(replace_node(other, new_name))
        return make_fix(f"Compute `{new_name} = {text}` once before the loop", edits, Applicability.UNSAFE)


def used_read_only(node: Node) -> bool:
    """True when the value of ``node`` is consumed on the spot: iterated, indexed, compared or
    passed to a builtin that does not keep it."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type in ("for_statement", "for_in_clause") and parent.child_by_field_name("right") == node:
        return True
    if parent.type == "subscript" and parent.child_by_field_name("value") == node:
        return True
    if parent.type == "comparison_operator":
        return True
    if parent.type == "argument_list" and parent.parent is not None:
        func = parent.parent.child_by_field_name("function")
        return func is not None and func.type == "identifier" and func.text.decode() in READ_ONLY_CONSUMERS
    return False


READ_ONLY_CONSUMERS = frozenset({"len", "min", "max", "sum", "any", "all", "print", "enumerate", "tuple", "set", "frozenset", "str", "repr"})


def function_scope(node: Node) -> Node:
    return enclosing_function(node) or enclosing_scope(node)
