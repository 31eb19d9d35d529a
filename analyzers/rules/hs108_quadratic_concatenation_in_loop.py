"""HS108: ``acc = acc + [x]``, ``tup += (x,)`` or ``data += b"..."`` in a loop copies everything each time."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.comments import has_comment
from hasten.analyzers.syntax.imports import builtin_visible
from hasten.analyzers.syntax.loops import repeated_loop
from hasten.analyzers.syntax.scope import assignments_to
from hasten.analyzers.syntax.tree import enclosing_function, strip_parens
from hasten.analyzers.syntax.values import is_bytes_literal, is_list_value

ADVICE = {
    "list": "append or extend in place (`{name} += ...`) instead of building a new list",
    "tuple": "collect the items in a list and convert with `tuple()` once after the loop",
    "bytes": "collect the pieces in a list and `b\"\".join()` them, or use a `bytearray`",
}


def value_kind(node: Node) -> str | None:
    node = strip_parens(node)
    if is_list_value(node):
        return "list"
    if node.type == "tuple" or (node.type == "call" and call_name(node) == "tuple" and builtin_visible(node, "tuple")):
        return "tuple"
    if is_bytes_literal(node) or (node.type == "call" and call_name(node) == "bytes" and builtin_visible(node, "bytes")):
        return "bytes"
    return None


def self_concatenation(statement: Node, name: str) -> Node | None:
    """For ``name = name + X`` (or ``X + name``) return the binary expression."""
    right = statement.child_by_field_name("right")
    if statement.type != "assignment" or right is None or right.type != "binary_operator":
        return None
    op = right.child_by_field_name("operator")
    if op is None or op.type != "+":
        return None
    sides = [strip_parens(right.child_by_field_name("left")), strip_parens(right.child_by_field_name("right"))]
    if any(s.type == "identifier" and s.text.decode() == name for s in sides):
        return right
    return None


def accumulator_kind(function: Node, name: str) -> str | None:
    """The one type ``name`` holds, judged from its starting values; None when unsure."""
    statements = assignments_to(function, name)
    if not statements:
        return None
    kinds = set()
    for statement in statements:
        if statement.type == "augmented_assignment" or self_concatenation(statement, name) is not None:
            continue  # keeps the type when the starting value fixes it (list+list, tuple+tuple)
        kinds.add(value_kind(statement.child_by_field_name("right")))
    if len(kinds) != 1:
        return None
    return kinds.pop()


class QuadraticConcatenationInLoop(Rule):
    code = "HS108"
    name = "quadratic-concatenation-in-loop"
    family = "complexity"
    summary = "Sequence grown by concatenation in a loop is copied on every iteration"
    what = """
Flags, inside a loop, `acc = acc + x` where `acc` starts as a list, tuple or bytes value built
in the function, and `acc += x` where `acc` is a tuple or bytes (immutable, so `+=` builds a new
object). Lists grown with `+=`, `append` or `extend` change in place and are not flagged; `str`
is not flagged either, since CPython usually extends a string in place.
"""
    why = """
`acc + x` builds a new object and copies every element of `acc` into it, so growing a sequence
to *n* items this way costs O(n²). Measured with `benchmarks/rules/bench_hs108.py` on
CPython 3.11: building a 1,000-item list with `acc = acc + [x]` takes about 0.65 ms, with
`acc += [x]` about 0.04 ms (≈17×; ≈2.7× at 100 items); a 1,000-item tuple grown with `+=` is
≈52× slower than a list converted once, and 1,000 bytes chunks joined with `+=` ≈5× slower
than `b"".join`.
"""
    example = """
def squares(n):
    acc = []
    for i in range(n):
        acc = acc + [i * i]
    return acc
"""
    use_instead = """
def squares(n):
    acc = []
    for i in range(n):
        acc += [i * i]
    return acc
"""
    fix_safety = """
For lists, `acc = acc + x` becomes `acc += x`, which is unsafe: `+=` changes the existing list,
so any other reference to it (an earlier `result.append(acc)`, a caller's variable) now sees
the change, and `+=` accepts any iterable where `+` raised `TypeError`. Tuples and bytes get
no fix: the rewrite (a list, a `bytearray`, a join) changes more than one line.
"""
    status = Status.PREVIEW
    preview_reason = """
Judged precision on real code is below 80%: most hits concatenate short option or digit lists
where the copies are negligible.
"""
    fix_availability = FixAvailability.SOMETIMES
    aliases = ()
    node_types = ("assignment", "augmented_assignment")

    def visit(self, node: Node, ctx: Context) -> None:
        left = node.child_by_field_name("left")
        if left is None or left.type != "identifier":
            return
        name = ctx.text(left)
        if node.type == "augmented_assignment":
            op = next((c for c in node.children if c.type == "+="), None)
            if op is None:
                return
        elif self_concatenation(node, name) is None:
            return
        loop = repeated_loop(node)
        if loop is None:
            return
        function = enclosing_function(node)
        if function is None:
            return
        kind = accumulator_kind(function, name)
        if kind is None or (node.type == "augmented_assignment" and kind == "list"):
            return
        if restarted_in(loop, name):
            return  # a fresh value every iteration: nothing accumulates
        article = "a bytes object" if kind == "bytes" else f"a {kind}"
        message = f"`{name}` is {article} copied in full on every iteration; {ADVICE[kind].format(name=name)}"
        ctx.report(node, message, self._fix(node, ctx, name, kind))

    def _fix(self, node: Node, ctx: Context, name: str, kind: str):
        if kind != "list" or node.type != "assignment" or has_comment(node):
            return None
        right = node.child_by_field_name("right")
        first = right.child_by_field_name("left")
        if first.type != "identifier" or ctx.text(first) != name:
            return None  # prepending: acc = [x] + acc has no in-place twin
        addend = right.child_by_field_name("right")
        if value_kind(addend) != "list":
            return None  # += would accept any iterable where + raised
        edit = Edit(left_end(node), addend.start_byte, " += ")
        return make_fix(f"Extend `{name}` in place with `+=`", [edit], Applicability.UNSAFE)


def restarted_in(loop: Node, name: str) -> bool:
    """True when ``loop`` gives ``name`` a new starting value (not built from itself)."""
    function = enclosing_function(loop)
    for statement in assignments_to(function, name) or ():
        inside = loop.start_byte <= statement.start_byte and statement.end_byte <= loop.end_byte
        if inside and statement.type == "assignment" and self_concatenation(statement, name) is None:
            return True
    return False


def left_end(node: Node) -> int:
    return node.child_by_field_name("left").end_byte
