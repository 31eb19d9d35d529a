"""HS313: ``any(x == value for x in items)`` re-implements ``value in items`` in Python."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rewrite import names_in
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.comments import comments_in_range
from hasten.analyzers.syntax.scope import bound_anywhere
from hasten.analyzers.syntax.tree import is_simple_expression


def _equality(node: Node, operator: str) -> tuple[Node, Node] | None:
    if node.type != "comparison_operator" or node.named_child_count != 2:
        return None
    operators = [c.type for c in node.children if not c.is_named]
    if operators != [operator]:
        return None
    return node.named_children[0], node.named_children[1]


class AnyEqualityScan(Rule):
    code = "HS313"
    name = "any-equality-scan"
    family = "idioms"
    summary = "`any(x == v for x in items)` is `v in items` done in Python"
    what = """
Flags `any(x == value for x in items)` (→ `value in items`) and `all(x != value for x in items)`
(→ `value not in items`), where `x` is the loop variable and `value` a name, attribute or
constant that does not mention it.
"""
    why = """
The generator resumes a Python frame and runs a comparison in bytecode for every item; `in` runs
the same comparisons in one C loop. Measured with `benchmarks/rules/bench_hs313.py` on CPython
3.11 with the value halfway: 1,000 integers take about 11.5 µs with the generator and 4 µs with
`in` (≈2.8× faster; ≈3.7× at 100); a full scan of 1,000 strings ≈3.2×.
"""
    example = """
def is_member(user, members):
    return any(m == user for m in members)
"""
    use_instead = """
def is_member(user, members):
    return user in members
"""
    fix_safety = """
The fix is unsafe: `in` tests identity before equality, so an object that is not equal to itself
(a float NaN) is found by `in` but not by `==`; and a container's own `__contains__` may answer
differently from iterating it.
"""
    preview_reason = """
On fresh code the scans run over a few items (the ancestors of one class, the names of one
assignment); only a hot per-token call was worth fixing. Pooled below the 80% bar
(docs/rules.md).
"""
    fix_availability = FixAvailability.SOMETIMES
    status = Status.PREVIEW
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        func = node.child_by_field_name("function")
        generator = node.child_by_field_name("arguments")
        if func is None or func.type != "identifier" or generator is None or generator.type != "generator_expression":
            return
        name = ctx.text(func)
        if name not in ("any", "all"):
            return
        body = generator.child_by_field_name("body")
        clauses = [c for c in generator.named_children if c != body and c.type != "comment"]
        if body is None or len(clauses) != 1 or clauses[0].type != "for_in_clause":
            return
        clause = clauses[0]
        if any(c.type == "async" for c in clause.children):
            return
        target = clause.child_by_field_name("left")
        items = clause.child_by_field_name("right")
        if target is None or items is None or target.type != "identifier":
            return
        parts = _equality(body, "==" if name == "any" else "!=")
        if parts is None:
            return
        loop_var = ctx.text(target)
        left, right = parts
        if left.type == "identifier" and ctx.text(left) == loop_var:
            value = right
        elif right.type == "identifier" and ctx.text(right) == loop_var:
            value = left
        else:
            return
        if loop_var in names_in(value) or not is_simple_expression(value):
            return
        if bound_anywhere(node, name):
            return
        operator = "in" if name == "any" else "not in"
        fix = None
        if not comments_in_range(node, node.start_byte, node.end_byte):
            items_text = ctx.text(items)
            if items.type in ("conditional_expression", "lambda", "boolean_operator", "not_operator",
                              "comparison_operator", "named_expression"):
                items_text = f"({items_text})"
            replacement = f"{ctx.text(value)} {operator} {items_text}"
            parent = node.parent
            if parent is not None and parent.type not in ("return_statement", "expression_statement",
                                                          "assignment", "argument_list", "parenthesized_expression",
                                                          "if_statement", "while_statement", "elif_clause"):
                replacement = f"({replacement})"
            fix = make_fix(f"Replace with `{operator}`", [Edit(node.start_byte, node.end_byte, replacement)],
                           Applicability.UNSAFE)
        ctx.report(node, f"`{name}(...)` over an equality test re-implements `{operator}`; use `{operator}`", fix)
