"""Parse once, run the enabled rules in one walk of the tree, apply suppressions, sort."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

from tree_sitter import Query, QueryCursor

from hasten.analyzers.config import Config
from hasten.analyzers.finding import Finding
from hasten.analyzers.registry import rules_by_code, select_rules
from hasten.analyzers.rule import Context, Rule
from hasten.analyzers.source import PYTHON, Source
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.scope import bound_names
from hasten.analyzers.syntax.tree import inside_error
from hasten.analyzers.suppression import is_suppressed, suppressions

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # syntax errors, time budget, rule failures
    suppressed: int = 0
    complete: bool = True  # False when the time budget cut the analysis short


@lru_cache(maxsize=64)
def _enabled(select, extend_select, ignore, preview) -> tuple[Rule, ...]:
    return tuple(rule() for rule in select_rules(select, extend_select, ignore, preview))


def enabled_rules(config: Config, path: str | None = None) -> tuple[Rule, ...]:
    ignore = tuple(config.ignore) + config.ignores_for(path)
    return _enabled(config.select, config.extend_select, ignore, config.preview)


@lru_cache(maxsize=64)
def _query(node_types: tuple[str, ...]) -> Query | None:
    """One query capturing every node type some enabled rule visits; matching runs in C."""
    valid = []
    for node_type in node_types:
        try:
            Query(PYTHON, f"({node_type}) @x")
        except Exception:  # a rule naming a node type the grammar lacks must not stop the others
            log.error("unknown tree-sitter node type %r in a rule's node_types; ignored", node_type)
            continue
        valid.append(node_type)
    if not valid:
        return None
    return Query(PYTHON, " ".join(f"({t}) @{t.replace('_', '-')}" for t in valid))


@lru_cache(maxsize=64)
def _dispatch(rules: tuple[Rule, ...]) -> dict[str, tuple[Rule, ...]]:
    table: dict[str, list[Rule]] = {}
    for rule in rules:
        for node_type in rule.node_types:
            table.setdefault(node_type, []).append(rule)
    return {k: tuple(v) for k, v in table.items()}


def syntax_error_notes(source: Source) -> list[str]:
    notes = []
    for node in source.syntax_error_nodes()[:20]:
        line, col = source.byte_to_cli(node.start_byte)
        what = f"expected `{node.type}`" if node.is_missing else "invalid syntax"
        notes.append(f"{source.path or '<stdin>'}:{line}:{col}: syntax error ({what}); code there is not analyzed")
    return notes


MODEL_CODE = "HS900"
MODEL_MAX_BYTES = 1 << 20
_model_thread: threading.Thread | None = None
_model_lock = threading.Lock()
_model_settled = threading.Event()  # set once the background load has finished (or failed)


def _load_model_in_background() -> None:
    """Import the model runtime (numpy, onnxruntime) and load the model off the caller's thread."""
    global _model_thread
    with _model_lock:
        if _model_thread is not None:
            return

        def load() -> None:
            try:
                from hasten.model.runtime import load_scorer

                load_scorer()
            except Exception:  # the runtime logs the reason once; rules alone run
                log.exception("the model could not be loaded; rules alone run")
            finally:
                _model_settled.set()

        _model_thread = threading.Thread(target=load, name="hasten-model-load", daemon=True)
        _model_thread.start()


def model_findings(source: Source, config: Config, existing: list[Finding], mode: str) -> list[Finding]:
    """HS900 findings from the model, on lines no rule finding covers.

    ``mode`` is "wait" (load the model if needed: the CLI), "ready" (use it only once loaded,
    starting the load in the background: the server, which must never block), or "off".
    """
    if mode == "off" or not config.model.enable:
        return []
    if len(source.data) > MODEL_MAX_BYTES:
        return []  # generated or data-like files: scoring them costs seconds and says little
    if mode == "wait":
        from hasten.model.runtime import findings_for, load_scorer

        return findings_for(source, existing, config, scorer=load_scorer())
    if not _model_settled.is_set():
        _load_model_in_background()
        return []
    from hasten.model.runtime import current_scorer, findings_for

    if current_scorer() is None:  # missing or broken model: said once when loading
        return []
    return findings_for(source, existing, config)


