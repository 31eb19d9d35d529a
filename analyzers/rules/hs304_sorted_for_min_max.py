"""HS304: ``sorted(x)[0]`` / ``sorted(x)[-1]`` sorts everything to take one end."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.syntax.handlers import caught_by_enclosing_handler
from hasten.analyzers.rewrite import node_has_comment, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import call_arguments, call_name
from hasten.analyzers.syntax.imports import is_builtin
from hasten.analyzers.syntax.factdocs import size_facts_doc
from hasten.analyzers.syntax.sizes import size_evidence
from hasten.analyzers.syntax.tree import strip_parens
from hasten.analyzers.syntax.values import integer_value



class SortedForMinMax(Rule):
    code = "HS304"
    name = "sorted-for-min-max"
    family = "idioms"
    summary = "`sorted(...)[0]` / `sorted(...)[-1]` sorts the whole sequence to take one end"
    what = """
Flags `sorted(x)[0]` and `sorted(x)[-1]` (also with `key=` and a literal `reverse=`), which
sort every element only to keep the smallest or the largest.
"""
    why = """
Sorting costs O(n log n) time and builds an n-element list; `min` and `max` make one O(n) pass
and allocate nothing. Measured with `benchmarks/rules/bench_hs304.py` on CPython 3.11:
`min` over 1,000 random floats is ≈4.5× faster than `sorted(...)[0]` (2× at 100); with a `key`
function ≈3.6× (1.3× at 100).
"""
    example = """
def cheapest(offers):
    return sorted(offers, key=lambda o: o.price)[0]
"""
    use_instead = """
def cheapest(offers):
    return min(offers, key=lambda o: o.price)
"""
    fix_safety = """
The fix is unsafe. On an empty input `sorted(x)[0]` raises `IndexError` but `min(x)` raises
`ValueError`, so an `except IndexError` around it would stop catching: no fix is offered inside
a `try` whose handler catches `IndexError` (or `LookupError`, `Exception`, a bare `except`) or
inside `contextlib.suppress` of those. Among elements that
compare equal but differ (`1` and `1.0`, records with equal keys), `sorted(x)[-1]` returns the
*last* one while `max(x)` returns the *first*. Values without a total order (NaN, sets compared
by inclusion) can give different answers. No fix is offered when the call contains a comment.
"""
    facts = size_facts_doc("sorted data")
    preview_reason = """
No hit to judge: with the size facts the rule did not fire on the standard library, the 14
packages of the tuned corpus or the 9 packages of the size-facts corpus (its one earlier hit, a
couple of names on an error path, is silent now). It stays in preview until real code gives
findings to judge.
"""
    fix_availability = FixAvailability.SOMETIMES
    # No hit to judge on 23 packages and the standard library with the size facts: benchmarks/precision/README.md.
    status = Status.PREVIEW
    aliases = ("FURB192",)
    node_types = ("subscript",)

    def visit(self, node: Node, ctx: Context) -> None:
        value = node.child_by_field_name("value")
        index_nodes = node.children_by_field_name("subscript")
        if value is None or len(index_nodes) != 1:
            return
        index = integer_value(index_nodes[0])
        if index not in (0, -1):
            return
        call = strip_parens(value)
        if call.type != "call" or call_name(call) != "sorted" or not is_builtin(call, "sorted"):
            return
        parent = node.parent
        if parent is not None and parent.type in ("assignment", "augmented_assignment") and parent.child_by_field_name("left") == node:
            return
        if parent is not None and parent.type == "delete_statement":
            return
        positional, keywords = call_arguments(call)
        if positional is None or keywords is None or len(positional) != 1 or set(keywords) - {"key", "reverse"}:
            return
        if size_evidence(positional[0]) is None:
            return  # nothing says the sorted data can be large: sorting a handful costs nothing
        reverse = False
        if "reverse" in keywords:
            flag = keywords["reverse"]
            if flag.type not in ("true", "false"):
                return  # a computed flag: which end is which is unknown
            reverse = flag.type == "true"
        want_max = (index == -1) != reverse
        func = "max" if want_max else "min"
        if not is_builtin(node, func):
            return
        end = "last" if index == -1 else "first"
        message = f"`sorted(...)[{index}]` sorts everything to take the {end} element; use `{func}(...)`"
        fix = None
        # On an empty input the original raises IndexError; a handler around it would stop catching.
        if not node_has_comment(ctx.source, node) and not caught_by_enclosing_handler(node, "IndexError"):
            if positional[0].type == "generator_expression" and positional[0] == call.child_by_field_name("arguments"):
                replacement = f"{func}{ctx.text(positional[0])}"  # the generator's own parentheses
            else:
                args = [ctx.text(positional[0])]
                if "key" in keywords:
                    args.append(f"key={ctx.text(keywords['key'])}")
                replacement = f"{func}({', '.join(args)})"
            fix = make_fix(f"Replace with `{func}(...)`", [replace_node(node, replacement)], Applicability.UNSAFE)
        ctx.report(node, message, fix)
