"""HS113: ``key in d.keys()`` instead of ``key in d``."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_name, method_call
from hasten.analyzers.syntax.comments import has_comment
from hasten.analyzers.syntax.imports import builtin_visible
from hasten.analyzers.syntax.loops import repeated_loop
from hasten.analyzers.syntax.scope import bindings_of
from hasten.analyzers.syntax.tree import enclosing_scope


def membership_container(node: Node) -> Node | None:
    """The container of ``a in b`` / ``a not in b``; None for other comparisons and chains."""
    if node.type != "comparison_operator" or node.named_child_count != 2:
        return None
    ops = [c.type for c in node.children if not c.is_named]
    if ops not in (["in"], ["not", "in"], ["not in"]):
        return None
    return node.named_children[1]


def unwrap(node: Node) -> Node:
    """``node`` without enclosing parentheses; comments inside them are allowed."""
    while node.type == "parenthesized_expression":
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def is_dict_value(node: Node) -> bool:
    if node.type in ("dictionary", "dictionary_comprehension"):
        return True
    if node.type == "call" and call_name(node) in ("dict", "dict.fromkeys"):
        func = node.child_by_field_name("function")
        base = func if func.type == "identifier" else func.child_by_field_name("object")
        return builtin_visible(node, "dict") and base.type == "identifier"
    return False


def proven_dict(receiver: Node) -> bool:
    if receiver.type != "identifier":
        return False
    values = bindings_of(enclosing_scope(receiver), receiver.text.decode())
    return bool(values) and all(is_dict_value(v) for v in values)


class DictKeysMembership(Rule):
    code = "HS113"
    name = "dict-keys-membership"
    family = "complexity"
    summary = "Membership test on `d.keys()` instead of on the dict"
    what = """
Flags `key in d.keys()` and `key not in d.keys()` inside a loop. The dict answers the same
question directly, without building a keys view first. Outside loops the cost is negligible and
the rule stays silent (ruff's SIM118 flags it as style).
"""
    why = """
`d.keys()` allocates a view object and adds a method call before the hash lookup, which makes
the test nearly twice as slow as `key in d`. (In Python 2 `keys()` built a list, making the
test a linear scan; the habit survives.) Measured with `benchmarks/rules/bench_hs113.py` on
CPython 3.11: 1,000 tests against a 1,000-key dict take about 36 µs with `.keys()` and about
20 µs without (≈1.8×, the same at 100 keys).
"""
    example = """
def known(ids, table):
    return [i for i in ids if i in table.keys()]
"""
    use_instead = """
def known(ids, table):
    return [i for i in ids if i in table]
"""
    fix_safety = """
The fix is safe when the receiver is a dict the function builds itself (a display, a
comprehension, `dict(...)` or `dict.fromkeys(...)`). For any other receiver it is unsafe: an
object's `keys()` may not agree with its `__contains__` (or it may have no `__contains__` and
then `in` iterates it). The fix is not offered when a comment sits inside `keys(...)`.
"""
    status = Status.PREVIEW
    preview_reason = """
Judged precision on real code is below 80%: the hits loop over fixed handfuls of keys; `in
d.keys()` is already a hash lookup, so the gain is the call overhead only.
"""
    fix_availability = FixAvailability.SOMETIMES
    aliases = ("SIM118",)
    node_types = ("comparison_operator",)

    def visit(self, node: Node, ctx: Context) -> None:
        container = membership_container(node)
        if container is not None:
            container = unwrap(container)
        if container is None or container.type != "call":
            return
        parts = method_call(container)
        if parts is None:
            return
        receiver, method, args = parts
        if method != "keys" or any(c.type != "comment" for c in args.named_children):
            return
        if repeated_loop(node) is None:
            return  # once, the view costs nothing worth a finding (ruff's SIM118 covers the style)
        receiver_text = ctx.text(receiver)
        message = f"Test membership on `{receiver_text}` directly instead of on `{receiver_text}.keys()`"
        fix = None
        if not has_comment(container):
            applicability = Applicability.SAFE if proven_dict(receiver) else Applicability.UNSAFE
            edit = Edit(receiver.end_byte, container.end_byte, "")
            fix = make_fix(f"Replace `{receiver_text}.keys()` with `{receiver_text}`", [edit], applicability)
        ctx.report(node, message, fix)
