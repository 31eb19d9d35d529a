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

No LSP imports and no presentation (the server renders hover and lenses): the CLI, the rules
HS501/HS502 and the server all call :func:`analyze`.

Modules: ``cost`` (the cost algebra), ``results`` (the dataclasses), ``radon_glue``, ``fallback``
(functions and complexity from the tree-sitter tree), ``growth`` with ``growth_loops``,
``growth_operations``, ``growth_recursion`` and ``growth_parts`` (the estimate), ``caches`` and
``analysis`` (the entry points).
"""

from hasten.analyzers.metrics.analysis import analyze, analyze_text, estimator_for, metrics_for
from hasten.analyzers.metrics.cost import (
    CLASSES,
    CONSTANT,
    CUBIC,
    EXPONENTIAL,
    LINEAR,
    LOG,
    N_LOG_N,
    QUADRATIC,
    SQRT,
    Cost,
    parse_growth,
)
from hasten.analyzers.metrics.fallback import iter_functions, tree_sitter_complexity
from hasten.analyzers.metrics.growth import GrowthEstimator
from hasten.analyzers.metrics.radon_glue import _radon_blocks, module_maintainability
from hasten.analyzers.metrics.results import (
    FileMetrics,
    FunctionMetrics,
    Growth,
    Halstead,
    Loc,
    Reason,
    cc_rank,
    mi_rank,
)
from hasten.analyzers.qualname import qualified_name

__all__ = [
    "CLASSES", "CONSTANT", "CUBIC", "EXPONENTIAL", "LINEAR", "LOG", "N_LOG_N", "QUADRATIC", "SQRT",
    "Cost", "FileMetrics", "FunctionMetrics", "Growth", "GrowthEstimator", "Halstead", "Loc", "Reason",
    "_radon_blocks", "analyze", "analyze_text", "cc_rank", "estimator_for", "iter_functions",
    "metrics_for", "mi_rank", "module_maintainability", "parse_growth", "qualified_name",
    "tree_sitter_complexity",
]
