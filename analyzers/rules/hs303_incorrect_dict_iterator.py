"""HS303: ``for k, _ in d.items()`` / ``for _, v in d.items()`` builds pairs only to drop half."""

from __future__ import annotations

import re

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rewrite import node_has_comment
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.scope import name_uses, proven_bindings
from hasten.analyzers.syntax.tree import enclosing_scope, is_async, strip_parens
from hasten.analyzers.syntax.values import is_dict_value

DUMMY = re.compile(r"_+[a-z0-9_]*\Z")


def _is_dummy(node: Node) -> bool:
    return node.type == "identifier" and DUMMY.match(node.text.decode()) is not None


class IncorrectDictIterator(Rule):
    code = "HS303"
    name = "incorrect-dict-iterator"
    family = "idioms"
    summary = "`.items()` unpacked into a throwaway name: iterate `.keys()` or `.values()`"
    what = """
Flags `for k, _ in d.items()` and `for _, v in d.items()` (loops and comprehensions) where one
half of each pair goes to a throwaway name (`_`, `_unused`) that nothing reads.
"""
    why = """
`.items()` builds a `(key, value)` tuple per entry and the loop unpacks it; iterating
`.keys()` or `.values()` does neither. Measured with `benchmarks/rules/bench_hs303.py` on
CPython 3.11: summing a 1,000-entry dict's values through
`.values()` is ≈1.2× faster than through `.items()` (also 1.2× at 100 entries).
"""
    example = """
def total(prices):
    n = 0
    for _, price in prices.items():
        n += price
    return n
"""
    use_instead = """
def total(prices):
    n = 0
    for price in prices.values():
        n += price
    return n
"""
    fix_safety = """
The fix is safe when the receiver is a dict this function builds (a literal, comprehension or
`dict(...)` call) and the throwaway name is read nowhere else. Otherwise it is unsafe: an object
with `.items()` need not have `.keys()`/`.values()` with the same order, and at module or class
level the throwaway name stays bound after a loop (another module could read it). No fix is
offered when the loop header contains a comment.
"""
    preview_reason = """
On fresh code the throwaway `.items()` loops run over small dicts where `.values()` gains
nothing measurable; pooled below the 80% bar (docs/rules.md).
"""
    fix_availability = FixAvailability.SOMETIMES
    status = Status.PREVIEW
    aliases = ("PERF102",)
    node_types = ("for_statement", "for_in_clause")

    def visit(self, node: Node, ctx: Context) -> None:
        if node.type == "for_statement" and is_async(node):
            return
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return
        target = strip_parens(left)
        if target.type not in ("pattern_list", "tuple_pattern", "list_pattern", "tuple", "list"):
            return
        parts = [p for p in target.named_children if p.type != "comment"]
        if len(parts) != 2:
            return
        first, second = parts
        if _is_dummy(first) == _is_dummy(second):
            return  # neither (both halves used) or both (a strange loop; leave it)
        keep, drop = (first, second) if _is_dummy(second) else (second, first)
        if keep.type not in ("identifier", "tuple_pattern", "list_pattern", "pattern_list"):
            return
        call = strip_parens(right)
        mc = method_call(call)
        if mc is None:
            return
        receiver, method, args = mc
        if method != "items" or args.named_child_count != 0:
            return
        scope = enclosing_scope(node)
        dummy = drop.text.decode()
        # Every other mention of the throwaway name must be another loop's throwaway target.
        for use in name_uses(scope, dummy):
            if use == drop:
                continue
            if not _is_throwaway_target(use):
                return
        wanted = "keys" if keep is first else "values"
        message = f"`.items()` unpacked into a throwaway `{dummy}`: iterate `.{wanted}()` instead"
        fix = None
        if not node_has_comment(ctx.source, left) and not node_has_comment(ctx.source, call):
            attr = call.child_by_field_name("function").child_by_field_name("attribute")
            edits = [
                Edit(left.start_byte, left.end_byte, ctx.text(keep)),
                Edit(attr.start_byte, attr.end_byte, wanted),
            ]
            safe = self._receiver_is_dict(receiver, scope) and (
                node.type == "for_in_clause" or scope.type == "function_definition"
            )
            fix = make_fix(f"Iterate `.{wanted}()`", edits, Applicability.SAFE if safe else Applicability.UNSAFE)
        ctx.report(_header(node), message, fix)

    @staticmethod
    def _receiver_is_dict(receiver: Node, scope: Node) -> bool:
        receiver = strip_parens(receiver)
        if is_dict_value(receiver):
            return True
        if receiver.type != "identifier" or scope.type != "function_definition":
            return False
        return proven_bindings(scope, receiver.text.decode(), is_dict_value) is not None


def _is_throwaway_target(use: Node) -> bool:
    """True when ``use`` is the dropped half of another ``for ... in ....items()`` target."""
    parent = use.parent
    while parent is not None and parent.type in ("pattern_list", "tuple_pattern", "list_pattern", "parenthesized_expression"):
        child, parent = parent, parent.parent
        if parent is not None and parent.type in ("for_statement", "for_in_clause") and parent.child_by_field_name("left") == child:
            return True
    return False


def _header(node: Node) -> tuple[int, int]:
    """``for k, _ in d.items()``: from ``for`` to the end of the iterable."""
    right = node.child_by_field_name("right")
    return node.start_byte, right.end_byte
