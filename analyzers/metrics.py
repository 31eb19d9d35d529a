"""Complexity metrics per function: radon's figures plus an estimate of how each function grows.

From radon (which parses with Python's ``ast``): cyclomatic complexity and its rank (A–F),
Halstead volume and difficulty, raw line counts, and the module's maintainability index.

From the tree-sitter tree: a *growth estimate*, an upper-bound guess of the running time as the
inputs grow, built from

* loop nesting (``for`` over a collection or ``range(n)``, comprehension clauses, ``while`` loops
  whose bound we can read: a counter stepped by a constant, a value halved, a collection drained);
* the known cost of operations (``x in list``, ``.index``, ``.count``, ``.remove``, ``.pop(0)``,
  ``.insert``, ``sorted``, slicing, ``list(...)`` copies, string ``+=``, ...) multiplied by the
  loops around them;
* calls to other functions of the same file, and recursion (several self-calls on one path →
  O(2ⁿ); halving arguments → divide and conquer).

Everything is relative to *n*, the size of the inputs. Where a bound cannot be read (``while
True``, a loop whose variable is not stepped in a way we recognise) the estimate is "unknown"
rather than a guess, with the reason. When radon cannot parse the file (syntax errors), the
cyclomatic complexity comes from the tree-sitter tree, counted the way radon counts, and a note
says so; nothing here raises on bad input.

No LSP imports: the CLI, the rules HS501/HS502 and the server all call :func:`analyze`.
"""

from __future__ import annotations

import ast
import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import total_ordering

from hasten.analyzers.source import Source
from hasten.analyzers.syntax.scope import bindings_of
from hasten.analyzers.syntax.tree import walk_same_scope
from tree_sitter import Node

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Growth classes
# ---------------------------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@total_ordering
@dataclass(frozen=True)
class Cost:
    """An asymptotic cost n^degree · (log n)^logs, or exponential."""

    degree: Fraction = Fraction(0)
    logs: int = 0
    exponential: bool = False

    def __mul__(self, other: Cost) -> Cost:
        if self.exponential or other.exponential:
            return EXPONENTIAL
        return Cost(self.degree + other.degree, self.logs + other.logs)

    def _key(self) -> tuple:
        return (self.exponential, self.degree, self.logs)

    def __lt__(self, other: Cost) -> bool:
        return self._key() < other._key()

    def label(self, ascii: bool = False) -> str:
        """``O(n²)`` (or ``O(n^2)`` with ``ascii``)."""
        if self.exponential:
            return "O(2^n)" if ascii else "O(2ⁿ)"
        parts = []
        if self.degree == Fraction(1, 2):
            parts.append("sqrt(n)" if ascii else "√n")
        elif self.degree == 1:
            parts.append("n")
        elif self.degree:
            if self.degree.denominator == 1:
                power = str(self.degree.numerator)
                parts.append(f"n^{power}" if ascii else "n" + power.translate(_SUPERSCRIPTS))
            else:
                parts.append(f"n^{float(self.degree):g}")
        if self.logs == 1:
            parts.append("log n")
        elif self.logs:
            parts.append(f"log^{self.logs} n" if ascii else f"log{str(self.logs).translate(_SUPERSCRIPTS)} n")
        return f"O({' '.join(parts) or '1'})"


CONSTANT = Cost()
LOG = Cost(Fraction(0), 1)
SQRT = Cost(Fraction(1, 2))
LINEAR = Cost(Fraction(1))
N_LOG_N = Cost(Fraction(1), 1)
QUADRATIC = Cost(Fraction(2))
CUBIC = Cost(Fraction(3))
EXPONENTIAL = Cost(exponential=True)

# The classes users name in settings ([tool.hasten.metrics] growth-min, metrics.growthMin).
CLASSES: dict[str, Cost] = {
    "O(1)": CONSTANT,
    "O(log n)": LOG,
    "O(sqrt(n))": SQRT,
    "O(n)": LINEAR,
    "O(n log n)": N_LOG_N,
    "O(n^2)": QUADRATIC,
    "O(n^3)": CUBIC,
    "O(2^n)": EXPONENTIAL,
}


def parse_growth(text: str) -> Cost | None:
    """``"O(n^2)"``, ``"O(n²)"``, ``"n^2"``, ``"O(n log n)"`` → Cost; None if not a class."""
    if not isinstance(text, str):
        return None
    norm = (
        text.strip().replace("²", "^2").replace("³", "^3").replace("ⁿ", "^n").replace("√n", "sqrt(n)")
        .replace(" ", "").replace("**", "^")
    )
    if not norm.upper().startswith("O("):
        norm = f"O({norm})"
    norm = "O(" + norm[2:]
    for name, cost in CLASSES.items():
        if name.replace(" ", "") == norm:
            return cost
    return None


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One line that justifies a growth estimate."""

    line: int  # 1-based
    text: str
    start: int  # byte offsets of the construct
    end: int

    def to_json(self) -> dict:
        return {"line": self.line, "text": self.text}


@dataclass
class Growth:
    cost: Cost | None  # None: unknown
    reasons: list[Reason] = field(default_factory=list)
    # When unknown: the growth of the parts we could read, a lower bound.
    at_least: Cost | None = None
    unknown_because: list[Reason] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.cost is not None

    def label(self, ascii: bool = False) -> str:
        return self.cost.label(ascii) if self.cost is not None else "unknown"

    def explanation(self) -> str:
        """The justification as plain text, one line per reason."""
        lines = []
        if self.cost is None:
            lines.append("Growth unknown (n: the size of the inputs).")
            for r in self.unknown_because:
                lines.append(f"  line {r.line}: {r.text}")
            if self.at_least is not None and self.at_least > CONSTANT:
                lines.append(f"The parts that can be read grow as at least {self.at_least.label()}:")
        else:
            lines.append(f"Growth {self.cost.label()} (n: the size of the inputs).")
        for r in self.reasons:
            lines.append(f"  line {r.line}: {r.text}")
        if self.cost is not None and not self.reasons:
            lines.append("  no loops, recursion or costly operations on collections")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "class": self.label(ascii=True),
            "label": self.label(),
            "known": self.known,
            "at_least": self.at_least.label(ascii=True) if self.at_least is not None else None,
            "reasons": [r.to_json() for r in self.reasons],
            "unknown_because": [r.to_json() for r in self.unknown_because],
        }


@dataclass
class Halstead:
    volume: float
    difficulty: float
    effort: float
    vocabulary: int
    length: int

    def to_json(self) -> dict:
        return {
            "volume": round(self.volume, 2),
            "difficulty": round(self.difficulty, 2),
            "effort": round(self.effort, 2),
            "vocabulary": self.vocabulary,
            "length": self.length,
        }


@dataclass
class Loc:
    loc: int  # all lines
    sloc: int  # source lines
    lloc: int | None  # logical lines (radon); None without radon
    comments: int
    blank: int
    multi: int = 0  # lines of multi-line strings (docstrings)

    def to_json(self) -> dict:
        return {"loc": self.loc, "sloc": self.sloc, "lloc": self.lloc, "comments": self.comments, "blank": self.blank, "multi": self.multi}


@dataclass
class FunctionMetrics:
    name: str
    qualname: str  # Class.method, outer.inner
    line: int  # 1-based line of ``def``
    end_line: int
    start: int  # byte range of the definition (decorators excluded)
    end: int
    name_start: int  # byte range of the name
    name_end: int
    complexity: int
    rank: str
    complexity_source: str  # "radon" or "tree-sitter"
    halstead: Halstead | None
    loc: Loc
    growth: Growth
    is_method: bool = False
    maintainability: float | None = None  # radon's MI formula over this function alone


    def lens_title(self) -> str:
        growth = self.growth.label() if self.growth.known else "growth unknown"
        return f"complexity {self.complexity} ({self.rank}) · {growth}"

    def to_json(self) -> dict:
        return {
            "function": self.qualname,
            "name": self.name,
            "line": self.line,
            "end_line": self.end_line,
            "complexity": self.complexity,
            "rank": self.rank,
            "complexity_source": self.complexity_source,
            "growth": self.growth.label(ascii=True),
            "maintainability": round(self.maintainability, 2) if self.maintainability is not None else None,
            "growth_detail": self.growth.to_json(),
            "halstead": self.halstead.to_json() if self.halstead else None,
            "loc": self.loc.to_json(),
        }


@dataclass
class FileMetrics:
    path: str | None
    functions: list[FunctionMetrics]
    maintainability: float | None  # radon's MI, 0–100; None when radon cannot parse the file
    maintainability_rank: str | None
    notes: list[str] = field(default_factory=list)

    def function_at(self, offset: int) -> FunctionMetrics | None:
        """The innermost function whose name or ``def`` line holds the byte ``offset``."""
        best = None
        for fn in self.functions:
            if fn.name_start <= offset <= fn.name_end:
                return fn
            if fn.start <= offset <= fn.end and (best is None or fn.start >= best.start):
                best = fn
        return best

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "maintainability": round(self.maintainability, 2) if self.maintainability is not None else None,
            "maintainability_rank": self.maintainability_rank,
            "notes": list(self.notes),
            "functions": [f.to_json() for f in self.functions],
        }


def cc_rank(complexity: int) -> str:
    """Radon's rank: A 1–5, B 6–10, C 11–20, D 21–30, E 31–40, F 41+."""
    for limit, letter in ((5, "A"), (10, "B"), (20, "C"), (30, "D"), (40, "E")):
        if complexity <= limit:
            return letter
    return "F"


