"""HS101: ``x in items`` inside a loop, where ``items`` is a list or tuple the loop does not change."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import fresh_name, insert_statement_before, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.factdocs import list_facts_doc, size_facts_doc
from hasten.analyzers.syntax.facts import fact_of
from hasten.analyzers.syntax.loops import enclosing_loops, repeated_loop
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.sizes import loop_size_evidence, size_evidence
from hasten.analyzers.syntax.tree import enclosing_function, enclosing_scope, identifier_text, statement_of, walk
from hasten.analyzers.syntax.values import is_list_value, is_tuple_value


def _in_test_helper(node: Node) -> bool:
    function = enclosing_function(node)
    while function is not None:
        name = identifier_text(function.child_by_field_name("name")) or ""
        if name.startswith(("test", "_test")):
            return True
        function = enclosing_function(function)
    return False


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
Flags `x in items` and `x not in items` inside a loop when `items` (a name or `self.items`) is
known to be a list, a variadic tuple or a `Sequence` (see "Facts it uses") and nothing in the
loop changes it. Short literals that never change (fixed size), loops that run a few fixed times
and test helpers are left alone.
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
objects whose `__eq__` and `__hash__` disagree. When the rule sees no evidence that the elements
are hashable (a display of constants, `str.split()`, `range()`), the fix's title says so:
"unsafe: elements may be unhashable".
"""
    facts = list_facts_doc("container", "`list[...]`, `List[...]`, `Sequence[...]` (linear for every sequence), `tuple[X, ...]` (with `Optional`/`| None`)") \
        + size_facts_doc("list and one of the loops around the test")
    preview_reason = """
Judged precision on real code is below 80% with the size facts: 2 of 9 hits on the tuned corpus
(standard library and 14 packages) were worth fixing, 0 of 1 on the held-out packages (pooled 2
of 10). The lists that libraries test membership in inside loops are mostly a handful of names,
options or extensions passed in by a caller, so the O(n·m) cost never shows; the code does not
say how many the caller passes.
"""
    fix_availability = FixAvailability.SOMETIMES
    # Judged 2 of 10 hits worth fixing on real code with the size facts (0 of 1 held out):
    # benchmarks/precision/README.md, "Size facts".
    status = Status.PREVIEW
    aliases = ()
    node_types = ("comparison_operator",)

    def visit(self, node: Node, ctx: Context) -> None:
        parts = membership_parts(node)
        if parts is None:
            return
        _, _, container = parts
        if container.type not in ("identifier", "attribute"):
            return
        if repeated_loop(node) is None or _in_test_helper(node):
            return
        fact = fact_of(container)
        if fact is None or not fact.linear:
            return
        if size_evidence(container) is None or not any(loop_size_evidence(loop) for loop in enclosing_loops(node)):
            return  # nothing says the list, or the loop, can be large: a handful of names or options
        loops = enclosing_loops(node)
        name = ctx.text(container)
        scope = enclosing_scope(node)
        values = list(fact.values)
        literal = fact.small or (values and all(v.type in ("list", "tuple") for v in values))
        if literal and name not in mutated_names(scope):
            return  # a literal never changed: fixed size (HS308 covers literals)
        if container.type == "attribute":
            values = []
        # Hoist above the outermost loop that neither rebinds nor mutates the list.
        target = None
        for loop in loops:
            if _changed_in(loop, container, name) or any(
                v.start_byte >= loop.start_byte and v.end_byte <= loop.end_byte for v in values
            ):
                break
            target = loop
        if target is None:
            return
        statement = statement_of(target)
        if any(v.start_byte >= statement.start_byte for v in values):
            return  # bound after (or inside) the loop statement: not the list the loop sees
        if container.type == "identifier" and _mutated_in_closure(scope, name):
            return
        if values and all(is_list_value(v) or is_tuple_value(v) for v in values):
            kind = "tuple" if all(is_tuple_value(v) for v in values) else "list"
            message = f"`{name}` is a {kind}: each `in` test scans it; build a set once before the loop"
        else:  # say where the fact came from
            message = f"{fact.source}: each `in` test scans the {fact.kind}; build a set once before the loop"
        fix = None
        new_name = fresh_name(scope, f"{name.rsplit('.', 1)[-1]}_set")
        insert = insert_statement_before(ctx.source, statement, f"{new_name} = set({name})")
        if insert is not None:
            edits = [insert]
            for other in walk(target):
                other_parts = membership_parts(other)
                if other_parts and other_parts[2].type == container.type and ctx.text(other_parts[2]) == name:
                    if enclosing_scope(other) == scope:
                        edits.append(replace_node(other_parts[2], new_name))
            title = f"Build `{new_name} = set({name})` before the loop"
            if any(_unhashable_elements(v) for v in values):
                ctx.report(node, f"{message} (no automatic fix: its elements are lists, sets or dicts, which a set cannot hold)")
                return
            if not all(_hashable_elements(v) for v in values):
                title += " (unsafe: elements may be unhashable)"
            fix = make_fix(title, edits, Applicability.UNSAFE)
        ctx.report(node, message, fix)