def check(
    source: Source,
    config: Config | None = None,
    *,
    rules: tuple[Rule, ...] | None = None,
    budget: float | None = None,
    root=None,
    model: str = "wait",
    existing: list[Finding] | tuple = (),
) -> CheckResult:
    """Run the enabled rules over ``source`` (or over ``root``, a subtree, when given).

    ``budget`` is a time limit in seconds: past it the walk stops, the findings so far are kept
    and the result is marked incomplete with a note. A rule that raises is reported once as a
    note and skipped for the rest of the file; it never takes the analysis down.
    """
    config = config or Config()
    result = CheckResult()
    if rules is None:
        rules = enabled_rules(config, source.path)
    dispatch = _dispatch(rules)
    ctx = Context(source, config)
    broken: set[str] = set()
    deadline = time.monotonic() + budget if budget else None
    start_node = root if root is not None else source.tree.root_node
    query = _query(tuple(sorted(dispatch)))
    if query is not None:
        captures = QueryCursor(query).captures(start_node)
        nodes = sorted(
            (n for found in captures.values() for n in found), key=lambda n: (n.start_byte, -n.end_byte)
        )
    else:
        nodes = []
    check_errors = start_node.has_error
    for visited, node in enumerate(nodes, 1):
        if deadline is not None and visited % 256 == 0 and time.monotonic() > deadline:
            result.complete = False
            result.notes.append(
                f"{source.path or '<stdin>'}: analysis stopped after {budget:.1f}s; "
                "findings are partial (the file is very large)"
            )
            break
        # ERROR subtrees are not analyzed: what they mean is a guess.
        if check_errors and inside_error(node):
            continue
        for rule in dispatch[node.type]:
            if rule.code in broken:
                continue
            ctx._current = rule
            try:
                rule.visit(node, ctx)
            except Exception as exc:  # a rule bug must never take the analysis down
                broken.add(rule.code)
                log.exception("rule %s failed on %s", rule.code, source.path)
                result.notes.append(f"internal error in rule {rule.code} ({exc!r}); it was skipped for this file")

    if root is None and any(rule.code == MODEL_CODE for rule in rules):
        try:
            ctx.findings.extend(model_findings(source, config, list(existing) + ctx.findings, model))
        except Exception as exc:  # the model must never cost the user their rule findings
            log.exception("model scoring failed on %s", source.path)
            result.notes.append(f"the model could not score this file ({exc!r}); rule findings only")

    # The scope queries memoize on nodes, which keep their trees alive: release them per check.
    bound_names.cache_clear()
    mutated_names.cache_clear()

    if source.has_syntax_errors and root is None:
        result.notes.extend(syntax_error_notes(source))
        error_spans = [(n.start_byte, n.end_byte) for n in source.syntax_error_nodes()]
        for finding in ctx.findings:
            if finding.fix and any(
                e.start < hi and lo < max(e.end, e.start + 1) for e in finding.fix.edits for lo, hi in error_spans
            ):
                finding.fix = None  # never rewrite around code we could not parse

    table = {}
    if ctx.findings:
        span = None
        if root is not None:  # only the comments on the lines of the subtree and its findings
            at = [f.start for f in ctx.findings]
            span = (min(start_node.start_byte, *at), max(start_node.end_byte, *at))
        table = suppressions(source, span)
    by_code = rules_by_code()
    for finding in ctx.findings:
        rule = by_code.get(finding.code)
        aliases = rule.aliases if rule else ()
        if table and is_suppressed(table, source.line_of_byte(finding.start), finding.code, aliases):
            result.suppressed += 1
            continue
        override = config.severity_for(finding.code)
        if override is not None:
            finding.severity = override
        result.findings.append(finding)
    result.findings.sort(key=Finding.sort_key)
    return result