def mi_rank(score: float) -> str:
    """Radon's rank of the maintainability index: A > 19, B 10–19, C ≤ 9."""
    if score > 19:
        return "A"
    if score > 9:
        return "B"
    return "C"


# ---------------------------------------------------------------------------------------------
# Functions in the tree-sitter tree
# ---------------------------------------------------------------------------------------------


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", errors="replace") if node is not None else ""


def _definition_of(node: Node) -> Node:
    if node.type == "decorated_definition":
        return node.child_by_field_name("definition") or node
    return node


# Statements whose bodies can hold a ``def`` (expressions never do).
_HOLDS_DEFINITIONS = frozenset({
    "module", "block", "decorated_definition", "if_statement", "elif_clause", "else_clause",
    "for_statement", "while_statement", "try_statement", "except_clause", "except_group_clause",
    "finally_clause", "with_statement", "match_statement", "case_clause", "ERROR",
})


def iter_functions(root: Node) -> Iterator[tuple[Node, str, bool]]:
    """Every function definition (nested ones and methods included) with its qualified name
    and whether it is a method, in source order."""
    stack: list[tuple[Node, str, str | None]] = [(root, "", None)]
    out: list[tuple[Node, str, bool]] = []
    while stack:
        node, prefix, parent_kind = stack.pop()
        for child in reversed(node.children):
            if child.type == "function_definition":
                name = _text(child.child_by_field_name("name")) or "<function>"
                qual = f"{prefix}{name}"
                out.append((child, qual, parent_kind == "class"))
                stack.append((child, qual + ".", "function"))
            elif child.type == "class_definition":
                name = _text(child.child_by_field_name("name")) or "<class>"
                stack.append((child, f"{prefix}{name}.", "class"))
            elif child.type in _HOLDS_DEFINITIONS:
                stack.append((child, prefix, parent_kind))
    out.sort(key=lambda item: item[0].start_byte)
    return iter(out)


# ---------------------------------------------------------------------------------------------
# Cyclomatic complexity from the tree-sitter tree, counted as radon counts it
# ---------------------------------------------------------------------------------------------


def _is_irrefutable_case(case: Node) -> bool:
    """``case _:`` or ``case name:`` without a guard (radon's "MatchAs without a pattern")."""
    pattern = next((c for c in case.named_children if c.type == "case_pattern"), None)
    patterns = [c for c in case.named_children if c.type == "case_pattern"]
    if pattern is None or len(patterns) != 1:
        return False
    inner = pattern.named_children
    if not inner:
        return _text(pattern).strip() == "_"
    if len(inner) == 1 and inner[0].type in ("dotted_name", "identifier"):
        name = inner[0]
        return name.type == "identifier" or (name.named_child_count == 1)
    return False


def tree_sitter_complexity(function: Node) -> int:
    """Radon's cyclomatic complexity of ``function`` from its tree-sitter subtree: 1 plus one per
    ``if``/``elif``/conditional expression, loop (plus its ``else``), ``except`` clause and
    ``try``'s ``else``, boolean operator, comprehension clause, ``assert`` and refutable ``case``;
    nested functions and classes are not counted (radon reports them on their own)."""
    body = function.child_by_field_name("body")
    if body is None:
        return 1
    total = 1
    stack = list(body.children)
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in ("function_definition", "class_definition", "decorated_definition"):
            continue
        if kind == "assert_statement":
            total += 1
            continue  # radon does not look inside asserts
        if kind in ("if_statement", "elif_clause", "conditional_expression", "boolean_operator"):
            total += 1
        elif kind == "if_clause":
            total += node.parent is not None and node.parent.type != "case_clause"  # guards are free
        elif kind in ("for_statement", "while_statement"):
            total += 1 + any(c.type == "else_clause" for c in node.children)
        elif kind == "for_in_clause":
            total += 1
        elif kind == "try_statement":
            handlers = [c for c in node.children if c.type == "except_clause"]
            if not any(any(t.type == "*" for t in h.children) for h in handlers):  # radon skips except*
                total += len(handlers) + any(c.type == "else_clause" for c in node.children)
        elif kind == "match_statement":
            block = node.child_by_field_name("body")
            cases = [c for c in (block.named_children if block is not None else []) if c.type == "case_clause"]
            total += max(0, len(cases) - any(_is_irrefutable_case(c) for c in cases))
        stack.extend(node.children)
    return total


# ---------------------------------------------------------------------------------------------
# Growth estimate
# ---------------------------------------------------------------------------------------------

_LOOPS = ("for_statement", "while_statement", "for_in_clause")
_COMPREHENSIONS = ("list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression")
_LITERAL_COLLECTIONS = ("list", "tuple", "set", "dictionary", "string", "concatenated_string")
# One pass over the argument.
# Regular expressions walk the string they are given.
_REGEX_CALLS = frozenset({"re.sub", "re.subn", "re.findall", "re.split", "re.search", "re.fullmatch"})
_LINEAR_BUILTINS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sum", "min", "max", "any", "all", "Counter", "collections.Counter", "bytes", "bytearray", "copy.copy", "copy.deepcopy", "deepcopy", "heapq.heapify", "heapify", "math.prod", "statistics.mean", "statistics.median", "np.array", "numpy.array"})
_SORTS = frozenset({"sorted", "heapq.nlargest", "heapq.nsmallest", "nlargest", "nsmallest"})
_LOG_CALLS = frozenset({"bisect.bisect", "bisect.bisect_left", "bisect.bisect_right", "bisect.insort", "bisect_left", "bisect_right", "heapq.heappush", "heapq.heappop", "heappush", "heappop", "heapq.heapreplace", "heapq.heappushpop"})
_MEMO_DECORATORS = ("lru_cache", "cache", "memoize", "memoized", "cached")


@dataclass
class _Site:
    cost: Cost | None  # None: unknown
    reasons: list[Reason]  # innermost last


def _reason(source: Source, node: Node, text: str) -> Reason:
    line = source.byte_to_cli(node.start_byte)[0]
    return Reason(line, text, node.start_byte, node.end_byte)


