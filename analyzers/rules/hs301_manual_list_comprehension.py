"""HS301: a ``for`` loop whose only effect is ``out.append(...)``."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rewrite import node_has_comment
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_arguments, method_call, uses_dynamic_scope
from hasten.analyzers.syntax.comments import comment_nodes_in_range
from hasten.analyzers.syntax.control import exception_keeps_partial_state, in_exception_handler_scope
from hasten.analyzers.syntax.scope import (
    bound_names,
    deleted_outside,
    name_uses,
    parameter_names,
    proven_bindings,
    target_names,
)
from hasten.analyzers.syntax.loops import Clause, loop_clauses
from hasten.analyzers.syntax.factdocs import size_facts_doc
from hasten.analyzers.syntax.sizes import size_evidence
from hasten.analyzers.syntax.tree import enclosing_scope, statement_expression, strip_parens, walk
from hasten.analyzers.syntax.values import is_list_value

# Operands of a comprehension's `in` and `if` are "or-tests": these need parentheses there.
_NEEDS_PARENS = frozenset({"conditional_expression", "lambda", "named_expression", "expression_list", "yield"})
_TARGET_TYPES = frozenset({"identifier", "pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "parenthesized_expression"})


@dataclass
class _Shape:
    clauses: list[Clause]
    append: Node  # the `out.append(x)` call
    receiver: str
    element: Node


def _shape(loop: Node) -> _Shape | None:
    """The loop as comprehension clauses, or None when its body does more than append."""
    chain = loop_clauses(loop)
    if chain is None:
        return None
    clauses, statement = chain
    for kind, target, _, _ in clauses:
        if kind == "for" and any(n.is_named and n.type not in _TARGET_TYPES for n in walk(target)):
            return None
    call = statement_expression(statement)
    mc = method_call(call) if call is not None else None
    if mc is None:
        return None
    receiver, method, _ = mc
    if method != "append" or receiver.type != "identifier":
        return None
    args, keywords = call_arguments(call)
    if args is None or keywords or len(args) != 1:
        return None
    return _Shape(clauses, call, receiver.text.decode(), args[0])


def _comments(ctx: Context, start: int, end: int) -> tuple[str, str] | None:
    """Comments inside bytes ``start:end``, to keep when that code is replaced by one statement:
    (text to put above it, one line per own-line comment, ending in a newline and ``indent``
    placeholder), (text to put after it on its line). None when a comment cannot be kept."""
    above, trailing = [], []
    for comment in comment_nodes_in_range(ctx.source.tree.root_node, start, end):
        line = ctx.source.line_of_byte(comment.start_byte)
        before = ctx.source.slice(ctx.source.line_starts[line], comment.start_byte)
        (above if not before.strip() else trailing).append(ctx.text(comment))
    return "\n".join(above), "  ".join(trailing)


def _may_read_unbound_local(scope: Node, loop: Node, shape: _Shape, targets: set[str]) -> bool:
    """True when the code moved into the comprehension reads a local of the function that is not
    surely bound yet. Reading it unbound raises UnboundLocalError in the loop but NameError in a
    comprehension (there it is a free variable), so the fix would change the exception's type."""
    body = scope.child_by_field_name("body")
    if body is None:
        return True
    local = bound_names(body) - parameter_names(scope)
    # Everything but the first iterable runs inside the comprehension's own scope.
    moved = [shape.element] + [clause[1] for clause in shape.clauses if clause[0] == "if"]
    moved += [clause[2] for clause in shape.clauses[1:] if clause[0] == "for"]
    read = {n.text.decode() for part in moved for n in walk(part) if n.type == "identifier"}
    for name in (read & local) - targets:
        if not _assigned_before(loop, name):
            return True
    return False


def _assigned_before(statement: Node, name: str) -> bool:
    """``name = ...`` is an earlier statement of ``statement``'s block or of an enclosing block."""
    current = statement
    while current is not None:
        sibling = current.prev_named_sibling
        while sibling is not None:
            if sibling.type == "expression_statement" and sibling.named_child_count == 1:
                assign = sibling.named_children[0]
                left = assign.child_by_field_name("left") if assign.type == "assignment" else None
                if left is not None and name in target_names(left) and assign.child_by_field_name("right") is not None:
                    return True
            sibling = sibling.prev_named_sibling
        block = current.parent
        if block is None or block.type != "block":
            return False
        owner = block.parent
        while owner is not None and owner.parent is not None and owner.parent.type not in ("block", "module"):
            owner = owner.parent
        if owner is None or owner.type in ("function_definition", "class_definition", "decorated_definition"):
            return False
        current = owner
    return False


