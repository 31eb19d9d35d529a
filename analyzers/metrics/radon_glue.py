"""radon's figures: cyclomatic complexity per function (computed the way ``radon cc`` does),
Halstead measures, raw line counts, and the maintainability index of a module or of one function.
radon parses with Python's ``ast``: on a file Python cannot parse these raise, and the caller falls
back to the tree-sitter counts."""

from __future__ import annotations

import ast
import logging
from dataclasses import dataclass

from hasten.analyzers.metrics.caches import LRU
from hasten.analyzers.metrics.results import Halstead, Loc, mi_rank
from hasten.analyzers.source import Source

log = logging.getLogger("hasten.analyzers.metrics")


@dataclass
class RadonFunction:
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


# radon's figures per function, keyed by the function's text.
_BY_TEXT: LRU[str, tuple[int, Halstead | None, Loc | None]] = LRU(4096)


def _radon_function(node: ast.AST, segment: str) -> tuple[int, Halstead | None, Loc | None]:
    """Radon's complexity, Halstead report and raw counts for one function, cached by its text
    (an edit elsewhere in the file does not recompute them)."""
    cached = _BY_TEXT.get(segment)
    if cached is not None:
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
    _BY_TEXT.put(segment, result)
    return result


def radon_functions(source: Source) -> dict[tuple[str, int], RadonFunction]:
    """Radon's figures per function, keyed by (name, def line); raises SyntaxError/ValueError."""
    text = source.text
    tree = ast.parse(text)
    lines = text.splitlines()
    out: dict[tuple[str, int], RadonFunction] = {}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        end = getattr(node, "end_lineno", None) or node.lineno
        segment = "\n".join(lines[node.lineno - 1 : end]) + "\n"
        complexity, halstead, loc = _radon_function(node, segment)
        out[(node.name, node.lineno)] = RadonFunction(node.name, node.lineno, complexity, halstead, loc)
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


def function_maintainability(halstead: Halstead | None, complexity: int, loc: Loc) -> float | None:
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
