"""The entry points of the metrics: :func:`analyze` a file, and the per-``Source`` caches the
rules HS501/HS502 and the server share (:func:`metrics_for`, :func:`estimator_for`)."""

from __future__ import annotations

import logging

from hasten.analyzers.metrics.caches import LRU, PerSource
from hasten.analyzers.metrics.fallback import iter_functions, node_text, simple_loc, tree_sitter_complexity
from hasten.analyzers.metrics.growth import GrowthEstimator
from hasten.analyzers.metrics.growth_parts import reason_at
from hasten.analyzers.metrics.radon_glue import (
    RadonFunction,
    function_maintainability,
    module_maintainability,
    radon_functions,
)
from hasten.analyzers.metrics.results import FileMetrics, FunctionMetrics, Growth, cc_rank
from hasten.analyzers.source import Source

log = logging.getLogger("hasten.analyzers.metrics")


def analyze(source: Source, *, maintainability: bool = True) -> FileMetrics:
    """Metrics for every function of ``source``. Never raises on bad input: a file radon cannot
    parse gets tree-sitter-based metrics and a note. ``maintainability=False`` skips the module's
    maintainability index (a second full pass of radon), for callers that do not show it."""
    notes: list[str] = []
    by_line: dict[tuple[str, int], RadonFunction] = {}
    mi = None
    mi_letter = None
    display = source.path or "<stdin>"
    try:
        by_line = radon_functions(source)
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
        name = node_text(name_node) or "<function>"
        line = source.byte_to_cli(node.start_byte)[0]
        end_line = source.byte_to_cli(max(node.start_byte, node.end_byte - 1))[0]
        radon_fn = by_line.get((name, line))
        if radon_fn is not None and radon_fn.complexity:
            complexity, origin = radon_fn.complexity, "radon"
        else:
            complexity, origin = tree_sitter_complexity(node), "tree-sitter"
        try:
            growth = estimator.growth(node)
        except Exception as exc:  # an estimator bug must never take the metrics down
            log.exception("growth estimate failed for %s in %s", qual, display)
            growth = Growth(None, unknown_because=[reason_at(source, node, f"internal error in the estimate ({exc!r})")])
        loc = radon_fn.loc if radon_fn is not None and radon_fn.loc is not None else simple_loc(source, node)
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
                maintainability=function_maintainability(halstead, complexity, loc),
            )
        )
    return FileMetrics(source.path, functions, mi, mi_letter, notes)


def analyze_text(text: str, path: str | None = None) -> FileMetrics:
    return analyze(Source(text, path))


_BY_SOURCE: PerSource[FileMetrics] = PerSource()
# The estimator holds its Source: keep the few most recent ones (one check asks for the same
# source many times in a row).
_ESTIMATORS: LRU[int, tuple[Source, GrowthEstimator]] = LRU(8)


def metrics_for(source: Source, *, maintainability: bool = False) -> FileMetrics:
    """:func:`analyze`, computed once per Source object (the rules HS501/HS502 and the server
    share it). The module's maintainability index is added on the first call that asks for it."""
    cached = _BY_SOURCE.get(source)
    if cached is None:
        cached = analyze(source, maintainability=False)
        _BY_SOURCE.put(source, cached)
    if maintainability and cached.maintainability is None and not cached.notes:
        cached.maintainability, cached.maintainability_rank = module_maintainability(source.text)
    return cached


def estimator_for(source: Source) -> GrowthEstimator:
    """One GrowthEstimator per Source object: growth without radon (what HS502 needs)."""
    entry = _ESTIMATORS.get_or_make(id(source), lambda: (source, GrowthEstimator(source)), valid=lambda e: e[0] is source)
    return entry[1]