def _operand(ctx: Context, node: Node) -> str:
    text = ctx.text(node)
    return f"({text})" if strip_parens(node).type in _NEEDS_PARENS and node.type != "parenthesized_expression" else text


class ManualListComprehension(Rule):
    code = "HS301"
    name = "manual-list-comprehension"
    family = "idioms"
    summary = "A `for` loop that only appends to a list: use a list comprehension"
    what = """
Flags a `for` loop (possibly nested, possibly filtered by `if`) whose body does nothing but
`out.append(value)`, where `out` is a list the function builds. A loop that appends the loop
variable itself is a plain copy (HS305), and loops over a literal's few items are left alone.
"""
    why = """
A comprehension builds the list in specialised bytecode (`LIST_APPEND`) without looking up and
calling the `append` method per element. Measured with `benchmarks/rules/bench_hs301.py` on
CPython 3.11: ≈1.1× at 1,000 elements, no measurable gain
at 100. CPython 3.11 specialises `list.append` calls, so the speedup is small there (older
versions gain more); the rewrite is mostly about clarity.
"""
    example = """
def squares(numbers):
    result = []
    for n in numbers:
        if n % 2:
            result.append(n * n)
    return result
"""
    use_instead = """
def squares(numbers):
    result = [n * n for n in numbers if n % 2]
    return result
"""
    fix_safety = """
When `out = []` is the statement just before the loop, the fix makes it a comprehension, which
is safe inside a function when the loop variables are not used outside the loop (a
comprehension does not leave them bound) and no `lambda` in the loop captures them. It is unsafe
at module level (the loop variable is a global that other code could read), when loop
variables are read after the loop, and when the loop reads a local that may not be bound yet
(the loop would raise `UnboundLocalError`, the comprehension `NameError`). Otherwise, and inside `try`/`with`, the fix is
`out.extend([...])`, which is unsafe: if computing an item raises, the loop had already appended
the items before it and the comprehension has not. (`out.extend(<generator>)` would keep that
behaviour but is slower than the loop itself.) Comments in the replaced loop are kept: own-line comments move above the new
statement, trailing ones follow it. No fix is offered when the loop sits in a `try` body or under
`with suppress(...)` (a caught exception would leave the items appended so far in the loop's
version and none in the rewrite's), or when a later `del` deletes a loop variable; an unsafe fix's
title says when a loop variable is used outside the loop.
"""
    facts = size_facts_doc("loop's first iterable")
    preview_reason = """
Judged precision on real code is below 80%: 4 of 17 judged hits on the tuned corpus, 0 of 2 on
the tuning packages and 0 of 5 on the held-out ones were worth fixing (pooled 4 of 24). Most
loops that only append build a few items (a model's variables, one message's headers, a
metadata field), where the ~1.1× of a comprehension is irrelevant.
"""
    fix_availability = FixAvailability.SOMETIMES
    # Judged 4 of 24 hits worth fixing with the size facts (0 of 5 held out): most loops build
    # a few items. benchmarks/precision/README.md, "Size facts".
    status = Status.PREVIEW
    aliases = ("PERF401", "W8401")
    node_types = ("for_statement",)

    def visit(self, node: Node, ctx: Context) -> None:
        parent = node.parent
        if parent is not None and parent.type == "block" and parent.parent is not None and parent.parent.type == "for_statement":
            if _shape(parent.parent) is not None:
                return  # the outer loop reports the whole nest
        shape = _shape(node)
        if shape is None:
            return
        out = shape.receiver
        first_target, first_iterable = shape.clauses[0][1], shape.clauses[0][2]
        if len(shape.clauses) == 1 and first_target.type == "identifier" and shape.element.type == "identifier" \
                and shape.element.text == first_target.text:
            return  # a plain copy: `list(xs)` / `out.extend(xs)` is HS305's (PERF402) business
        if strip_parens(first_iterable).type in ("list", "tuple", "set"):
            return  # a loop over a few items written out: nothing grows with the data
        if size_evidence(first_iterable) is None:
            return  # nothing says the loop runs over data that can be large
        scope = enclosing_scope(node)
        if scope.type not in ("function_definition", "module"):
            return  # class bodies: a comprehension cannot see class-level names
        if [u for u in name_uses(node, out)] != [shape.append.child_by_field_name("function").child_by_field_name("object")]:
            return  # the loop reads the list it builds (items depend on earlier items)
        for child in walk(node):
            if child.type in ("named_expression", "yield"):
                return
        if uses_dynamic_scope(node):
            return
        if proven_bindings(scope, out, is_list_value) is None:
            return

        previous = node.prev_named_sibling
        init = None
        if previous is not None and previous.type == "expression_statement" and previous.named_child_count == 1:
            assign = previous.named_children[0]
            left, right = assign.child_by_field_name("left"), assign.child_by_field_name("right")
            if (assign.type == "assignment" and left is not None and left.type == "identifier" and left.text.decode() == out
                    and assign.child_by_field_name("type") is None and right is not None
                    and (right.type == "list" and right.named_child_count == 0)):
                init = (previous, right)
        comprehension_form = init is not None and not in_exception_handler_scope(node)

        parts = [ctx.text(shape.element)]  # any expression but a bare tuple or walrus (ruled out) fits
        targets: set[str] = set()
        for kind, first, second, is_async_for in shape.clauses:
            if kind == "for":
                targets |= target_names(first)
                parts.append(f"{'async ' if is_async_for else ''}for {ctx.text(first)} in {_operand(ctx, second)}")
            else:
                parts.append(f"if {_operand(ctx, first)}")
        inner = " ".join(parts)

        safe = scope.type == "function_definition"
        why_unsafe = ""
        for name in sorted(targets):
            if any(not (node.start_byte <= u.start_byte < node.end_byte) for u in name_uses(scope, name)):
                safe = False  # the loop variable is read (or bound) elsewhere: it would stop leaking
                why_unsafe = why_unsafe or f" (unsafe: `{name}` is used outside the loop)"
        # Known to break: a later ``del`` of the loop variable, or an exception caught around the
        # loop (the comprehension keeps none of the items appended before it).
        blocked = any(deleted_outside(scope, name, node) for name in targets) or exception_keeps_partial_state(node)
        if any(c.type == "lambda" for c in walk(node)):
            safe = False
        if safe and _may_read_unbound_local(scope, node, shape, targets):
            safe = False

        kept = _comments(ctx, (init[0].start_byte if comprehension_form else node.start_byte), node.end_byte)
        above, trailing = kept
        nl = ctx.source.newline
        indent = ctx.source.indent_of_line(ctx.source.line_of_byte(node.start_byte))
        above_text = "".join(f"{line}{nl}{indent}" for line in above.split("\n")) if above else ""
        trailing_text = f"  {trailing}" if trailing else ""
        if comprehension_form:
            statement, right = init
            edits = [Edit(right.start_byte, node.end_byte, f"[{inner}]{trailing_text}")]
            if above_text:
                edits.append(Edit(statement.start_byte, statement.start_byte, above_text))
            title = f"Build `{out}` with a list comprehension"
            message = f"This loop only appends to `{out}`: build it with a list comprehension"
        else:
            # A generator would keep the partial-append behaviour but is slower than the loop
            # (measured); a list is faster but drops the items appended before an exception.
            text = f"{out}.extend([{inner}])"
            safe = False
            edits = [Edit(node.start_byte, node.end_byte, f"{above_text}{text}{trailing_text}")]
            title = f"Replace the loop with `{out}.extend(...)`"
            message = f"This loop only appends to `{out}`: extend it with a list comprehension"
        fix = make_fix(title + ("" if safe else why_unsafe), edits, Applicability.SAFE if safe else Applicability.UNSAFE)
        if blocked:
            fix = None
        copied = [shape.element] + [part for clause in shape.clauses for part in clause[1:3] if part is not None]
        if any(node_has_comment(ctx.source, part) for part in copied):
            fix = None  # a comment inside a copied expression would end up in the middle of a line twice
        ctx.report(shape.append, message, fix)
