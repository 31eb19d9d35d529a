"""HS202: ``re.compile(<literal>)`` or ``re.match/search/sub/...(<literal>, ...)`` inside a loop."""

from __future__ import annotations

import ast
import re
import warnings

from tree_sitter import Node

from hasten.analyzers.finding import Applicability
from hasten.analyzers.rewrite import fresh_name, insert_statement_before, replace_node
from hasten.analyzers.rule import Context, FixAvailability, Rule, Status, make_fix
from hasten.analyzers.syntax.calls import method_call
from hasten.analyzers.syntax.comments import has_comment
from hasten.analyzers.syntax.imports import is_module_name
from hasten.analyzers.syntax.loops import enclosing_loops, repeated_loop
from hasten.analyzers.syntax.tree import enclosing_scope, statement_of, walk

# Method -> (positional parameters after the pattern, index of a positional ``flags``).
RE_FUNCTIONS = {
    "compile": ((), 1),
    "match": (("string",), 2),
    "search": (("string",), 2),
    "fullmatch": (("string",), 2),
    "findall": (("string",), 2),
    "finditer": (("string",), 2),
    "split": (("string", "maxsplit"), 3),
    "sub": (("repl", "string", "count"), 4),
    "subn": (("repl", "string", "count"), 4),
}
PASS_THROUGH_KEYWORDS = frozenset({"string", "repl", "count", "maxsplit"})


def literal_value(node: Node):
    """The value of a plain (non-f) string or bytes literal, or None."""
    if node.type not in ("string", "concatenated_string"):
        return None
    if any(n.type == "interpolation" for n in walk(node)):
        return None
    try:
        value = ast.literal_eval(node.text.decode("utf-8", errors="surrogatepass"))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, (str, bytes)) else None


def flags_value(node: Node) -> int | None:
    """The value of a flags expression made of ``re.NAME`` constants, ``|`` and ``0``. Iterative:
    flags can nest as deep as the source does (50,000 parentheses or ``|`` terms)."""
    value = 0
    stack = [node]
    # Every operand sits in the flags' scope, found once here: walking up from a deep operand
    # would cost its depth squared (``Node.parent`` costs the depth). Whether a name is the
    # ``re`` module is then asked once per name.
    scope = enclosing_scope(node)
    is_re: dict[bytes, bool] = {}
    while stack:
        node = stack.pop()
        if node.type == "integer" and node.text == b"0":
            continue
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            stack.append(node.named_children[0])
            continue
        if node.type == "binary_operator":
            op = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op is None or op.type != "|" or left is None or right is None:
                return None
            stack += (right, left)
            continue
        if node.type == "attribute":
            obj = node.child_by_field_name("object")
            attr = node.child_by_field_name("attribute").text.decode()
            if obj is not None and obj.text not in is_re:
                is_re[obj.text] = is_module_name(obj, "re", scope)
            if obj is not None and is_re[obj.text] and attr.isupper() and isinstance(getattr(re, attr, None), re.RegexFlag):
                value |= int(getattr(re, attr))
                continue
        return None
    return value


def compiles_cleanly(pattern, flags: int) -> bool:
    """The pattern compiles here without error or warning; then hoisting cannot raise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            re.compile(pattern, flags)
    except Exception:
        return False
    return True


class RegexCall:
    """A ``re.<function>(<literal>, ...)`` call split into the parts a rewrite needs."""

    def __init__(self, node: Node, method: str, pattern: Node, rest: list[Node], flags: Node | None):
        self.node = node
        self.method = method
        self.pattern = pattern
        self.rest = rest  # arguments that stay, in order
        self.flags = flags

    def key(self) -> tuple[bytes, bytes]:
        return self.pattern.text, self.flags.text if self.flags is not None else b""


def parse_regex_call(node: Node) -> RegexCall | None:
    parts = method_call(node)
    if parts is None:
        return None
    receiver, method, args = parts
    if method not in RE_FUNCTIONS or not is_module_name(receiver, "re"):
        return None
    children = [c for c in args.named_children if c.type != "comment"]
    if not children or children[0].type in ("keyword_argument", "list_splat", "dictionary_splat"):
        return None
    pattern, rest_nodes = children[0], children[1:]
    if literal_value(pattern) is None:
        return None
    params, flags_index = RE_FUNCTIONS[method]
    flags = None
    rest: list[Node] = []
    positional = 1
    for child in rest_nodes:
        if child.type in ("list_splat", "dictionary_splat"):
            return None
        if child.type == "keyword_argument":
            name = child.child_by_field_name("name").text.decode()
            if name == "flags":
                flags = child.child_by_field_name("value")
            elif name in PASS_THROUGH_KEYWORDS and name in params:
                rest.append(child)
            else:
                return None
            continue
        if positional == flags_index:
            flags = child
        elif positional - 1 < len(params):
            rest.append(child)
        else:
            return None
        positional += 1
    return RegexCall(node, method, pattern, rest, flags)


class RegexCompileInLoop(Rule):
    code = "HS202"
    name = "regex-compile-in-loop"
    family = "loops"
    summary = "Regular expression with a constant pattern is looked up or compiled on every iteration"
    what = """