def _snippet(source: Source, node: Node, limit: int = 40) -> str:
    text = " ".join(source.node_text(node).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_int_literal(node: Node | None) -> bool:
    if node is None:
        return False
    if node.type == "unary_operator":
        return _is_int_literal(node.named_children[-1] if node.named_children else None)
    return node.type in ("integer", "float")


def _is_constant_expr(node: Node) -> bool:
    """Literal numbers and arithmetic on them."""
    if node.type in ("integer", "float", "true", "false", "none"):
        return True
    if node.type in ("unary_operator", "binary_operator", "parenthesized_expression"):
        return all(_is_constant_expr(c) for c in node.named_children)
    return False


def _is_literal_collection(node: Node) -> bool:
    if node.type in ("string", "concatenated_string"):
        return not any(c.type == "interpolation" for c in node.named_children)
    if node.type in ("list", "tuple", "set", "dictionary"):
        return not any(c.type in ("list_splat", "dictionary_splat") for c in node.named_children)
    return False


def _call_parts(node: Node) -> tuple[str | None, Node | None, str | None, list[Node]]:
    """(dotted callee name, receiver node for method calls, method name, arguments)."""
    func = node.child_by_field_name("function")
    args_node = node.child_by_field_name("arguments")
    args = [c for c in args_node.named_children if c.type != "comment"] if args_node is not None and args_node.type == "argument_list" else []
    if args_node is not None and args_node.type == "generator_expression":
        args = [args_node]
    if func is None:
        return None, None, None, args
    if func.type == "identifier":
        return _text(func), None, None, args
    if func.type == "attribute":
        obj = func.child_by_field_name("object")
        attr = _text(func.child_by_field_name("attribute"))
        dotted = None
        parts = [attr]
        cur = obj
        while cur is not None and cur.type == "attribute":
            parts.append(_text(cur.child_by_field_name("attribute")))
            cur = cur.child_by_field_name("object")
        if cur is not None and cur.type == "identifier":
            parts.append(_text(cur))
            dotted = ".".join(reversed(parts))
        return dotted, obj, attr, args
    return None, None, None, args


class _FunctionInfo:
    def __init__(self, node: Node, qualname: str, class_name: str | None):
        self.node = node
        self.qualname = qualname
        self.name = _text(node.child_by_field_name("name"))
        self.class_name = class_name
        self.params = _params(node)


def _params(function: Node) -> dict[str, str | None]:
    """Parameter name → its annotation's text (or None)."""
    out: dict[str, str | None] = {}
    params = function.child_by_field_name("parameters")
    if params is None:
        return out
    for child in params.named_children:
        if child.type == "identifier":
            out[_text(child)] = None
        elif child.type in ("typed_parameter", "typed_default_parameter", "default_parameter"):
            name = child.child_by_field_name("name")
            if name is None:
                name = next((c for c in child.named_children if c.type == "identifier"), None)
            annotation = child.child_by_field_name("type")
            if name is not None:
                out[_text(name)] = _text(annotation) if annotation is not None else None
    return out


class GrowthEstimator:
    """Estimates the growth of every function of one file; calls between them are followed."""

    def __init__(self, source: Source):
        self.source = source
        self.functions: dict[int, _FunctionInfo] = {}
        self.module_functions: dict[str, Node] = {}
        self.methods: dict[tuple[str, str], Node] = {}
        self._memo: dict[int, Growth] = {}
        self._in_progress: set[int] = set()
        # Per-scope indexes, built once: the helpers below ask the same questions many times.
        self._scope_nodes: dict[int, list[Node]] = {}
        self._binding_memo: dict[tuple[int, str], list[Node] | None] = {}
        self._grown_memo: dict[tuple[int, str], bool] = {}
        self._targets_memo: dict[int, set[str]] = {}
        self._multiplier_memo: dict[int, tuple[Cost | None, str]] = {}
        for node, qual, is_method in iter_functions(source.tree.root_node):
            class_name = None
            if is_method:
                class_name = qual.rsplit(".", 2)[-2] if qual.count(".") >= 1 else None
            info = _FunctionInfo(node, qual, class_name)
            self.functions[node.id] = info
            parent = node.parent
            if parent is not None and parent.type == "decorated_definition":
                parent = parent.parent
            if parent is not None and parent.type == "module":
                self.module_functions[info.name] = node
            if class_name:
                self.methods[(class_name, info.name)] = node

    # -- indexes -------------------------------------------------------------------------------

    def nodes(self, function: Node) -> list[Node]:
        """The nodes of ``function``'s body in its own scope (nested definitions excluded)."""
        found = self._scope_nodes.get(function.id)
        if found is None:
            body = function.child_by_field_name("body")
            found = list(walk_same_scope(body)) if body is not None else []
            self._scope_nodes[function.id] = found
        return found

    def bindings(self, scope: Node, name: str) -> list[Node] | None:
        key = (scope.id, name)
        if key not in self._binding_memo:
            self._binding_memo[key] = bindings_of(scope, name)
        return self._binding_memo[key]

    def loop_targets(self, function: Node) -> set[str]:
        found = self._targets_memo.get(function.id)
        if found is None:
            found = set()
            for node in self.nodes(function):
                if node.type in ("for_statement", "for_in_clause"):
                    left = node.child_by_field_name("left")
                    if left is not None:
                        found |= {_text(n) for n in _identifiers(left)}
            self._targets_memo[function.id] = found
        return found

    # -- public --------------------------------------------------------------------------------

    def growth(self, function: Node) -> Growth:
        key = function.id
        if key in self._memo:
            return self._memo[key]
        self._in_progress.add(key)
        try:
            result = self._estimate(function)
        except RecursionError:  # pathological nesting; never take the analysis down
            result = Growth(None, unknown_because=[_reason(self.source, function, "too deeply nested to analyse")])
        finally:
            self._in_progress.discard(key)
        self._memo[key] = result
        return result

    # -- the estimate ------------------------------------------------------------------------

    def _estimate(self, function: Node) -> Growth:
        info = self.functions.get(function.id) or _FunctionInfo(function, _text(function.child_by_field_name("name")), None)
        body = function.child_by_field_name("body")
        if body is None:
            return Growth(CONSTANT)
        sites: list[_Site] = []
        self_calls: list[Node] = []
        for node in self.nodes(function):
            if node.type == "lambda":
                continue
            if node.type in _LOOPS:
                mult, reason = self._loop_multiplier(node, function, info)
                sites.append(self._site(node, function, info, mult, reason, include_self=True))
            elif node.type == "call":
                if self._is_self_call(node, info):
                    self_calls.append(node)
                    continue
                for cost, text in self._call_costs(node, function, info):
                    sites.append(self._site(node, function, info, cost, text))
            elif node.type == "comparison_operator":
                cost_text = self._membership_cost(node, function, info)
                if cost_text:
                    sites.append(self._site(node, function, info, *cost_text))
            elif node.type == "subscript":
                cost_text = self._slice_cost(node, function)
                if cost_text:
                    sites.append(self._site(node, function, info, *cost_text))
            elif node.type in ("augmented_assignment", "assignment"):
                cost_text = self._concat_cost(node, function, info)
                if cost_text:
                    sites.append(self._site(node, function, info, *cost_text))
        body_growth = self._combine(sites)
        if self_calls:
            return self._recursion(function, info, self_calls, body_growth, sites)
        return body_growth

    def _combine(self, sites: list[_Site]) -> Growth:
        unknown = [s for s in sites if s.cost is None]
        known = [s for s in sites if s.cost is not None]
        # On a tie, the site with the longer justification (it names the nested loops too).
        best = max(known, key=lambda s: (s.cost, len(s.reasons)), default=None)
        if unknown:
            because = []
            for s in unknown:
                for r in s.reasons:
                    if r.text.startswith(("bound unknown", "calls ", "unknown")) and r not in because:
                        because.append(r)
            return Growth(None, reasons=best.reasons if best and best.cost > CONSTANT else [], at_least=best.cost if best else CONSTANT, unknown_because=because[:5])
        if best is None or best.cost == CONSTANT:
            return Growth(CONSTANT)
        return Growth(best.cost, reasons=list(best.reasons))

    def _site(self, node: Node, function: Node, info: _FunctionInfo, cost: Cost | None, text: str, include_self: bool = False) -> _Site:
        """Cost of ``node`` (``cost`` per execution) times the loops around it."""
        reasons: list[Reason] = []
        total: Cost | None = cost
        for loop in reversed(self._enclosing_loops(node, function)):
            mult, loop_text = self._loop_multiplier(loop, function, info)
            reasons.append(_reason(self.source, loop, loop_text))
            total = None if (mult is None or total is None) else total * mult
        if include_self or cost is None or cost > CONSTANT:
            reasons.append(_reason(self.source, node, text))
        return _Site(total, reasons)

    def _enclosing_loops(self, node: Node, function: Node) -> list[Node]:
        """Loops (and comprehension clauses) that repeat ``node``, innermost first."""
        loops: list[Node] = []
        child = node
        parent = node.parent
        while parent is not None and parent.id != function.id:
            kind = parent.type
            if kind in ("function_definition", "lambda", "class_definition"):
                break
            if kind == "for_statement":
                if child.type != "else_clause" and child != parent.child_by_field_name("right") and child != parent.child_by_field_name("left"):
                    loops.append(parent)
            elif kind == "while_statement":
                if child.type != "else_clause":
                    loops.append(parent)
            elif kind in _COMPREHENSIONS:
                clauses = [c for c in parent.named_children if c.type == "for_in_clause"]
                body = parent.named_children[0] if parent.named_children else None
                if body is not None and child == body:
                    repeating = clauses
                else:
                    repeating = [c for c in clauses if c.start_byte < child.start_byte]
                loops.extend(reversed(repeating))
            child = parent
            parent = parent.parent
        return loops

    # -- loops -----------------------------------------------------------------------------

    def _loop_multiplier(self, loop: Node, function: Node, info: _FunctionInfo) -> tuple[Cost | None, str]:
        found = self._multiplier_memo.get(loop.id)
        if found is None:
            found = self._loop_multiplier_uncached(loop, function, info)
            self._multiplier_memo[loop.id] = found
        return found

    def _element_of_outer_loop(self, iterable: Node, loop: Node, function: Node) -> str | None:
        """The outer loop variable ``iterable`` walks (``for w in words: for c in w``), if any."""
        node = iterable
        if node.type == "call":
            name, receiver, method, args = _call_parts(node)
            if name in ("enumerate", "reversed", "sorted", "iter") and args:
                node = args[0]
            elif receiver is not None and method in ("items", "keys", "values", "split"):
                node = receiver
        if node.type != "identifier":
            return None
        name = _text(node)
        for outer in self._enclosing_loops(loop, function):
            if outer.type == "while_statement":
                continue
            left = outer.child_by_field_name("left")
            if left is not None and name in {_text(n) for n in _identifiers(left)}:
                return name
        return None

    def _loop_multiplier_uncached(self, loop: Node, function: Node, info: _FunctionInfo) -> tuple[Cost | None, str]:
        if loop.type == "while_statement":
            return self._while_multiplier(loop, function, info)
        iterable = loop.child_by_field_name("right")
        if iterable is None:
            return None, "bound unknown: loop without an iterable"
        snippet = _snippet(self.source, iterable)
        element = self._element_of_outer_loop(iterable, loop, function)
        if element is not None:
            # Nested data: the two loops together visit each item of the input once.
            return CONSTANT, f"loop over `{snippet}`, an element of the outer loop: together they visit each item once"
        cost = self._iteration_count(iterable, function, info)
        if cost is None:
            return None, f"bound unknown: loop over `{snippet}`"
        if cost == CONSTANT:
            return cost, f"loop over `{snippet}`: a fixed number of iterations"
        what = {LOG: "log n", SQRT: "√n", LINEAR: "n"}.get(cost, cost.label())
        return cost, f"loop over `{snippet}`: ×{what}"

    def _iteration_count(self, iterable: Node, function: Node, info: _FunctionInfo) -> Cost | None:
        node = iterable
        while node.type == "parenthesized_expression" and node.named_children:
            node = node.named_children[0]
        if _is_literal_collection(node):
            return CONSTANT
        if node.type == "call":
            name, _, _, args = _call_parts(node)
            if name in ("range", "xrange"):
                if args and all(_is_constant_expr(a) for a in args):
                    return CONSTANT
                return max((self._bound_cost(a) for a in args if not _is_constant_expr(a)), default=LINEAR)
            if name in ("enumerate", "reversed", "iter", "sorted", "list", "tuple", "set", "zip", "map", "filter") and args:
                counts = [self._iteration_count(a, function, info) for a in args if a.type not in ("keyword_argument", "lambda")]
                counts = [c for c in counts if c is not None] or [LINEAR]
                return max(counts)
            if name in ("str", "bin", "hex", "oct") and len(args) == 1 and args[0].type == "identifier":
                annotation = info.params.get(_text(args[0]), "")
                if annotation in ("int",):
                    return LOG  # the digits of an integer
            return LINEAR
        if node.type == "identifier":
            name = _text(node)
            if self._constant_collection(name, function):
                return CONSTANT
        if node.type == "subscript" and any(c.type == "slice" for c in node.named_children):
            value = node.child_by_field_name("value")
            if value is not None:
                return self._iteration_count(value, function, info)
        return LINEAR

    def _bound_cost(self, bound: Node) -> Cost:
        text = _text(bound)
        if "** 0.5" in text or "**0.5" in text or "sqrt" in text or "isqrt" in text or "** .5" in text:
            return SQRT
        if "log" in text and "(" in text or "bit_length" in text:
            return LOG
        return LINEAR

    def _constant_collection(self, name: str, function: Node) -> bool:
        """``name`` holds a literal collection that nothing changes (a fixed size)."""
        values = self.bindings(function, name)
        if values is None or not values:
            root = self.source.tree.root_node
            if values is None:
                return False
            values = self.bindings(root, name) or []
            if not values:
                return False
        if not all(_is_literal_collection(v) for v in values):
            return False
        return not self._grown(name, function)

    def _grown(self, name: str, function: Node) -> bool:
        key = (function.id, name)
        if key not in self._grown_memo:
            self._grown_memo[key] = self._grown_uncached(name, function)
        return self._grown_memo[key]

    def _grown_uncached(self, name: str, function: Node) -> bool:
        for node in self.nodes(function):
            if node.type == "call":
                _, receiver, method, _ = _call_parts(node)
                if receiver is not None and receiver.type == "identifier" and _text(receiver) == name and method in ("append", "extend", "insert", "add", "update", "appendleft", "extendleft"):
                    return True
            elif node.type == "augmented_assignment":
                left = node.child_by_field_name("left")
                if left is not None and _text(left) == name:
                    return True
        return False

    def _while_multiplier(self, loop: Node, function: Node, info: _FunctionInfo) -> tuple[Cost | None, str]:
        condition = loop.child_by_field_name("condition")
        body = loop.child_by_field_name("body")
        snippet = _snippet(self.source, condition) if condition is not None else "?"
        if condition is None or body is None:
            return None, "bound unknown: `while` without a readable condition"
        if condition.type in ("false", "none") or (condition.type == "integer" and _text(condition) == "0"):
            return CONSTANT, f"`while {snippet}` never runs"
        if condition.type in ("true", "integer"):
            return None, f"bound unknown: `while {snippet}` ends on a `break`"
        names = {_text(n) for n in _identifiers(condition)}
        if not names:
            return None, f"bound unknown: `while {snippet}`"
        steps = [self._step_kind(name, body) for name in sorted(names)]
        steps = [s for s in steps if s is not None]
        if not steps:
            return None, f"bound unknown: `while {snippet}`: no counter stepped by a constant, halved, or drained in the body"
        if "linear" in steps:
            return LINEAR, f"`while {snippet}`: a counter moves by a constant step (or a collection is drained): ×n"
        return LOG, f"`while {snippet}`: the bound is halved (or divided) each time: ×log n"

    def _step_kind(self, name: str, body: Node) -> str | None:
        """How the loop body moves ``name`` towards its bound: "linear", "log" or None."""
        kinds: set[str] = set()
        halves: set[str] = set()  # names assigned (a + b) // 2
        pushes = False
        pops = False
        for node in walk_same_scope(body):
            if node.type == "assignment":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is None or right is None:
                    continue
                if left.type == "identifier" and _is_halving(right):
                    halves.add(_text(left))
                if left.type in ("pattern_list", "tuple_pattern") and right.type == "call" and _call_parts(right)[0] == "divmod":
                    targets = [_text(t) for t in left.named_children]
                    args = _call_parts(right)[3]
                    if targets and targets[0] == name and args and _text(args[0]) == name:
                        kinds.add("log")
                    continue
                if left.type != "identifier" or _text(left) != name:
                    continue
                if right.type == "binary_operator":
                    op = right.child_by_field_name("operator")
                    a, b = right.child_by_field_name("left"), right.child_by_field_name("right")
                    op_text = op.type if op is not None else ""
                    if a is not None and _text(a) == name and _is_int_literal(b):
                        if op_text in ("+", "-"):
                            kinds.add("linear")
                        elif op_text in ("//", "/", ">>", "*", "<<"):
                            kinds.add("log")
                    elif a is not None and _text(a) == name and b is not None and b.type in ("identifier", "attribute") and op_text in ("//", "/", "*"):
                        kinds.add("log")  # divided (or multiplied) by a base each time
                    elif op_text in ("+", "-") and b is not None and _is_int_literal(b) and a is not None and _text(a) in halves or op_text in ("//", ">>") and a is not None and name in _text(a):
                        kinds.add("log")
                elif right.type == "identifier" and _text(right) in halves or right.type == "call" and _call_parts(right)[0] == "divmod" and _call_parts(right)[3] and _text(_call_parts(right)[3][0]) == name:
                    kinds.add("log")
                elif right.type == "subscript" and _text(right.child_by_field_name("value")) == name and any(c.type == "slice" for c in right.named_children):
                    kinds.add("linear")
                elif _is_halving(right) and name in _text(right):
                    kinds.add("log")
            elif node.type == "augmented_assignment":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                op = next((c for c in node.children if not c.is_named and c.type.endswith("=")), None)
                if left is None or left.type != "identifier" or _text(left) != name or op is None:
                    continue
                if op.type in ("+=", "-=") and _is_int_literal(right):
                    kinds.add("linear")
                elif op.type in ("//=", "/=", ">>=", "*=", "<<=") and _is_int_literal(right):
                    kinds.add("log")
                elif op.type in ("//=", "/=", "*=") and right is not None and right.type in ("identifier", "attribute"):
                    kinds.add("log")  # divided (or multiplied) by a base each time
            elif node.type == "call":
                _, receiver, method, _ = _call_parts(node)
                if receiver is not None and receiver.type == "identifier" and _text(receiver) == name:
                    if method in ("pop", "popleft", "popitem", "remove", "clear"):
                        pops = True
                    elif method in ("append", "appendleft", "extend", "insert", "add", "extendleft", "update"):
                        pushes = True
                elif _text(node.child_by_field_name("function")) in ("heapq.heappop", "heappop") and _first_arg_is(node, name):
                    pops = True
                elif _text(node.child_by_field_name("function")) in ("heapq.heappush", "heappush") and _first_arg_is(node, name):
                    pushes = True
            elif node.type == "delete_statement" and name in _text(node):
                pops = True
        if pops and not pushes:
            kinds.add("linear")
        if "linear" in kinds:
            return "linear"
        if "log" in kinds:
            return "log"
        return None

    # -- operations --------------------------------------------------------------------------

    def _receiver_is_element(self, receiver: Node, function: Node) -> bool:
        """``receiver`` is a loop variable (an element of a collection, assumed small), a literal,
        or a name for a literal that nothing changes (a fixed size)."""
        if _is_literal_collection(receiver):
            return True
        if receiver.type != "identifier":
            return False
        name = _text(receiver)
        if self._constant_collection(name, function):
            return True
        return name in self.loop_targets(function)

    def _is_set_or_dict(self, name: str, function: Node, info: _FunctionInfo) -> bool:
        annotation = info.params.get(name)
        if annotation and annotation.split("[")[0].strip() in ("set", "Set", "dict", "Dict", "frozenset", "FrozenSet", "Mapping", "defaultdict", "Counter"):
            return True
        values = self.bindings(function, name) or []
        return bool(values) and all(
            v.type in ("set", "dictionary", "set_comprehension", "dictionary_comprehension")
            or (v.type == "call" and _call_parts(v)[0] in ("set", "dict", "frozenset", "defaultdict", "collections.defaultdict", "Counter", "collections.Counter", "OrderedDict", "deque", "collections.deque"))
            for v in values
        )

    def _call_costs(self, node: Node, function: Node, info: _FunctionInfo) -> list[tuple[Cost | None, str]]:
        name, receiver, method, args = _call_parts(node)
        snippet = _snippet(self.source, node)
        out: list[tuple[Cost | None, str]] = []
        positional = [a for a in args if a.type not in ("keyword_argument", "comment")]
        if receiver is None and name is not None:
            local = self._local_function(name, function)
            if local is not None:
                out.append(self._callee_cost(local, snippet))
                return out
            if name in _SORTS and positional and not (positional[0].type == "identifier" and _text(positional[0]) in self.loop_targets(function)):
                out.append((N_LOG_N, f"`{snippet}` sorts: O(n log n)"))
            elif name in _LOG_CALLS:
                out.append((LOG, f"`{snippet}`: O(log n)"))
            elif name in _LINEAR_BUILTINS and len(positional) == 1 and not self._cheap_argument(positional[0], function):
                out.append((LINEAR, f"`{snippet}` walks its argument: O(n)"))
            return out
        if receiver is None:
            return out
        if name is not None:
            if name in _SORTS:
                out.append((N_LOG_N, f"`{snippet}` sorts: O(n log n)"))
                return out
            if name in _LOG_CALLS:
                out.append((LOG, f"`{snippet}`: O(log n)"))
                return out
            if name in _LINEAR_BUILTINS and len(positional) == 1:
                out.append((LINEAR, f"`{snippet}` walks its argument: O(n)"))
                return out
            if name in _REGEX_CALLS and len(positional) >= 2:
                out.append((LINEAR, f"`{snippet}` scans the string: O(n)"))
                return out
        if receiver.type == "identifier" and _text(receiver) == "self" and info.class_name:
            target = self.methods.get((info.class_name, method or ""))
            if target is not None and target.id != function.id:
                out.append(self._callee_cost(target, snippet))
                return out
        if method == "sort":
            out.append((N_LOG_N, f"`{snippet}` sorts: O(n log n)"))
        elif method == "pop" and len(positional) == 1 and _text(positional[0]) == "0":
            if not (receiver.type == "identifier" and self._is_set_or_dict(_text(receiver), function, info)):
                out.append((LINEAR, f"`{snippet}` shifts every element: O(n)"))
        elif method == "insert" and positional and not self._receiver_is_element(receiver, function):
            out.append((LINEAR, f"`{snippet}` shifts the elements after it: O(n)"))
        elif method == "remove" and not (receiver.type == "identifier" and self._is_set_or_dict(_text(receiver), function, info)):
            if not self._receiver_is_element(receiver, function):
                out.append((LINEAR, f"`{snippet}` scans for the element: O(n)"))
        elif method in ("index", "count", "find", "rfind", "rindex") and not self._receiver_is_element(receiver, function):
            out.append((LINEAR, f"`{snippet}` scans the sequence: O(n)"))
        elif method == "join" and positional and not self._cheap_argument(positional[0], function):
            out.append((LINEAR, f"`{snippet}` walks its argument: O(n)"))
        elif method in ("copy", "split", "replace", "reverse", "extend", "lower", "upper", "strip", "translate") and not self._receiver_is_element(receiver, function):
            if method == "extend" and positional and self._cheap_argument(positional[0], function):
                return out
            if receiver.type == "identifier" and (self.bindings(function, _text(receiver)) is not None or _text(receiver) in info.params):
                out.append((LINEAR, f"`{snippet}` walks the whole {'argument' if method == 'extend' else 'object'}: O(n)"))
        return out

    def _cheap_argument(self, arg: Node, function: Node) -> bool:
        """An argument whose walk is already counted (a comprehension's own loop) or is of fixed size."""
        if arg.type in _COMPREHENSIONS:
            return True
        if _is_literal_collection(arg):
            return True
        if arg.type == "identifier" and self._constant_collection(_text(arg), function):
            return True
        if arg.type == "identifier" and _text(arg) in self.loop_targets(function):
            return True  # an element of a collection being walked: nested data, counted once
        return False

    def _local_function(self, name: str, function: Node) -> Node | None:
        # A nested function defined in this function's body, else a module-level function.
        body = function.child_by_field_name("body")
        if body is not None:
            for child in body.children:
                definition = _definition_of(child)
                if definition.type == "function_definition" and _text(definition.child_by_field_name("name")) == name:
                    return definition
        return self.module_functions.get(name)

    def _callee_cost(self, callee: Node, snippet: str) -> tuple[Cost | None, str]:
        if callee.id in self._in_progress:
            return CONSTANT, f"`{snippet}`: mutual recursion, not followed"
        growth = self.growth(callee)
        callee_name = _text(callee.child_by_field_name("name"))
        if growth.cost is None:
            return None, f"calls `{callee_name}`, whose growth is unknown"
        return growth.cost, f"`{snippet}` calls `{callee_name}`: {growth.cost.label()}"

    def _membership_cost(self, node: Node, function: Node, info: _FunctionInfo) -> tuple[Cost, str] | None:
        operators = [c.type for c in node.children if not c.is_named]
        if not any(op in ("in", "not in") for op in operators) or node.named_child_count != 2:
            return None
        container = node.named_children[1]
        while container.type == "parenthesized_expression" and container.named_children:
            container = container.named_children[0]
        snippet = _snippet(self.source, node)
        if container.type in ("list_comprehension",) or (container.type == "call" and _call_parts(container)[0] in ("list", "sorted", "tuple")):
            return LINEAR, f"`{snippet}` scans a list: O(n)"
        if container.type != "identifier":
            return None
        name = _text(container)
        if name in info.params:
            annotation = (info.params[name] or "").split("[")[0].strip()
            if annotation in ("list", "List", "tuple", "Tuple", "Sequence", "str"):
                return LINEAR, f"`{snippet}` scans a {annotation}: O(n)"
            return None
        values = _assigned_values(function, name)
        if not values:
            return None
        if all(_is_literal_collection(v) for v in values) and not self._grown(name, function):
            return None
        if all(v.type in ("list", "list_comprehension", "tuple", "string") or (v.type == "call" and _call_parts(v)[0] in ("list", "sorted", "tuple", "str")) or (v.type == "subscript" and any(c.type == "slice" for c in v.named_children)) for v in values):
            kind = "string" if all(v.type == "string" for v in values) else "list"
            return LINEAR, f"`{snippet}` scans a {kind}: O(n)"
        return None

    def _slice_cost(self, node: Node, function: Node) -> tuple[Cost, str] | None:
        slices = [c for c in node.named_children if c.type == "slice"]
        if not slices:
            return None
        value = node.child_by_field_name("value")
        if value is not None and _is_literal_collection(value):
            return None
        text = _text(slices[0])
        parts = text.split(":")
        # a[1:3], a[:2], a[i:i + 2]: a fixed number of elements
        start, stop = (parts + ["", ""])[:2]
        start, stop = start.strip(), stop.strip()
        if _is_small_int(start) and _is_small_int(stop) and (start or stop) and not start.startswith("-") and not stop.startswith("-"):
            if stop or not start:
                return None
        if start.startswith("-") and not stop and _is_small_int(start[1:]):
            return None  # a[-2:]
        if start and stop.replace(" ", "").startswith(start.replace(" ", "") + "+") and _is_small_int(stop.replace(" ", "")[len(start.replace(" ", "")) + 1 :]):
            return None
        if value is not None and value.type == "identifier" and self._receiver_is_element(value, function):
            return None
        return LINEAR, f"`{_snippet(self.source, node)}` copies a slice: O(n)"

    def _concat_cost(self, node: Node, function: Node, info: _FunctionInfo) -> tuple[Cost, str] | None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier":
            return None
        name = _text(left)
        if node.type == "augmented_assignment":
            op = next((c for c in node.children if not c.is_named and c.type.endswith("=")), None)
            if op is None or op.type != "+=":
                return None
            kind = self._sequence_kind(name, function, info)
            if kind == "string":
                return LINEAR, f"`{_snippet(self.source, node)}` builds a new string: O(n)"
            return None
        if right.type == "binary_operator":
            op = right.child_by_field_name("operator")
            a = right.child_by_field_name("left")
            b = right.child_by_field_name("right")
            if op is not None and op.type == "+" and ((a is not None and _text(a) == name) or (b is not None and _text(b) == name)):
                kind = self._sequence_kind(name, function, info)
                if kind:
                    return LINEAR, f"`{_snippet(self.source, node)}` copies the {kind}: O(n)"
        return None

    def _sequence_kind(self, name: str, function: Node, info: _FunctionInfo) -> str | None:
        annotation = (info.params.get(name) or "").split("[")[0].strip()
        if annotation == "str":
            return "string"
        if annotation in ("list", "List"):
            return "list"
        values = _assigned_values(function, name)
        if not values:
            return None
        if all(v.type in ("string", "concatenated_string") or (v.type == "call" and _call_parts(v)[0] == "str") for v in values):
            return "string"
        if all(v.type in ("list", "list_comprehension") or (v.type == "call" and _call_parts(v)[0] in ("list", "sorted")) for v in values):
            return "list"
        return None

    # -- recursion ---------------------------------------------------------------------------

    def _is_self_call(self, node: Node, info: _FunctionInfo) -> bool:
        func = node.child_by_field_name("function")
        if func is None:
            return False
        if func.type == "identifier":
            return _text(func) == info.name and info.class_name is None
        if func.type == "attribute" and info.class_name:
            obj = func.child_by_field_name("object")
            return obj is not None and _text(obj) in ("self", "cls") and _text(func.child_by_field_name("attribute")) == info.name
        return False

    def _recursion(self, function: Node, info: _FunctionInfo, calls: list[Node], body: Growth, sites: list[_Site]) -> Growth:
        first = calls[0]
        per_call = body.cost if body.cost is not None else None
        memo = self._memoized(function)
        in_loop = [c for c in calls if self._enclosing_loops(c, function)]
        fan_out = _max_on_a_path(function.child_by_field_name("body"), {c.id for c in calls})
        halving = any(_halves_argument(c, function) for c in calls)
        structural = all(_structural_argument(c, info, in_loop=bool(self._enclosing_loops(c, function))) for c in calls)
        reasons = list(body.reasons)
        if memo:
            depth, text = LINEAR, "recursion with a cache: each argument is computed once, ×n"
        elif in_loop and not structural:
            call = in_loop[0]
            return Growth(EXPONENTIAL, reasons=[*_loop_reasons(self, call, function, info), _reason(self.source, call, f"`{_snippet(self.source, call)}`: a self-call inside a loop fans out: O(2ⁿ) or worse")])
        elif structural:
            # Each part is visited once, and the loops over its children add up to the whole
            # structure: the body's own cost, at least ×n, not multiplied by the depth.
            cost = max(LINEAR, per_call) if per_call is not None else None
            if cost is None:
                return Growth(None, reasons=reasons, at_least=LINEAR, unknown_because=body.unknown_because)
            return Growth(cost, reasons=[*reasons, _reason(self.source, first, f"`{_snippet(self.source, first)}`: recursion over the parts of a structure, each part visited once: {cost.label()}")])
        elif fan_out >= 2 and halving:
            # T(n) = k·T(n/2) + f(n) with k == 2: O(n) when f is O(1), O(n log n) when f is O(n).
            if per_call is None:
                return Growth(None, reasons=[], at_least=N_LOG_N, unknown_because=body.unknown_because)
            if per_call < LINEAR:
                cost = LINEAR
            elif per_call == LINEAR or (per_call.degree == 1 and per_call.logs == 0):
                cost = N_LOG_N
            else:
                cost = per_call
            return Growth(cost, reasons=[*reasons, _reason(self.source, first, f"`{_snippet(self.source, first)}`: divide and conquer (two self-calls on halves): {cost.label()}")])
        elif fan_out >= 2:
            return Growth(EXPONENTIAL, reasons=[_reason(self.source, c, f"`{_snippet(self.source, c)}`: self-call") for c in calls[:3]] + [_reason(self.source, function, f"{fan_out} self-calls on one path: the call tree doubles at each level: O(2ⁿ)")])
        elif halving:
            depth, text = LOG, "one self-call on a halved argument: ×log n"
        elif _shrinks_argument(first):
            depth, text = LINEAR, "one self-call on an argument one step smaller: ×n"
        else:
            return Growth(None, reasons=reasons, at_least=per_call, unknown_because=[_reason(self.source, first, f"unknown recursion depth: `{_snippet(self.source, first)}`")])
        if per_call is None:
            return Growth(None, reasons=reasons, at_least=depth, unknown_because=body.unknown_because)
        return Growth(depth * per_call, reasons=[*reasons, _reason(self.source, first, f"`{_snippet(self.source, first)}`: {text}")])

    def _memoized(self, function: Node) -> bool:
        parent = function.parent
        if parent is not None and parent.type == "decorated_definition":
            for decorator in parent.named_children:
                if decorator.type == "decorator" and any(m in _text(decorator) for m in _MEMO_DECORATORS):
                    return True
        body = function.child_by_field_name("body")
        text = _text(body)
        return "memo" in text or "cache" in text


def _loop_reasons(est: GrowthEstimator, node: Node, function: Node, info: _FunctionInfo) -> list[Reason]:
    out = []
    for loop in reversed(est._enclosing_loops(node, function)):
        _, text = est._loop_multiplier(loop, function, info)
        out.append(_reason(est.source, loop, text))
    return out


def _assigned_values(function: Node, name: str) -> list[Node]:
    """Values of the plain ``name = value`` statements in ``function``'s own scope (other ways of
    binding ``name``, such as ``+=``, are ignored)."""
    body = function.child_by_field_name("body")
    values = []
    for node in walk_same_scope(body) if body is not None else ():
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier" and _text(left) == name:
                values.append(right)
    return values


def _first_arg_is(call: Node, name: str) -> bool:
    args = call.child_by_field_name("arguments")
    return args is not None and bool(args.named_children) and _text(args.named_children[0]) == name


def _identifiers(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            parent = current.parent
            if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == current:
                continue
            if parent is not None and parent.type == "call" and parent.child_by_field_name("function") == current:
                continue
            yield current
        elif current.type not in ("lambda",):
            stack.extend(current.children)


def _is_small_int(text: str) -> bool:
    text = text.strip()
    text = text.removeprefix("-")
    return text == "" or text.isdigit()


def _is_halving(node: Node) -> bool:
    text = _text(node).replace(" ", "")
    return "//2" in text or ">>1" in text or "/2" in text


def _halves_argument(call: Node, function: Node) -> bool:
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    text = _text(args).replace(" ", "")
    if "//2" in text or ">>1" in text or "/2" in text:
        return True
    # f(a[:mid]), f(lo, mid): mid computed by halving in the function
    halves = set()
    body = function.child_by_field_name("body")
    for node in walk_same_scope(body) if body is not None else ():
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier" and _is_halving(right):
                halves.add(_text(left))
    return any(_text(i) in halves for i in _identifiers(args))


def _shrinks_argument(call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    for arg in args.named_children:
        if arg.type == "binary_operator":
            op = arg.child_by_field_name("operator")
            if op is not None and op.type in ("-", "+") and _is_int_literal(arg.child_by_field_name("right")):
                return True
        if arg.type == "subscript" and any(c.type == "slice" for c in arg.named_children):
            return True
    return False


_COLLECTION_BUILDERS = frozenset({"list", "set", "tuple", "sorted", "dict", "frozenset", "reversed"})


def _structural_argument(call: Node, info: _FunctionInfo, in_loop: bool = True) -> bool:
    """The self-call walks a part of a structure: some argument is a part (``node.left``,
    ``tree[key]``, a loop variable over children, ``getattr(obj, name)``) and none builds a new
    collection (``xs[:i] + xs[i + 1:]``, ``n - 1``), which is what makes recursion fan out."""
    args = call.child_by_field_name("arguments")
    if args is None or not args.named_children:
        return False
    found = False
    for arg in args.named_children:
        if arg.type == "keyword_argument":
            value = arg.child_by_field_name("value")
            if value is None or value.type == "identifier" or _is_constant_expr(value) or value.type in ("string", "none", "true", "false"):
                continue
            return False
        if arg.type in ("comment", "string", "none", "true", "false") or _is_constant_expr(arg):
            continue
        if arg.type == "attribute" or (arg.type == "subscript" and not any(c.type == "slice" for c in arg.named_children)):
            found = True
        elif arg.type == "identifier":
            if _text(arg) not in info.params:
                if not in_loop:
                    return False  # outside a loop a local name may be anything
                found = True  # a loop variable over children
        elif in_loop and arg.type == "call" and _call_parts(arg)[0] in ("getattr", "next"):
            found = True
        else:
            return False
    return found


def _max_on_a_path(node: Node | None, call_ids: set[int]) -> int:
    """The largest number of the given calls executed in one pass through ``node``: branches of
    an ``if`` (and of a conditional expression) count as alternatives, not as a sum."""
    if node is None:
        return 0
    if node.id in call_ids:
        return 1 + sum(_max_on_a_path(c, call_ids) for c in node.children)
    if node.type in ("function_definition", "class_definition", "lambda"):
        return 0
    if node.type == "if_statement":
        condition = node.child_by_field_name("condition")
        branches = [node.child_by_field_name("consequence")] + [c for c in node.children if c.type in ("elif_clause", "else_clause")]
        return _max_on_a_path(condition, call_ids) + max(_max_on_a_path(b, call_ids) for b in branches)
    if node.type == "conditional_expression" and len(node.named_children) == 3:
        a, cond, b = node.named_children
        return _max_on_a_path(cond, call_ids) + max(_max_on_a_path(a, call_ids), _max_on_a_path(b, call_ids))
    if node.type == "block":
        # A `return` ends the path: statements after it in the same block do not run.
        total = 0
        for child in node.children:
            total += _max_on_a_path(child, call_ids)
            if child.type == "return_statement":
                break
        return total
    return sum(_max_on_a_path(c, call_ids) for c in node.children)


# ---------------------------------------------------------------------------------------------
# Radon
# ---------------------------------------------------------------------------------------------


@dataclass
class _RadonFunction:
    name: str
    line: int
    complexity: int
    halstead: Halstead | None
    loc: Loc | None


def _radon_blocks(blocks, out: dict[tuple[str, int], int]) -> None:
    for block in blocks:
        if hasattr(block, "methods"):  # a class
            _radon_blocks(block.methods, out)
            _radon_blocks(getattr(block, "inner_classes", []), out)
        else:
            out[(block.name, block.lineno)] = block.complexity
            _radon_blocks(block.closures, out)


_FUNCTION_CACHE: OrderedDict[str, tuple[int, Halstead | None, Loc | None]] = OrderedDict()
_FUNCTION_CACHE_SIZE = 4096
_CACHE_LOCK = threading.Lock()


def _radon_function(node: ast.AST, segment: str) -> tuple[int, Halstead | None, Loc | None]:
    """Radon's complexity, Halstead report and raw counts for one function, cached by its text
    (an edit elsewhere in the file does not recompute them)."""
    with _CACHE_LOCK:
        cached = _FUNCTION_CACHE.get(segment)
        if cached is not None:
            _FUNCTION_CACHE.move_to_end(segment)
            return cached
    from radon.metrics import h_visit_ast
    from radon.raw import analyze as raw_analyze
    from radon.visitors import ComplexityVisitor

    visitor = ComplexityVisitor()
    visitor.visit(node)  # visit_FunctionDef: the same path radon takes for every function
    complexity = visitor.functions[0].complexity if visitor.functions else 0
    halstead = None
    try:
        report = h_visit_ast(node).total
        halstead = Halstead(report.volume, report.difficulty, report.effort, report.vocabulary, report.length)
    except Exception:  # radon bugs on unusual nodes must not stop the metrics
        log.debug("halstead failed at line %s", getattr(node, "lineno", "?"), exc_info=True)
    loc = None
    try:
        raw = raw_analyze(segment)
        loc = Loc(raw.loc, raw.sloc, raw.lloc, raw.comments, raw.blank, raw.multi)
    except Exception:
        log.debug("raw metrics failed at line %s", getattr(node, "lineno", "?"), exc_info=True)
    result = (complexity, halstead, loc)
    with _CACHE_LOCK:
        _FUNCTION_CACHE[segment] = result
        if len(_FUNCTION_CACHE) > _FUNCTION_CACHE_SIZE:
            _FUNCTION_CACHE.popitem(last=False)
    return result


def _radon(source: Source) -> dict[tuple[str, int], _RadonFunction]:
    """Radon's figures per function, keyed by (name, def line); raises SyntaxError/ValueError."""
    text = source.text
    tree = ast.parse(text)
    lines = text.splitlines()
    out: dict[tuple[str, int], _RadonFunction] = {}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        end = getattr(node, "end_lineno", None) or node.lineno
        segment = "\n".join(lines[node.lineno - 1 : end]) + "\n"
        complexity, halstead, loc = _radon_function(node, segment)
        out[(node.name, node.lineno)] = _RadonFunction(node.name, node.lineno, complexity, halstead, loc)
    return out


def module_maintainability(text: str) -> tuple[float | None, str | None]:
    """Radon's maintainability index of a module (0–100) and its rank; (None, None) when Python
    cannot parse the text."""
    from radon.metrics import mi_visit

    try:
        mi = mi_visit(text, True)
    except Exception:  # SyntaxError, or radon failing on an unusual file
        return None, None
    return mi, mi_rank(mi)


def _function_mi(halstead: Halstead | None, complexity: int, loc: Loc) -> float | None:
    """Radon's maintainability index formula applied to one function (as ``mi_visit`` does to a
    module: Halstead volume, cyclomatic complexity, logical lines, comment percentage)."""
    if halstead is None or loc.lloc is None:
        return None
    from radon.metrics import mi_compute

    comments = (loc.comments + loc.multi) / loc.sloc * 100 if loc.sloc else 0
    try:
        return mi_compute(halstead.volume, complexity, loc.lloc, comments)
    except (ValueError, ZeroDivisionError):
        return None


def _simple_loc(source: Source, node: Node) -> Loc:
    first = source.byte_to_cli(node.start_byte)[0]
    last = source.byte_to_cli(max(node.start_byte, node.end_byte - 1))[0]
    blank = comments = 0
    for line in range(first - 1, last):
        stripped = source.line_text(line).strip()
        if not stripped:
            blank += 1
        elif stripped.startswith("#"):
            comments += 1
    total = last - first + 1
    return Loc(total, total - blank - comments, None, comments, blank)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def analyze(source: Source, *, maintainability: bool = True) -> FileMetrics:
    """Metrics for every function of ``source``. Never raises on bad input: a file radon cannot
    parse gets tree-sitter-based metrics and a note. ``maintainability=False`` skips the module's
    maintainability index (a second full pass of radon), for callers that do not show it."""
    notes: list[str] = []
    radon_functions: dict[tuple[str, int], _RadonFunction] = {}
    mi = None
    mi_letter = None
    display = source.path or "<stdin>"
    try:
        radon_functions = _radon(source)
        if maintainability:
            mi, mi_letter = module_maintainability(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        where = ""
        lineno = getattr(exc, "lineno", None)
        if lineno:
            where = f":{lineno}"
        notes.append(
            f"{display}{where}: Python cannot parse this file ({type(exc).__name__}: {getattr(exc, 'msg', exc)}); "
            "complexity comes from the tree-sitter tree, counted as radon counts it, and Halstead "
            "measures and the maintainability index are not available"
        )
    except Exception as exc:  # radon itself failed
        log.exception("radon failed on %s", display)
        notes.append(f"{display}: radon failed ({exc!r}); complexity comes from the tree-sitter tree")
    if source.has_syntax_errors and not notes:
        notes.append(f"{display}: tree-sitter found syntax errors; growth estimates skip the broken regions")
    estimator = GrowthEstimator(source)
    functions: list[FunctionMetrics] = []
    for node, qual, is_method in iter_functions(source.tree.root_node):
        name_node = node.child_by_field_name("name")
        name = _text(name_node) or "<function>"
        line = source.byte_to_cli(node.start_byte)[0]
        end_line = source.byte_to_cli(max(node.start_byte, node.end_byte - 1))[0]
        radon_fn = radon_functions.get((name, line))
        if radon_fn is not None and radon_fn.complexity:
            complexity, origin = radon_fn.complexity, "radon"
        else:
            complexity, origin = tree_sitter_complexity(node), "tree-sitter"
        try:
            growth = estimator.growth(node)
        except Exception as exc:  # an estimator bug must never take the metrics down
            log.exception("growth estimate failed for %s in %s", qual, display)
            growth = Growth(None, unknown_because=[_reason(source, node, f"internal error in the estimate ({exc!r})")])
        loc = radon_fn.loc if radon_fn is not None and radon_fn.loc is not None else _simple_loc(source, node)
        halstead = radon_fn.halstead if radon_fn is not None else None
        functions.append(
            FunctionMetrics(
                name=name,
                qualname=qual,
                line=line,
                end_line=end_line,
                start=node.start_byte,
                end=node.end_byte,
                name_start=name_node.start_byte if name_node is not None else node.start_byte,
                name_end=name_node.end_byte if name_node is not None else node.start_byte,
                complexity=complexity,
                rank=cc_rank(complexity),
                complexity_source=origin,
                halstead=halstead,
                loc=loc,
                growth=growth,
                is_method=is_method,
                maintainability=_function_mi(halstead, complexity, loc),
            )
        )
    return FileMetrics(source.path, functions, mi, mi_letter, notes)


def analyze_text(text: str, path: str | None = None) -> FileMetrics:
    return analyze(Source(text, path))


_BY_SOURCE: weakref.WeakKeyDictionary[Source, FileMetrics] = weakref.WeakKeyDictionary()


def metrics_for(source: Source, *, maintainability: bool = False) -> FileMetrics:
    """:func:`analyze`, computed once per Source object (the rules HS501/HS502 and the server
    share it). The module's maintainability index is added on the first call that asks for it."""
    with _CACHE_LOCK:
        cached = _BY_SOURCE.get(source)
    if cached is None:
        cached = analyze(source, maintainability=False)
        with _CACHE_LOCK:
            _BY_SOURCE[source] = cached
    if maintainability and cached.maintainability is None and not cached.notes:
        cached.maintainability, cached.maintainability_rank = module_maintainability(source.text)
    return cached


# The estimator holds its Source, so a weak-key table would never drop an entry: keep the few
# most recent sources instead (one check asks for the same source many times in a row).
_ESTIMATORS: "OrderedDict[int, tuple[Source, GrowthEstimator]]" = OrderedDict()
_ESTIMATORS_MAX = 8


def estimator_for(source: Source) -> GrowthEstimator:
    """One GrowthEstimator per Source object: growth without radon (what HS502 needs)."""
    with _CACHE_LOCK:
        entry = _ESTIMATORS.get(id(source))
        if entry is not None and entry[0] is source:
            _ESTIMATORS.move_to_end(id(source))
            return entry[1]
        found = GrowthEstimator(source)
        _ESTIMATORS[id(source)] = (source, found)
        while len(_ESTIMATORS) > _ESTIMATORS_MAX:
            _ESTIMATORS.popitem(last=False)
    return found


def qualified_name(function: Node) -> str:
    """``Class.method``, ``outer.inner``: the names of the enclosing classes and functions."""
    parts = [_text(function.child_by_field_name("name")) or "<function>"]
    parent = function.parent
    while parent is not None:
        if parent.type in ("function_definition", "class_definition"):
            parts.append(_text(parent.child_by_field_name("name")))
        parent = parent.parent
    return ".".join(reversed(parts))


def hover_markdown(fn: FunctionMetrics, file: FileMetrics | None = None) -> str:
    """The full metrics of one function as Markdown (hover, `hasten metrics --explain`)."""
    lines = [f"**{fn.qualname}** — complexity {fn.complexity} ({fn.rank}) · {fn.growth.label()}", ""]
    lines.append("| metric | value |")
    lines.append("|---|---|")
    lines.append(f"| cyclomatic complexity | {fn.complexity} (rank {fn.rank}{', from tree-sitter' if fn.complexity_source != 'radon' else ''}) |")
    if fn.halstead is not None:
        lines.append(f"| Halstead volume | {fn.halstead.volume:.1f} |")
        lines.append(f"| Halstead difficulty | {fn.halstead.difficulty:.1f} |")
    lines.append(f"| lines (total / source{' / logical' if fn.loc.lloc is not None else ''}) | {fn.loc.loc} / {fn.loc.sloc}{f' / {fn.loc.lloc}' if fn.loc.lloc is not None else ''} |")
    if fn.maintainability is not None:
        lines.append(f"| maintainability index | {fn.maintainability:.1f} ({mi_rank(fn.maintainability)}) |")
    if file is not None and file.maintainability is not None:
        lines.append(f"| module maintainability index | {file.maintainability:.1f} ({file.maintainability_rank}) |")
    lines.append(f"| growth estimate | {fn.growth.label()} |")
    lines.append("")
    lines.append("```text")
    lines.append(fn.growth.explanation())
    lines.append("```")
    if file is not None and file.notes:
        lines.append("")
        lines.extend(f"_{note}_" for note in file.notes)
    return "\n".join(lines)