def _changed_in(loop: Node, container: Node, name: str) -> bool:
    """The loop may change the container: a mutating call or assignment on the name, or, for
    ``self.x``, any other use of ``self.x`` or a call of a method on ``self``."""
    if container.type == "identifier":
        return name in mutated_names(loop)
    text = container.text
    for current in walk(loop):
        if current.type == "attribute" and current.text == text:
            parent = current.parent
            parts = membership_parts(parent) if parent is not None else None
            if parts is None or parts[2] != current:
                return True
        elif current.type == "call":
            function = current.child_by_field_name("function")
            if function is not None and function.type == "attribute" and function.child_by_field_name("object") is not None \
                    and function.child_by_field_name("object").text == b"self":
                return True
    return False


_CONSTANT_TYPES = frozenset({"string", "concatenated_string", "integer", "float", "true", "false", "none"})
_STR_METHODS_RETURNING_STR_LISTS = frozenset({"split", "rsplit", "splitlines"})


def _hashable_elements(value: Node) -> bool:
    """Evidence that every element of ``value`` is hashable: a display of constants (or tuples of
    constants), ``s.split(...)``-like calls (strings), ``range(...)`` or ``list(range(...))``."""
    if value.type in ("list", "tuple"):
        return all(
            c.type in _CONSTANT_TYPES or (c.type == "tuple" and all(g.type in _CONSTANT_TYPES for g in c.named_children))
            for c in value.named_children
            if c.type != "comment"
        )
    if value.type == "call":
        function = value.child_by_field_name("function")
        if function is not None and function.type == "attribute":
            attribute = function.child_by_field_name("attribute")
            return attribute is not None and attribute.text.decode() in _STR_METHODS_RETURNING_STR_LISTS
        if function is not None and function.type == "identifier" and function.text.decode() in ("list", "tuple", "sorted"):
            args = value.child_by_field_name("arguments")
            inner = [c for c in args.named_children if c.type != "comment"] if args is not None else []
            return len(inner) == 1 and inner[0].type == "call" and (
                identifier_text(inner[0].child_by_field_name("function")) == "range" or _hashable_elements(inner[0])
            )
        return function is not None and identifier_text(function) == "range"
    return False


_UNHASHABLE_DISPLAYS = frozenset({"list", "set", "dictionary", "list_comprehension", "set_comprehension", "dictionary_comprehension"})


def _unhashable_elements(value: Node) -> bool:
    """The list is built from lists, sets or dicts (``[list(r) for r in grid]``, ``[[a, b], ...]``):
    a set of them raises ``TypeError``."""
    if value.type == "list_comprehension":
        body = value.named_children[0] if value.named_children else None
        return body is not None and (
            body.type in _UNHASHABLE_DISPLAYS or (body.type == "call" and identifier_text(body.child_by_field_name("function")) in ("list", "set", "dict"))
        )
    if value.type == "list":
        return any(c.type in _UNHASHABLE_DISPLAYS for c in value.named_children)
    return False


def _mutated_in_closure(scope: Node, name: str) -> bool:
    for child in walk(scope):
        if child != scope and child.type in ("function_definition", "lambda") and name in mutated_names(child):
            return True
    return False
