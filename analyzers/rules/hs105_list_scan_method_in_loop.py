"""HS105: ``lst.index(x)``, ``lst.count(x)`` or ``lst.remove(x)`` on a list inside a loop."""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.rule import Context, FixAvailability, Rule
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.facts import fact_of
from hasten.analyzers.syntax.loops import enclosing_loops, repeated_loop
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.scope import bindings_of
from hasten.analyzers.syntax.tree import enclosing_scope, walk
from hasten.analyzers.syntax.values import is_list_value

SCAN_METHODS = {
    "index": "use `enumerate()` while iterating, or build a dict from value to position once",
    "count": "count everything once with `collections.Counter`",
    "remove": "filter once with a comprehension, or keep the items in a set or dict",
}
SMALL_LITERAL = 8


GROWING_METHODS = frozenset({"append", "extend", "insert", "__iadd__"})


def grows_in_a_loop(function: Node, name: str) -> bool:
    """True when ``name`` is appended to, extended or ``+=``-ed inside some loop of ``function``."""
    for node in walk(function):
        if node.type == "call":
            parts = method_call(node)
            if parts and parts[0].type == "identifier" and parts[0].text.decode() == name and parts[1] in GROWING_METHODS:
                if enclosing_loops(node):
                    return True
        elif node.type == "augmented_assignment":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier" and left.text.decode() == name and enclosing_loops(node):
                return True
    return False


class ListScanMethodInLoop(Rule):
    code = "HS105"
    name = "list-scan-method-in-loop"
    family = "complexity"
    summary = "List method that scans the whole list, called inside a loop"
    what = """
Flags `lst.index(x)`, `lst.count(x)` and `lst.remove(x)` inside a loop when `lst` is known to
be a list (see "Facts it uses"). Each of these
methods walks the list from the front, so calling one per iteration makes the loop quadratic.
Lists that are small literals and never grow are skipped.
"""
    why = """
`list.index`, `list.count` and `list.remove` are linear scans. Inside a loop over data of similar
size they cost O(n²). Measured with `benchmarks/rules/bench_hs105.py` on CPython 3.11: looking up
the position of each of 1,000 items with `.index()` takes about 8.5 ms, with `enumerate()`
about 0.05 ms (≈180× faster); at 100 items the gain is ≈13×. Counting each of 1,000 items with
`.count()` instead of one `Counter` is ≈470× slower.
"""
    example = """
def positions(names):
    order = list(names)
    return {name: order.index(name) for name in order}
"""
    use_instead = """
def positions(names):
    order = list(names)
    return {name: i for i, name in reversed(list(enumerate(order)))}
"""
    fix_safety = """
No fix is offered: the right replacement (`enumerate`, a dict of first positions, a `Counter`, a
filtering comprehension) depends on what the loop does with the result.
"""
    facts = """
The kind of the receiver comes from the fact layer: a list built in the same scope (display,
comprehension, `list(...)`, `sorted(...)`), a parameter or variable annotated `list[...]`,
`List[...]` (with `Optional`/`| None`), `self.x` when every assignment in the class (and
in its subclasses in the same file) is a list, the return statements or return annotation of a
function or method in the same file, and standard-library calls with a fixed result
(`str.split`, `splitlines`, `readlines`, `re.findall`, `os.listdir`, `glob.glob`). Every binding
must agree; a name rebound to anything else is unknown and not flagged. The message says where
the fact came from. A fact from an annotation is trusted for the finding but the fix is unsafe
(or not offered) unless the code itself builds the value. Module-level code and
`if __name__ == "__main__":` blocks are analysed like a function body.
"""
    fix_availability = FixAvailability.NEVER
    aliases = ()
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        parts = method_call(node)
        if parts is None:
            return
        receiver, method, _ = parts
        if method not in SCAN_METHODS or receiver.type != "identifier":
            return
        loop = repeated_loop(node)
        if loop is None:
            return
        function = enclosing_scope(node)  # module-level code is analysed like a function body
        if function.type not in ("function_definition", "module"):
            return
        name = ctx.text(receiver)
        fact = fact_of(receiver)
        if fact is None or fact.kind != "list":
            return
        values = bindings_of(function, name) or []
        if values and all(v.type == "list" and len(v.named_children) < SMALL_LITERAL for v in values):
            if name not in mutated_names(function):
                return  # a short literal that never grows: the scan is cheap
        if values and all(v.type == "list" and not any(c.type == "list_splat" for c in v.named_children) for v in values):
            if not grows_in_a_loop(function, name):
                return  # a fixed literal, at most a few appends outside loops: bounded and small
        if any(loop.start_byte <= v.start_byte < loop.end_byte for v in values):
            return  # rebuilt on every iteration: the scan costs no more than building it
        proven = bool(values) and all(is_list_value(v) for v in values)
        source = "" if proven else f"{fact.source}: "
        message = f"{source}`{name}.{method}()` scans the list on every iteration; {SCAN_METHODS[method]}"
        ctx.report(node, message)