Flags `re.compile(<literal>)` and the module-level helpers `re.match`, `re.search`,
`re.fullmatch`, `re.findall`, `re.finditer`, `re.split`, `re.sub` and `re.subn` called with a
literal pattern inside a loop, where `re` is the standard module imported at the top of the
file (under any alias).
"""
    why = """
Every call goes through `re`'s internal cache: it checks the argument types, builds a key from
the pattern and flags and looks it up before it can match. The compiled pattern's own method
skips all of that. Measured with `benchmarks/rules/bench_hs202.py` on CPython 3.11: matching
1,000 short strings with `re.match(r"\\d+", s)` takes about 0.38 ms; with a pattern compiled
once before the loop, about 0.14 ms (≈2.6×); `re.sub` gains ≈1.7×. A pattern that has fallen
out of the cache (more than 512 distinct patterns in use) is recompiled every time, which costs
far more.
"""
    example = """
import re

def numbers(lines):
    return [m.group() for line in lines if (m := re.match(r"\\d+", line))]
"""
    use_instead = """
import re

def numbers(lines):
    pattern = re.compile(r"\\d+")
    return [m.group() for line in lines if (m := pattern.match(line))]
"""
    fix_safety = """
The fix is safe when the pattern and flags are literals that compile without error or warning
(the rule checks): the compiled pattern's methods are what the `re` helpers call, with the same
arguments, and `re.compile` returns the very object the cache holds. It is not offered when
comments sit inside the call, for flags other than `re.X` constants, or when the loop's
statement shares its line with other code.
"""
    fix_availability = FixAvailability.SOMETIMES
    # Pooled judged precision 27/39 (tuned corpus plus code it was never tuned on,
    # benchmarks/precision/README.md) is below 80%: preview.
    status = Status.PREVIEW
    aliases = ("FURB170",)
    node_types = ("call",)

    def visit(self, node: Node, ctx: Context) -> None:
        call = parse_regex_call(node)
        if call is None:
            return
        loop = repeated_loop(node)
        if loop is None:
            return
        scope = enclosing_scope(node)
        if scope.type not in ("function_definition", "module"):
            return
        verb = "compiles" if call.method == "compile" else "looks up (and may recompile)"
        message = f"`re.{call.method}()` {verb} the same constant pattern on every iteration; compile it once before the loop"
        ctx.report(node, message, self._fix(call, ctx, enclosing_loops(node)[-1], scope))

    def _fix(self, call: RegexCall, ctx: Context, outermost: Node, scope: Node):
        flags = 0
        if call.flags is not None:
            flags = flags_value(call.flags)
            if flags is None:
                return None
        if not compiles_cleanly(literal_value(call.pattern), flags):
            return None
        calls = []
        for other in walk(outermost):
            parsed = parse_regex_call(other) if other.type == "call" else None
            if parsed is not None and parsed.key() == call.key() and enclosing_scope(other) == scope and enclosing_loops(other):
                if has_comment(other):
                    return None
                calls.append(parsed)
        new_name = fresh_name(scope, "PATTERN" if scope.type == "module" else "pattern")
        compile_args = ctx.text(call.pattern) + (f", {ctx.text(call.flags)}" if call.flags is not None else "")
        module = ctx.text(call.node.child_by_field_name("function").child_by_field_name("object"))
        insert = insert_statement_before(ctx.source, statement_of(outermost), f"{new_name} = {module}.compile({compile_args})")
        if insert is None:
            return None
        edits = [insert]
        for parsed in calls:
            if parsed.method == "compile":
                edits.append(replace_node(parsed.node, new_name))
            else:
                args = ", ".join(ctx.text(a) for a in parsed.rest)
                edits.append(replace_node(parsed.node, f"{new_name}.{parsed.method}({args})"))
        return make_fix(f"Compile the pattern once before the loop as `{new_name}`", edits, Applicability.SAFE)
