"""HS205: a module-level variable read several times per iteration of a nested loop."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.control import in_main_guard
from hasten.analyzers.syntax.loops import enclosing_loops, loop_body, loop_repeats, small_fixed_loop
from hasten.analyzers.syntax.scope import is_local_name, target_names
from hasten.analyzers.syntax.tree import enclosing_function, walk_same_scope

# A global is worth a local alias only when it is read this often per inner iteration.
MIN_READS = 2


def module_variables(root: Node) -> set[str]:
    """Names bound at module level by plain assignments (not functions, classes or imports)."""
    names: set[str] = set()
    for statement in root.named_children:
        if statement.type == "expression_statement":
            for child in statement.named_children:
                if child.type == "assignment":
                    left = child.child_by_field_name("left")
                    if left is not None:
                        names |= target_names(left)
    return names


class GlobalLookupInLoop(Rule):
    code = "HS205"
    name = "global-lookup-in-loop"
    family = "loops"
    summary = "Module-level variable looked up repeatedly in a nested loop"
    what = """
Flags a module-level variable (bound by an assignment at the top of the module) that a function
reads at least twice per iteration of an inner loop — a loop nested in another loop, so the
body runs many times. Functions, classes and imported modules are not counted (HS204 covers
module attribute chains).
"""
    why = """
A global is found by a dictionary lookup in the module's namespace (and the builtins on a miss);
a local is an indexed array slot. Measured with `benchmarks/rules/bench_hs205.py` on
CPython 3.11: a 100×100 nested loop reading a global three times per cell takes about 0.46 ms,
with a local alias about 0.40 ms (≈1.1×). Since 3.11's specialising interpreter made global
reads cheap, the gain is small, and the rule is in preview.
"""
    example = """
SCALE = 3

def scaled(grid):
    for row in grid:
        for i, v in enumerate(row):
            row[i] = v * SCALE + SCALE
"""
    use_instead = """
SCALE = 3

def scaled(grid):
    scale = SCALE
    for row in grid:
        for i, v in enumerate(row):
            row[i] = v * scale + scale
"""
    fix_safety = """
No fix is offered: a local copy no longer sees the global being rebound while the loop runs.
"""
    preview_reason = """
Judged precision on real code is below 80%: global reads cost about 1.1× at best on CPython 3.11
and the loops found run rarely.
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW
    aliases = ("W8202",)
    node_types = ("for_statement", "while_statement")

    def visit(self, node: Node, ctx: Context) -> None:
        outer = enclosing_loops(node)
        if not outer or not loop_repeats(node) or not loop_repeats(outer[0]) or in_main_guard(node):
            return
        if small_fixed_loop(node) or all(small_fixed_loop(loop) for loop in outer):
            return
        body = loop_body(node)
        function = enclosing_function(node)
        if body is None or function is None:
            return
        if any(n.type in ("for_statement", "while_statement") for n in walk_same_scope(body)):
            return  # only the innermost loop
        root = node
        while root.parent is not None:
            root = root.parent
        variables = module_variables(root)
        if not variables:
            return
        declared = {
            c.text.decode()
            for n in walk_same_scope(function)
            if n.type in ("global_statement", "nonlocal_statement")
            for c in n.named_children
            if c.type == "identifier"
        }
        parts = [body]
        if node.type == "while_statement" and node.child_by_field_name("condition") is not None:
            parts.insert(0, node.child_by_field_name("condition"))
        reads: dict[str, list[Node]] = {}
        for n in (m for part in parts for m in walk_same_scope(part)):
            if n.type != "identifier":
                continue
            name = n.text.decode()
            if name not in variables or name in declared:
                continue
            parent = n.parent
            if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == n:
                continue
            if parent is not None and parent.type == "keyword_argument" and parent.child_by_field_name("name") == n:
                continue
            reads.setdefault(name, []).append(n)
        for name, uses in reads.items():
            if len(uses) >= MIN_READS and not is_local_name(function, name):
                ctx.report(uses[0], f"Global `{name}` is looked up {len(uses)} times per iteration of a nested loop; bind it to a local name before the loops")
