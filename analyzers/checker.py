"""Parse once, run the enabled rules in one walk of the tree, apply suppressions, sort."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import lru_cache

from tree_sitter import Query, QueryCursor

from hasten.analyzers.config import Config
from hasten.analyzers.finding import Finding
from hasten.analyzers.reads import release_tree_caches
from hasten.analyzers.registry import rules_by_code, select_rules
from hasten.analyzers.rule import Context, Reads, Rule
from hasten.analyzers.scoring import Scorer
from hasten.analyzers.source import PYTHON, Source
from hasten.analyzers.syntax.mutation import mutated_names
from hasten.analyzers.syntax.scope import bound_names
from hasten.analyzers.syntax.tree import OutOfTime, deadline as walk_deadline, inside_error
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


def drop_fixes_near_errors(source: Source, findings: list[Finding]) -> None:
    """Never rewrite around code we could not parse: drop the fixes that touch an ERROR node."""
    spans = [(n.start_byte, n.end_byte) for n in source.syntax_error_nodes()]
    for finding in findings:
        if finding.fix and any(
            e.start < hi and lo < max(e.end, e.start + 1) for e in finding.fix.edits for lo, hi in spans
        ):
            finding.fix = None


def wants_scorer(config: Config, path: str | None = None) -> bool:
    """Whether a check with ``config`` would use a scorer: a front end loads the model only then."""
    return config.model.enable and any(Reads.SCORER in rule.reads for rule in enabled_rules(config, path))


def _out_of_time(result: CheckResult, source: Source, budget: float | None, rule: Rule | None) -> None:
    result.complete = False
    who = f"rule {rule.code} skipped: took" if rule is not None else "analysis stopped: took"
    result.notes.append(f"{source.path or '<stdin>'}: {who} longer than {budget:g} s (the time budget); findings are partial")


def check(
    source: Source,
    config: Config | None = None,
    *,
    rules: tuple[Rule, ...] | None = None,
    budget: float | None = None,
    root=None,
    scorer: Scorer | None = None,
    earlier: list[Finding] | tuple = (),
) -> CheckResult:
    """Run the enabled rules over ``source`` (or over ``root``, a subtree, when given).

    ``budget`` is a time limit in seconds: past it the walk stops, the findings so far are kept
    and the result is marked incomplete with a note. It holds inside a rule too: the walks in
    ``syntax.tree`` look at the clock every thousand nodes or so, and a rule whose visit runs
    past the deadline is stopped there (``rule HSxxx skipped: took longer than N s``). A rule that raises is reported once as a
    note and skipped for the rest of the file; it never takes the analysis down. ``scorer`` is
    the model for the rules that read one (HS900); without it they find nothing. ``earlier`` are
    findings of the same file made by another check, for the rules that read ``FINDINGS``.
    """
    config = config or Config()
    result = CheckResult()
    if rules is None:
        rules = enabled_rules(config, source.path)
    dispatch = _dispatch(rules)
    ctx = Context(source, config, scorer, earlier)
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
    # The walks the rules share look at the same deadline (every thousand nodes or so), so a rule
    # whose one visit walks a huge subtree is stopped too: it raises OutOfTime, caught here.
    with walk_deadline(deadline):
        for visited, node in enumerate(nodes, 1):
            if deadline is not None and visited % 256 == 0 and time.monotonic() > deadline:
                result.complete = False
                result.notes.append(
                    f"{source.path or '<stdin>'}: analysis stopped after {budget:.1f}s; "
                    "findings are partial (the file is very large)"
                )
                break
            rule = None
            try:
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
            except OutOfTime:
                _out_of_time(result, source, budget, rule)
                break

        if root is None:
            for rule in rules:
                if Reads.FINDINGS not in rule.reads or rule.code in broken:
                    continue
                ctx._current = rule
                try:
                    rule.check_file(ctx)
                except OutOfTime:
                    _out_of_time(result, source, budget, rule)
                    break
                except Exception as exc:  # a rule bug must never take the analysis down
                    log.exception("rule %s failed on %s", rule.code, source.path)
                    result.notes.append(f"internal error in rule {rule.code} ({exc!r}); it was skipped for this file")

    # The scope queries memoize on nodes, which keep their trees alive: release them per check,
    # and the fact queries' memos after a whole-file check (the next check is of another tree;
    # the command line checks thousands of files in one process).
    bound_names.cache_clear()
    mutated_names.cache_clear()
    if root is None:
        release_tree_caches()

    if source.has_syntax_errors and root is None:
        result.notes.extend(syntax_error_notes(source))
        drop_fixes_near_errors(source, ctx.findings)

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
