"""HS103: a string built with ``+=`` inside a loop."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rewrite import fresh_name, insert_statement_after, insert_statement_before, node_has_comment
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import uses_dynamic_scope
from hasten.analyzers.syntax.comments import keep_comments
from hasten.analyzers.syntax.control import exception_keeps_partial_state, in_exception_handler_scope
from hasten.analyzers.syntax.annotations import annotation_kind
from hasten.analyzers.syntax.facts import binding_table, fact_of
from hasten.analyzers.syntax.loops import enclosing_loops, loop_clauses, repeated_loop
from hasten.analyzers.syntax.scope import (
    bound_names_shallow,
    name_uses,
    parameter_names,
    target_names,
    used_in_nested_scope,
)
from hasten.analyzers.syntax.factdocs import size_facts_doc
from hasten.analyzers.syntax.sizes import loop_size_evidence
from hasten.analyzers.syntax.tree import ancestors, enclosing_scope, statement_expression, walk_same_scope
from hasten.analyzers.syntax.values import is_str_literal, is_str_value

_BINDING_KINDS = (
    "for_statement", "for_in_clause", "named_expression", "as_pattern", "delete_statement",
    "import_statement", "import_from_statement", "global_statement", "nonlocal_statement", "except_clause",
)


def _clause_operand(ctx: Context, node: Node) -> str:
    """An iterable or condition as a comprehension clause takes it (no bare conditional
    expression, lambda, walrus or tuple)."""
    text = ctx.text(node)
    return f"({text})" if node.type in ("conditional_expression", "lambda", "named_expression", "expression_list") else text


def _is_concat(node: Node, name: str) -> bool:
    """``name += <value>`` as a statement of its own. The value need not be proven a ``str``:
    once ``name`` is proven a string, ``+=`` of anything else raises, so it stays a string (the
    fix is then unsafe: the error would come from the join instead)."""
    if node.type != "augmented_assignment":
        return False
    left, op, right = node.child_by_field_name("left"), node.child_by_field_name("operator"), node.child_by_field_name("right")
    return (
        left is not None and left.type == "identifier" and left.text.decode() == name
        and op is not None and op.type == "+=" and right is not None
        and node.parent is not None and node.parent.type == "expression_statement"
        and node.parent.parent is not None and node.parent.parent.type in ("block", "module")
    )


def proven_str(scope: Node, name: str) -> bool:
    """Every binding of ``name`` in ``scope`` is ``name = <str>`` or ``name += <str>``."""
    if scope.type == "function_definition" and name in parameter_names(scope):
        return False
    body = scope.child_by_field_name("body") if scope.type != "module" else scope
    if body is None:
        return False
    seen = False
    for current in walk_same_scope(body):
        kind = current.type
        if kind == "assignment":
            left = current.child_by_field_name("left")
            if left is not None and left.type == "identifier" and left.text.decode() == name:
                right = current.child_by_field_name("right")
                if right is None or not is_str_value(right):
                    return False
                seen = True
            elif left is not None and name in target_names(left):
                return False
        elif kind == "augmented_assignment":
            left = current.child_by_field_name("left")
            if left is not None and left.type == "identifier" and left.text.decode() == name and not _is_concat(current, name):
                return False
        elif kind in _BINDING_KINDS and name in bound_names_shallow(current):
            return False
    return seen


def _valid_region(loop: Node, name: str) -> bool:
    """Inside ``loop`` the name only appears as the target of ``name += <str>``."""
    for use in name_uses(loop, name):
        parent = use.parent
        if parent is None or not (_is_concat(parent, name) and parent.child_by_field_name("left") == use):
            return False
    return True


def _append_only_loop(concat: Node, region: Node) -> Node | None:
    """The outermost ``for`` loop around ``concat`` (inside ``region``) that would hold nothing
    but the ``append`` replacing it (``for``/``if`` nests aside): the shape ruff's PERF401/PERF402
    flag. None when there is none."""
    statement = concat.parent
    found = None
    for parent in ancestors(statement):
        if parent.type == "for_statement":
            shape = loop_clauses(parent)
            if shape is None or shape[1] != statement:
                break
            found = parent
        elif parent.type != "if_statement" and parent.type != "block":
            break
        if parent == region:
            break
    return found


def _comprehension(ctx: Context, clauses, right: Node) -> str:
    """``[part for ... if ...]`` over a loop nest's clauses, or the iterable itself when the part
    is the only loop variable (a comprehension that only copies is what ruff's C416 flags)."""
    if len(clauses) == 1 and not clauses[0][3] and ctx.text(clauses[0][1]) == ctx.text(right):
        return _clause_operand(ctx, clauses[0][2])
    element = ctx.text(right)
    if right.type in ("lambda", "named_expression", "expression_list"):
        element = f"({element})"
    parts = [element]
    for kind, first, second, is_async_for in clauses:
        if kind == "for":
            parts.append(f"{'async ' if is_async_for else ''}for {ctx.text(first)} in {_clause_operand(ctx, second)}")
        else:
            parts.append(f"if {_clause_operand(ctx, first)}")
    return f"[{' '.join(parts)}]"


def _binding_before(region: Node, name: str, scope: Node) -> Node | None:
    """The nearest ``name = ...`` statement that runs before ``region`` on every path: an earlier
    statement of the same block, or of an enclosing block in the same scope."""
    current = region
    while True:
        sibling = current.prev_named_sibling
        while sibling is not None:
            if sibling.type == "expression_statement" and sibling.named_child_count == 1:
                assign = sibling.named_children[0]
                target = assign.child_by_field_name("left")
                if assign.type == "assignment" and target is not None and target.type == "identifier" and target.text.decode() == name:
                    return sibling
            sibling = sibling.prev_named_sibling
        block = current.parent
        if block is None or block.type != "block":
            return None
        owner = block.parent  # for/while/if/try/with, or one of their clauses
        while owner is not None and owner.parent is not None and owner.parent.type not in ("block", "module"):
            owner = owner.parent
        if owner is None or owner == scope or owner.type in ("function_definition", "class_definition", "decorated_definition"):
            return None
        current = owner


def _annotated_str_parameter(scope: Node, name: str) -> str | None:
    """Where the fact comes from when ``name`` is a parameter annotated ``str`` that the function
    only extends with ``+=``; None otherwise."""
    bindings = binding_table(scope).get(name, []) if scope.type == "function_definition" else []
    params = [b for b in bindings if b.how == "param"]
    if len(params) != 1 or params[0].value is None or annotation_kind(params[0].value) is None:
        return None
    kind, text = annotation_kind(params[0].value)  # type: ignore[misc]
    if kind != "str":
        return None
    for b in bindings:
        if b.how != "param" and not (b.statement is not None and _is_concat(b.statement, name)):
            return None
    return f"`{name}` is annotated `{text}`"


class StringConcatInLoop(Rule):
    code = "HS103"
    name = "string-concat-in-loop"
    family = "complexity"
    summary = "String built with `+=` in a loop: collect the parts and `\"\".join` them"
    what = """
Flags `s += <string>` inside a loop when `s` is a string the function builds (every binding is a
string) and the loop does nothing else with it.
"""
    why = """
Strings are immutable, so `s += t` may copy everything built so far: O(n²) for n pieces.
CPython often avoids the copy by resizing in place when nothing else refers to `s`, but that
is an implementation detail (PyPy and other interpreters do not do it, and a second reference
such as an attribute, a closure or a debugger defeats it). Collecting the parts in a list and
joining once is linear everywhere. Measured with `benchmarks/rules/bench_hs103.py` on
CPython 3.11: joining is ≈2× faster for 1,000 pieces built into a local string
(also 2× at 100); when the string is an attribute, so the in-place resize cannot happen, 10,000
pieces take 26.5 ms against 0.17 ms (≈150×).
"""
    example = """
def render(rows):
    html = ""
    for row in rows:
        html += f"<li>{row}</li>"
    return html
"""
    use_instead = """
def render(rows):
    html_parts = []
    for row in rows:
        html_parts.append(f"<li>{row}</li>")
    html = "".join(html_parts)
    return html
"""
    fix_safety = """
The fix is safe inside a function when the loop is not inside `try` or `with` (an exception
there could expose the string before it is joined) and no nested function reads the string.
At module level it is unsafe: functions called from the loop could read the global string
before it is joined. No fix is offered when a comment sits inside a replaced `+=` statement.
When the loop (with `if` filters) has `s += part` as its only statement and no loop variable
is read after it, the fix is `s = "".join([part for ...])` when `s = ""` directly precedes the
loop, else `s += "".join([part for ...])` (`"".join(xs)` when the part is the loop variable);
it is safe only when every part is proven a `str`. Where such a loop cannot become a join (a
loop variable read after it, an exception that could expose the half-built string), no fix is
offered: the append loop left behind is what ruff's PERF401/PERF402 flag next. In the list
fix, an inner loop that would only append becomes one `parts.extend([...])`. At module level
the join is unsafe (a function called from the loop could read the global string).
"""
    facts = """
The string must be proven by the code: every binding of the name in its scope is a `str`
(a literal, an f-string, `str(...)`, a `str` method, `%` formatting) or `+=` of a value; once a
name is proven a `str`, `+=` of anything else raises, so it stays a `str`. The fix is safe only
when every added part is itself proven a `str`. Module-level code and
`if __name__ == "__main__":` blocks are analysed like a function body.
A string attribute (`self.text`, when every assignment in the class is a `str`) and a parameter
annotated `str` that the function only extends are reported without a fix.
""" + size_facts_doc("iterable of one of the loops around it")
    preview_reason = """
Judged precision on real code is below 80%: 0 of 12 judged hits on the tuned corpus and 0 of 6 on
the held-out packages were worth fixing. The strings built with `+=` in libraries are short (a
line, a route's pattern, a version specifier) and CPython resizes a local string in place, so
the gain is about 2× at best and rarely on a hot path. String attributes and annotated `str`
parameters, where no in-place resize happens, are reported too (no real-code hit yet).
"""
    fix_availability = FixAvailability.SOMETIMES
    # Judged 0 of 18 hits worth fixing with the size facts (0 of 6 held out): the strings are
    # short and CPython resizes a local string in place. benchmarks/precision/README.md.
    status = Status.PREVIEW
    aliases = ()
    node_types = ("augmented_assignment",)

    def visit(self, node: Node, ctx: Context) -> None:
        left = node.child_by_field_name("left")
        if left is None or left.type not in ("identifier", "attribute"):
            return
        name = ctx.text(left)
        if left.type == "attribute":
            self._visit_attribute(node, left, name, ctx)
            return
        if not _is_concat(node, name):
            return
        loops = enclosing_loops(node)
        if not loops or loops[0].type not in ("for_statement", "while_statement"):
            return
        if repeated_loop(node) is None:
            return  # a loop over a few fixed items, an error path or a display method
        if not any(loop_size_evidence(loop) for loop in loops):
            return  # nothing says the loop runs over data that can be large: a short string
        scope = enclosing_scope(node)
        if scope.type not in ("function_definition", "module"):
            return
        if not _valid_region(loops[0], name):
            return
        if not proven_str(scope, name):
            source = _annotated_str_parameter(scope, name)
            if source is None:
                return
            # an annotated `str` parameter: the caller holds a reference, so no in-place resize
            ctx.report(node, f"{source}: `{name} +=` in a loop copies the string each time (the caller's "
                             "reference stops CPython resizing it in place): collect the parts and `\"\".join` them")
            return
        region = loops[0]
        for loop in loops[1:]:
            if loop.type not in ("for_statement", "while_statement") or not _valid_region(loop, name):
                break
            region = loop
        if used_in_nested_scope(scope, name):
            return  # a closure could read the string while the loop builds it
        message = f"`{name}` is a string built with `+=` in a loop: append the parts to a list and `\"\".join` them"
        initial = _binding_before(region, name, scope)
        if initial is None:
            # bound before the outer loop and reassigned between the nested loops
            # (`out = out[:-1] + "\n"`): the finding stands, the rewrite is not mechanical
            if _binding_before(loops[-1], name, scope) is None:
                return  # the string must already be bound when the loop starts
            ctx.report(node, message)
            return
        ctx.report(node, message, self._fix(ctx, scope, region, name, initial))

    def _visit_attribute(self, node: Node, left: Node, name: str, ctx: Context) -> None:
        """``self.x += <str>`` in a loop: an attribute is never resized in place, so every step
        copies the whole string (no fix: other methods may read the attribute)."""
        op = node.child_by_field_name("operator")
        if op is None or op.type != "+=" or repeated_loop(node) is None:
            return
        loops = enclosing_loops(node)
        if not loops or not any(loop_size_evidence(loop) for loop in loops):
            return
        fact = fact_of(left)
        if fact is None or fact.kind != "str":
            return
        for use in walk_same_scope(loops[0]):
            if use.type == "attribute" and use.text == left.text and use != left:
                return  # the loop reads the string it builds
        ctx.report(node, f"{fact.source}: `{name} +=` in a loop copies the whole string each time (an attribute "
                         "is never resized in place): collect the parts in a list and `\"\".join` them once")

    def _fix(self, ctx: Context, scope: Node, region: Node, name: str, initial: Node):
        joined = self._join_fix(ctx, scope, region, name, initial)
        if joined is not None:
            return joined
        source = ctx.source
        parts = fresh_name(scope, f"{name}_parts")
        edits: list[Edit] = []
        concats = [use.parent for use in name_uses(region, name)]
        for concat in concats:
            if node_has_comment(source, concat):
                return None
            right = concat.child_by_field_name("right")
            inner = _append_only_loop(concat, region)
            if inner is None:
                edits.append(Edit(concat.start_byte, concat.end_byte, f"{parts}.append({ctx.text(right)})"))
                continue
            # A loop that would only append (ruff's PERF401/PERF402) becomes one ``extend``; not
            # the whole region (that is the join above), nor a loop whose variable is read after
            # it or whose comments the rewrite would drop.
            clauses = loop_clauses(inner)[0]
            if inner == region or any(c[3] for c in clauses):
                return None
            targets: set[str] = set()
            for kind, first, _, _ in clauses:
                if kind == "for":
                    targets |= target_names(first)
            if any(not (inner.start_byte <= u.start_byte < inner.end_byte) for t in targets for u in name_uses(scope, t)):
                return None
            replacement = keep_comments(source, inner.start_byte, inner.end_byte, f"{parts}.extend({_comprehension(ctx, clauses, right)})")
            if replacement is None:
                return None
            edits.append(Edit(inner.start_byte, inner.end_byte, replacement))
        assign = initial.named_children[0]
        value = assign.child_by_field_name("right")
        if initial == region.prev_named_sibling and is_str_literal(value) and value.type == "string" and ctx.text(value) in ('""', "''") and not node_has_comment(source, initial):
            edits.append(Edit(initial.start_byte, initial.end_byte, f"{parts} = []"))
        else:
            before = insert_statement_before(source, region, f"{parts} = [{name}]")
            if before is None:
                return None
            edits.append(before)
        after = insert_statement_after(source, region, f'{name} = "".join({parts})')
        if after is None:
            return None
        edits.append(after)
        safe = (
            scope.type == "function_definition"
            and all(is_str_value(c.child_by_field_name("right")) for c in concats)
            and not in_exception_handler_scope(region)
            and not uses_dynamic_scope(region)
        )
        return make_fix(f"Collect parts in `{parts}` and join once", edits, Applicability.SAFE if safe else Applicability.UNSAFE)

    def _join_fix(self, ctx: Context, scope: Node, region: Node, name: str, initial: Node):
        """``s = ""`` then a loop (with ``if`` filters) whose only statement is ``s += part``:
        ``s = "".join([part for ...])``, the form linters accept (an append loop is what ruff's
        PERF401 flags next). None when the shape or the safety checks do not hold."""
        shape = loop_clauses(region)
        if shape is None:
            return None
        clauses, statement = shape
        concat = statement_expression(statement) if statement.type == "expression_statement" else None
        if concat is None or not _is_concat(concat, name) or len(name_uses(region, name)) != 1:
            return None
        if node_has_comment(ctx.source, concat) or any(node_has_comment(ctx.source, c[1]) for c in clauses):
            return None
        value = initial.named_children[0].child_by_field_name("right")
        # ``s = ""`` right before the loop becomes ``s = "".join(...)``; any other start keeps its
        # value and the loop becomes ``s += "".join(...)``.
        fresh_start = initial == region.prev_named_sibling and is_str_literal(value) and ctx.text(value) in ('""', "''")
        in_async_def = scope.type == "function_definition" and any(c.type == "async" for c in scope.children)
        if (any(clause[3] for clause in clauses) and not in_async_def) or exception_keeps_partial_state(region) or in_exception_handler_scope(region):
            return None
        if uses_dynamic_scope(region):
            return None
        targets: set[str] = set()
        for kind, first, _, _ in clauses:
            if kind == "for":
                targets |= target_names(first)
        if any(not (region.start_byte <= u.start_byte < region.end_byte) for t in targets for u in name_uses(scope, t)):
            return None  # a loop variable read after the loop: the comprehension would not bind it
        right = concat.child_by_field_name("right")
        joined = _comprehension(ctx, clauses, right)
        start = initial.start_byte if fresh_start else region.start_byte
        statement = f'{name} {"=" if fresh_start else "+="} "".join({joined})'
        replacement = keep_comments(ctx.source, start, region.end_byte, statement)
        if replacement is None:
            return None
        title = f'Build `{name}` with `"".join(...)`' if fresh_start else f'Add the parts to `{name}` with one `"".join(...)`'
        # Safe only when every part is proven a str (``str + obj`` may call ``obj.__radd__``, join never does).
        # At module level, functions called from the loop could read the global string.
        safe = is_str_value(right) and scope.type == "function_definition"
        return make_fix(title, [Edit(start, region.end_byte, replacement)], Applicability.SAFE if safe else Applicability.UNSAFE)
