"""HS310: ``sep.join(x for x in items)``: ``str.join`` turns the generator into a list anyway."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.tree import ancestors, walk
from hasten.analyzers.syntax.values import may_raise_stop_iteration

def _is_plain_string(node: Node) -> bool:
    if node.type == "string":
        return not any(c.type == "interpolation" for c in node.named_children)
    if node.type == "concatenated_string":
        return all(_is_plain_string(c) for c in node.named_children)
    return False


def _quiet_calls(generator: Node) -> bool:
    """True when nothing run inside the generator can raise StopIteration. The first iterable is
    evaluated outside it, so its calls do not count."""
    first = next((c for c in generator.named_children if c.type == "for_in_clause"), None)
    outside = first.child_by_field_name("right") if first is not None else None
    return not may_raise_stop_iteration(generator, outside)


def _runs_once(node: Node) -> bool:
    """Module and class bodies run once at import; exception and assert messages are built on the
    failure path only. A join there is not worth a finding."""
    for parent in ancestors(node):
        if parent.type in ("raise_statement", "assert_statement"):
            return True
        if parent.type in ("function_definition", "lambda"):
            return False
        if parent.type in ("module", "class_definition"):
            return True
    return True


def _costly_fstring(node: Node) -> bool:
    """An f-string with several fields or a format spec: its cost hides the generator's."""
    if node.type != "string":
        return False
    fields = [c for c in node.named_children if c.type == "interpolation"]
    return len(fields) > 1 or any(c.type == "format_specifier" for f in fields for c in walk(f))


def _copied_iterable(generator: Node) -> Node | None:
    """The iterable of ``(x for x in xs)``, a generator that yields each item unchanged."""
    parts = [c for c in generator.named_children if c.type != "comment"]
    if len(parts) != 2 or parts[1].type != "for_in_clause":
        return None
    body, clause = parts
    target = clause.child_by_field_name("left")
    iterable = clause.child_by_field_name("right")
    if target is None or iterable is None or body.type != "identifier" or target.type != "identifier":
        return None
    if body.text != target.text or any(c.type == "async" for c in clause.children):
        return None
    if iterable.type in ("expression_list",) or any(c.type == "comment" for c in walk(generator)):
        return None
    return iterable


class JoinOnGenerator(Rule):
    code = "HS310"
    name = "join-on-generator"
    family = "idioms"
    summary = "`str.join` on a generator builds a list first anyway; a list comprehension is faster"
    what = """
Flags `"sep".join(<generator expression>)` on a string literal, inside a function, when the
generator's items are cheap to compute (no calls but builtins and string methods, no f-string with
several fields). Joins that run once (module or class body) or only on a failure path (`raise`,
`assert`) are left alone.
"""
    why = """
`str.join` needs the length of its input before it copies, so it first turns a generator into a
list; resuming the generator for every item costs more than a list comprehension appending
directly. Measured with `benchmarks/rules/bench_hs310.py` on CPython 3.11: joining 1,000 short
strings takes about 35 µs from a generator and 13 µs from a list comprehension (≈2.6× faster;
≈1.7× at 100); with `str(v)` per item ≈1.1–1.2×. The gain is a fixed cost per item, so it
shrinks when each item is expensive to compute (an f-string with several fields gains almost
nothing).
"""
    example = """
def csv_line(values):
    return ",".join(str(v) for v in values)
"""
    use_instead = """
def csv_line(values):
    return ",".join([str(v) for v in values])
"""
    fix_safety = """
The fix is safe: the rule fires only when the generator calls nothing but builtins and string
methods, so no `StopIteration` can escape from it (inside a generator that becomes a
`RuntimeError`, while a list comprehension lets it through), and `str.join` consumes the whole
generator before it joins anyway. A generator that only copies (`x for x in xs`) becomes the
iterable itself, `sep.join(xs)`, rather than a comprehension that only copies (which ruff's C416
would flag next).
"""
    preview_reason = """
Judged precision on real code is below 80%: cold paths (error messages, reprs) dominate the
hits.
"""
    fix_availability = FixAvailability.ALWAYS
    status = Status.PREVIEW  # judged precision 7/10 on real code: cold paths dominate
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        mc = method_call(node)
        if mc is not None:
            return  # ``sep.join((...))``: arguments are an argument_list
        func = node.child_by_field_name("function")
        generator = node.child_by_field_name("arguments")
        if func is None or func.type != "attribute" or generator is None or generator.type != "generator_expression":
            return
        receiver = func.child_by_field_name("object")
        attribute = func.child_by_field_name("attribute")
        if receiver is None or attribute is None or ctx.text(attribute) != "join" or not _is_plain_string(receiver):
            return
        if any(n.type in ("async", "await") for n in walk(generator)):
            return
        if _runs_once(node):
            return
        if not _quiet_calls(generator):
            return  # user code per item: little to gain, and the fix would not be safe
        if any(_costly_fstring(n) for n in walk(generator)):
            return  # formatting dominates: the list comprehension gains almost nothing
        iterable = _copied_iterable(generator)
        if iterable is not None:
            # ``(x for x in xs)`` only copies: join ``xs`` itself (a list comprehension that
            # copies is what ruff's C416 flags next).
            fix = make_fix(
                f"Join `{ctx.text(iterable)}` directly",
                [Edit(generator.start_byte, generator.end_byte, f"({ctx.text(iterable)})")],
                Applicability.SAFE,
            )
            ctx.report(node, "`str.join` turns a generator into a list first; this one only copies, join the iterable directly", fix)
            return
        safe = True
        fix = make_fix(
            "Join a list comprehension",
            [
                Edit(generator.start_byte + 1, generator.start_byte + 1, "["),
                Edit(generator.end_byte - 1, generator.end_byte - 1, "]"),
            ],
            Applicability.SAFE if safe else Applicability.UNSAFE,
        )
        ctx.report(node, "`str.join` turns a generator into a list first; join a list comprehension", fix)
