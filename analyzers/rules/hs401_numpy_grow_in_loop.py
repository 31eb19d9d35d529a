"""HS401: ``a = np.append(a, x)`` (or ``concatenate``/``vstack``/``hstack``) inside a loop."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule, Status
from hasten.analyzers.syntax.edits import name_assigned_a_call
from hasten.analyzers.syntax.imports import numpy_function, source_mentions
from hasten.analyzers.syntax.loops import enclosing_loops
from hasten.analyzers.syntax.scope import target_names
from hasten.analyzers.syntax.tree import walk_same_scope

_GROWERS = frozenset({"append", "concatenate", "vstack", "hstack", "row_stack", "column_stack", "dstack"})


def _grows(ctx: Context, call: Node, name: str) -> bool:
    """True when ``call`` is ``np.append(name, ...)`` or ``np.concatenate``/``*stack`` of a list or
    tuple holding ``name``."""
    if call.type != "call":
        return False
    function = numpy_function(call)
    if function not in _GROWERS:
        return False
    arguments = call.child_by_field_name("arguments")
    if arguments is None or arguments.type != "argument_list":
        return False
    args = [a for a in arguments.named_children if a.type not in ("keyword_argument", "comment")]
    if not args:
        return False
    first = args[0]
    if function == "append":
        pieces = [first]
    elif first.type in ("list", "tuple"):
        pieces = list(first.named_children)
    else:
        return False
    return any(p.type == "identifier" and ctx.text(p) == name for p in pieces)


def _rebound_in_loop(ctx: Context, loop: Node, name: str, growth: Node) -> bool:
    """True when ``loop`` binds ``name`` other than by growth statements like ``growth``."""
    for current in walk_same_scope(loop):
        if current.type == "for_statement" and name in target_names(current.child_by_field_name("left")):
            return True
        if current.type in ("assignment", "augmented_assignment") and current != growth:
            left = current.child_by_field_name("left")
            if left is None or name not in target_names(left):
                continue
            right = current.child_by_field_name("right")
            if current.type == "assignment" and left.type == "identifier" and right is not None and (
                _grows(ctx, right, name)
            ):
                continue  # another growth of the same array
            return True
    return False


class NumpyGrowInLoop(Rule):
    code = "HS401"
    name = "numpy-grow-in-loop"
    family = "data"
    summary = "Growing a NumPy array in a loop copies it every time (quadratic)"
    what = """
Flags `a = np.append(a, ...)`, `a = np.concatenate((a, ...))`, `a = np.vstack([a, ...])` and
`hstack`/`row_stack`/`column_stack`/`dstack` inside a loop, where the array being assigned is
also one of the pieces and the loop does not otherwise rebind it (padding a fresh array once per
iteration is not growth). `np` must be imported from `numpy` in the file.
"""
    why = """
NumPy arrays have a fixed size: every call allocates a new array and copies all existing
elements into it, so a loop of *n* appends copies O(n²) elements, with about a microsecond of
call overhead each time. Collecting the pieces in a Python list and calling `np.array` or
`np.concatenate` once copies each element once. Measured with `benchmarks/rules/bench_hs401.py`
on CPython 3.11 with NumPy 2.4: 1,000 `np.append` calls take about 1.26 ms, a list plus one
`np.array` 35 µs (≈35× faster; ≈33× at 100); `np.vstack` row by row ≈5×.
"""
    example = """
import numpy as np

def samples(source):
    out = np.empty(0)
    for value in source:
        out = np.append(out, value)
    return out
"""
    use_instead = """
import numpy as np

def samples(source):
    pieces = []
    for value in source:
        pieces.append(value)
    return np.array(pieces, dtype=float)
"""
    fix_safety = """
No automatic fix: the rewrite needs a new list, a place to build the array after the loop, and
the right `dtype` and shape, which depend on code the rule does not see.
"""
    preview_reason = """
On held-out code (a scientific package) most arrays grown in a loop grow a few times: three
iterations of `range(3, 6)`, at most three cell vectors, the few symmetry-equivalent surfaces of
a crystal. The two worth fixing grow once per atom of an input file. Pooled below the 80% bar
(docs/rules.md).
"""
    fix_availability = FixAvailability.NEVER
    status = Status.PREVIEW
    aliases = ()
    node_types = ("assignment",)

    def visit(self, node: Node, ctx: Context) -> None:
        if not source_mentions(ctx.source, b"numpy"):
            return
        assigned = name_assigned_a_call(node)
        if assigned is None:
            return
        name, right = assigned
        if not _grows(ctx, right, name):
            return
        loops = [loop for loop in enclosing_loops(node) if loop.type in ("for_statement", "while_statement")]
        if not loops:
            return
        if _rebound_in_loop(ctx, loops[0], name, node):
            return  # a fresh array each iteration, padded once: not growth across iterations
        ctx.report(
            node,
            f"`{ctx.text(right.child_by_field_name('function'))}` in a loop copies `{name}` every time; "
            "collect the pieces in a list and build the array once after the loop",
        )
