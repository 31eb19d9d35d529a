"""HS305: a ``for`` loop whose only statement appends the loop variable to a list."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rewrite import names_in
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.comments import keep_comments
from hasten.analyzers.syntax.control import exception_keeps_partial_state
from hasten.analyzers.syntax.edits import empty_binding_before
from hasten.analyzers.syntax.loops import one_statement_loop
from hasten.analyzers.syntax.scope import (
    bindings_of,
    bound_anywhere,
    deleted_outside,
    proven_bindings,
    used_in_nested_scope,
    used_outside,
)
from hasten.analyzers.syntax.tree import enclosing_scope, statement_expression
from hasten.analyzers.syntax.values import is_list_value


class LoopCopiesIntoList(Rule):
    code = "HS305"
    name = "loop-copies-into-list"
    family = "idioms"
    summary = "Loop only copies items into a list; `extend` or `list()` does it in C"
    what = """
Flags a `for` loop whose whole body is `out.append(x)`, where `x` is the loop variable and `out`
is a list built in the same function. Loops over a literal's few items are left alone.
"""
    why = """
Each iteration runs the loop machinery, looks up `out.append` and calls it. `out.extend(items)`
and `list(items)` copy in one C call (from a list or tuple, by a single memory copy). Measured
with `benchmarks/rules/bench_hs305.py` on CPython 3.11: copying 1,000 items takes about 10.8 µs
with the loop and 1.35 µs with `list(items)` (≈8× faster); at 100 items ≈5.7×.
"""
    example = """
def ids(rows):
    out = []
    for row in rows:
        out.append(row)
    return out
"""
    use_instead = """
def ids(rows):
    out = list(rows)
    return out
"""
    fix_safety = """
The fix is safe when the loop variable is not used outside the loop (the loop leaves it bound to
the last item; `extend` does not) and the iterable cannot be the list itself; otherwise it is
unsafe. Comments in the replaced lines are kept above or beside the new statement. `out = []` directly before the loop is merged into
`out = list(items)` only inside a function and outside `try` and `with suppress(...)`, where a
half-filled list could not be observed after an exception. No fix is offered when a later `del`
deletes the loop variable; an unsafe fix's title says when the variable is used after the loop.
"""
    preview_reason = """
On fresh code (a second set of pinned packages, tuning half) 18 of 20 hits copy a handful of
items (the notes one ornament expands into, the articulations of one note), where `extend()`
gains nothing measurable; the two worth fixing copy a file's lines and a score's objects. Pooled
below the 80% bar (docs/rules.md).
"""
    fix_availability = FixAvailability.SOMETIMES
    status = Status.PREVIEW
    aliases = ("PERF402",)
    node_types = ("for_statement",)

    def visit(self, node: Node, ctx: Context) -> None:
        parts = one_statement_loop(node)
        if parts is None:
            return
        target, iterable, statement = parts
        if target.type != "identifier":
            return
        call = statement_expression(statement)
        if call is None:
            return
        mc = method_call(call)
        if mc is None:
            return
        receiver, method, args = mc
        if method != "append" or receiver.type != "identifier":
            return
        if len(args.named_children) != 1 or args.named_children[0].type != "identifier":
            return
        item = ctx.text(args.named_children[0])
        loop_var = ctx.text(target)
        out = ctx.text(receiver)
        if item != loop_var or out == loop_var:
            return
        scope = enclosing_scope(node)
        if not proven_bindings(scope, out, is_list_value):
            return
        iterable_names = names_in(iterable)
        if out in iterable_names:
            return  # `for x in out: out.append(x)` never ends; not a copy
        if any(
            any(v.type == "identifier" and ctx.text(v) == out for v in (bindings_of(scope, n) or ()))
            for n in iterable_names
        ):
            return  # the iterable may be an alias of the list
        if iterable.type in ("list", "tuple", "set", "expression_list", "string"):
            return  # a literal's few items: the loop costs next to nothing
        items = ctx.text(iterable)
        safe = not used_outside(scope, loop_var, node)
        why_unsafe = "" if safe else f" (unsafe: `{loop_var}` is used after the loop)"
        start = node.start_byte
        initial = empty_binding_before(node, out, "[]")
        if (
            initial is not None
            and scope.type == "function_definition"
            and not exception_keeps_partial_state(node)
            and not used_in_nested_scope(scope, out)
            and not bound_anywhere(node, "list")
        ):
            start = initial.start_byte
            replacement = f"{out} = list{items}" if iterable.type == "generator_expression" else f"{out} = list({items})"
            title = f"Replace the loop with `{out} = list(...)`"
        else:
            replacement = f"{out}.extend{items}" if iterable.type == "generator_expression" else f"{out}.extend({items})"
            title = f"Replace the loop with `{out}.extend(...)`"
        replacement = keep_comments(ctx.source, start, node.end_byte, replacement)
        fix = None
        if replacement is not None and not deleted_outside(scope, loop_var, node):
            fix = make_fix(title + why_unsafe, [Edit(start, node.end_byte, replacement)],
                           Applicability.SAFE if safe else Applicability.UNSAFE)
        ctx.report(node, f"Loop only copies items into `{out}`; use `{out}.extend(...)` or `list(...)`", fix)
