"""HS204: ``os.path.join(...)`` style module attribute chains resolved again on every iteration."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import fresh_variable, insert_statement_before, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.imports import is_module_name, module_imports
from hasten.analyzers.syntax.loops import enclosing_loops, repeated_loop
from hasten.analyzers.syntax.tree import enclosing_function, enclosing_scope, root_of, statement_of, walk

MIN_DOTS = 2


def module_chain(func: Node) -> tuple[Node, int] | None:
    """(base identifier, number of attribute steps) for ``module.a.b``; None otherwise."""
    steps = 0
    current = func
    while current.type == "attribute":
        steps += 1
        current = current.child_by_field_name("object")
    if current.type != "identifier":
        return None
    root = root_of(current)  # remembers the parents it finds: ``Node.parent`` costs the depth
    module = module_imports(root).get(current.text.decode())
    if module is None or not is_module_name(current, module):
        return None
    return current, steps


class DottedLookupInLoop(Rule):
    code = "HS204"
    name = "dotted-lookup-in-loop"
    family = "loops"
    summary = "Module attribute chain looked up again on every iteration"
    what = """
Flags calls such as `os.path.join(...)` or `xml.etree.ElementTree.fromstring(...)` inside a loop
in a function: a chain of two or more attribute lookups starting at an imported module, which
Python resolves again on every call. Single lookups (`math.sqrt`) are not flagged.
"""
    why = """
Each dot is a lookup (the module's global, then each attribute); binding the final function to
a local name once turns them into one fast local read. Measured with
`benchmarks/rules/bench_hs204.py` on CPython 3.11: 1,000 calls of `os.path.basename` take about
0.21 ms either way (≈1.0×): since 3.11 the specialising interpreter caches these lookups, so the
gain is only visible when the called function does almost nothing. The rule is in preview for
that reason.
"""
    example = """
import os

def names(paths):
    return [os.path.basename(p) for p in paths]
"""
    use_instead = """
import os

def names(paths):
    basename = os.path.basename
    return [basename(p) for p in paths]
"""
    fix_safety = """
The fix is unsafe: the alias captures the function once, so replacing the module attribute
during the loop (monkeypatching, reloading) is no longer seen, and the lookup now happens even
when the loop body never runs.
"""
    preview_reason = """
Judged precision on real code is below 80%: the dotted lookup is noise next to the call it
reaches (`os.path.join`, a system call); measured about 1.0× on CPython 3.11.
"""
    fix_availability = FixAvailability.SOMETIMES
    status = Status.PREVIEW
    aliases = ("W8205",)
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        func = node.child_by_field_name("function")
        if func is None or func.type != "attribute":
            return
        chain = module_chain(func)
        if chain is None or chain[1] < MIN_DOTS:
            return
        if repeated_loop(node) is None:
            return
        function = enclosing_function(node)
        if function is None:
            return
        text = ctx.text(func)
        if "\n" in text or " " in text or "#" in text:
            return
        message = f"`{text}` is resolved again on every iteration; bind it to a local name before the loop"
        ctx.report(func, message, self._fix(node, ctx, func, enclosing_loops(node)[-1], function))

    def _fix(self, node: Node, ctx: Context, func: Node, loop: Node, function: Node):
        text = ctx.text(func)
        new_name = fresh_variable(function, func.child_by_field_name("attribute").text.decode())
        insert = insert_statement_before(ctx.source, statement_of(loop), f"{new_name} = {text}")
        if insert is None:
            return None
        scope = enclosing_scope(node)
        edits = [insert]
        for other in walk(loop):
            if other.type == "call" and enclosing_scope(other) == scope:
                callee = other.child_by_field_name("function")
                if callee is not None and callee.type == "attribute" and ctx.text(callee) == text:
                    edits.append(replace_node(callee, new_name))
        return make_fix(f"Bind `{new_name} = {text}` before the loop", edits, Applicability.UNSAFE)
