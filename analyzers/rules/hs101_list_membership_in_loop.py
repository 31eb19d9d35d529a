"""HS101: ``x in items`` inside a loop, where ``items`` is a list or tuple the loop does not change."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import fresh_name, insert_statement_before, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, make_fix
from hasten.analyzers.syntax import (
    bindings_of,
    enclosing_loops,
    enclosing_scope,
    is_list_value,
    is_tuple_value,
    mutated_names,
    statement_of,
    walk,
)

# A literal this short is cheap to scan; PLR6201-style rules cover it (HS3xx).
MIN_LITERAL_ELEMENTS = 8


def _is_sequence_value(node: Node) -> bool:
    if node.type in ("list", "tuple"):
        return len(node.named_children) >= MIN_LITERAL_ELEMENTS and not any(
            c.type in ("list_splat", "comment") for c in node.named_children
        )
    return is_list_value(node) or is_tuple_value(node)


def membership_parts(node: Node) -> tuple[Node, str, Node] | None:
    """(element, operator, container) for ``a in b`` / ``a not in b``; None for chains."""
    if node.type != "comparison_operator" or node.named_child_count != 2:
        return None
    ops = [c for c in node.children if not c.is_named]
    if len(ops) == 1 and ops[0].type == "in":
        op = "in"
    elif len(ops) == 2 and ops[0].type == "not" and ops[1].type == "in" or (len(ops) == 1 and ops[0].type == "not in"):
        op = "not in"
    else:
        return None
    return node.named_children[0], op, node.named_children[1]


class ListMembershipInLoop(Rule):
    code = "HS101"
    name = "list-membership-in-loop"
    family = "complexity"
    summary = "Membership test on a list inside a loop scans the whole list each time"
    what = """
Flags `x in items` and `x not in items` inside a loop when `items` is a list or tuple that the
function builds itself (a comprehension, `list(...)`, `sorted(...)` or a literal of 8 or more
elements) and that nothing in the loop changes.
"""
    why = """
`in` on a list compares against every element, so a loop of *n* iterations over a list of *m*
items costs O(n·m). A `set` answers in O(1) on average. Measured with
`benchmarks/rules/bench_hs101.py` on CPython 3.11: 1,000 lookups in a 1,000-element list take
about 9.4 ms; with a set built once, about 0.03 ms (≈320× faster); at 100 elements the gain is
≈15×.
"""
    example = """
def known_users(events, users):
    names = [u.name for u in users]
    return [e for e in events if e.user in names]
"""
    use_instead = """
def known_users(events, users):
    names = [u.name for u in users]
    names_set = set(names)
    return [e for e in events if e.user in names_set]
"""
    fix_safety = """
The fix is unsafe: a set needs hashable elements (`set(items)` raises `TypeError` on a list of
lists), and it compares by hash and equality rather than equality alone, which differs for
objects whose `__eq__` and `__hash__` disagree.
"""
    fix_availability = FixAvailability.SOMETIMES
    aliases = ()
    node_types = ("comparison_operator",)

    def visit(self, node: Node, ctx: Context) -> None:
        parts = membership_parts(node)
        if parts is None:
            return
        _, _, container = parts
        if container.type != "identifier":
            return
        loops = enclosing_loops(node)
        if not loops:
            return
        name = ctx.text(container)
        scope = enclosing_scope(node)
        values = bindings_of(scope, name)
        if not values or not all(_is_sequence_value(v) for v in values):
            return
        # Hoist above the outermost loop that neither rebinds nor mutates the list.
        target = None
        for loop in loops:
            if name in mutated_names(loop) or any(
                v.start_byte >= loop.start_byte and v.end_byte <= loop.end_byte for v in values
            ):
                break
            target = loop
        if target is None:
            return
        statement = statement_of(target)
        if any(v.start_byte >= statement.start_byte for v in values):
            return  # bound after (or inside) the loop statement: not the list the loop sees
        if _mutated_in_closure(scope, name):
            return
        kind = "tuple" if all(is_tuple_value(v) or v.type == "tuple" for v in values) else "list"
        message = f"`{name}` is a {kind}: each `in` test scans it; build a set once before the loop"
        fix = None
        new_name = fresh_name(scope, f"{name}_set")
        insert = insert_statement_before(ctx.source, statement, f"{new_name} = set({name})")
        if insert is not None:
            edits = [insert]
            for other in walk(target):
                other_parts = membership_parts(other)
                if other_parts and other_parts[2].type == "identifier" and ctx.text(other_parts[2]) == name:
                    if enclosing_scope(other) == scope:
                        edits.append(replace_node(other_parts[2], new_name))
            fix = make_fix(f"Build `{new_name} = set({name})` before the loop", edits, Applicability.UNSAFE)
        ctx.report(node, message, fix)


def _mutated_in_closure(scope: Node, name: str) -> bool:
    for child in walk(scope):
        if child is not scope and child.type in ("function_definition", "lambda") and name in mutated_names(child):
            return True
    return False
