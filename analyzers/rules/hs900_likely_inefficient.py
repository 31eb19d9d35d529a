"""HS900: the model's finding. It visits no node: once per file, after the other rules, it turns
the scores of the scorer a front end passed to the checker (``analyzers/scoring.py``) into findings
on the lines no rule finding covers. Without a scorer it finds nothing. It lives in the registry so
the code is documented and can be selected, ignored and given a severity like any rule."""

from __future__ import annotations

import logging
from typing import Iterable, Sequence

from hasten.analyzers.config import ModelConfig
from hasten.analyzers.finding import Finding, Severity
from hasten.analyzers.rule import Context, FixAvailability, Reads, Rule, Status
from hasten.analyzers.scoring import UnitScore
from hasten.analyzers.source import Source

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = ModelConfig.threshold
MAX_BYTES = 1 << 20  # generated or data-like files: scoring them costs seconds and says little


class LikelyInefficient(Rule):
    code = "HS900"
    name = "likely-inefficient"
    family = "model"
    summary = "The model scores this function as likely needlessly slow; no rule explains it"
    what = """
Reported by hasten's compact code model (model/hasten-student.onnx, described in
model/MODEL_CARD.md), not by a pattern. The model reads each function (and the module-level code)
as a normalized token sequence, scores how likely it is to contain a fixable inefficiency, names
the most likely kind (complexity, loops, idioms, data or other) and points at the lines that drove
the score. A finding appears on those lines when the score reaches `model.threshold` and no rule
already reports a finding on the same lines. The message carries the
category and the confidence. Disable it with `model = false` (or `[tool.hasten.model] enable =
false`), or ignore `HS900`.
"""
    why = """
The model was trained on real functions from the standard library and PyPI packages into which
known slow patterns were injected (a set lookup turned into a list scan, `"".join` into `+=`,
`deque.popleft()` into `list.pop(0)`, invariant work moved into a loop, a cache removed, ...), plus
the rule engine's own findings. It flags code that *looks like* those patterns. It does not run the
code and cannot measure it, so each finding is a prompt to look, not a proof: on a judged sample
of real code most of its findings were not real inefficiencies (model/MODEL_CARD.md has the
figures, by threshold).
"""
    example = """
def dedupe(items):
    seen = []
    out = []
    for item in items:
        if seen.count(item) == 0:
            seen.append(item)
            out.append(item)
    return out
"""
    use_instead = """
def dedupe(items):
    seen = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
"""
    fix_safety = """
There is no fix: the model ranks and points, it never writes code. Rewrites come only from the
deterministic rules.
"""
    fix_availability = FixAvailability.NEVER
    status = Status.STABLE
    severity = Severity.INFORMATION
    aliases = ()
    node_types = ()
    reads = frozenset({Reads.SCORER, Reads.FINDINGS, Reads.CONFIG})

    def visit(self, node, ctx) -> None:  # pragma: no cover - never called (no node types)
        return None

    def check_file(self, ctx: Context) -> None:
        model = ctx.config.model
        if ctx.scorer is None or not model.enable or len(ctx.source.data) > MAX_BYTES:
            return
        try:
            scores = ctx.scorer.score_source(ctx.source)
        except Exception as exc:  # a scoring failure must not cost the user their rule findings
            log.warning("hasten model failed on %s (%s); rule findings only", ctx.source.path or "<buffer>", exc)
            return
        existing = ctx.earlier + ctx.findings
        ctx.findings.extend(model_findings(ctx.source, scores, existing, model.threshold, model.severity))


def _covered_lines(source: Source, findings: Iterable[Finding]) -> set[int]:
    lines: set[int] = set()
    for f in findings:
        a = source.line_of_byte(f.start) + 1
        b = source.line_of_byte(max(f.end - 1, f.start)) + 1
        lines.update(range(a, b + 1))
    return lines


def model_findings(
    source: Source,
    scores: Sequence[UnitScore],
    existing_findings: Iterable[Finding] = (),
    threshold: float = DEFAULT_THRESHOLD,
    severity: Severity = Severity.INFORMATION,
) -> list[Finding]:
    """HS900 findings for units scoring at least ``threshold``, on the lines the model points
    at, skipping lines a rule finding already covers. One finding per line at most: when an
    outer and a nested function point at the same line, the higher score wins."""
    covered = _covered_lines(source, [f for f in existing_findings if f.code != LikelyInefficient.code])
    by_line: dict[int, tuple[UnitScore, list[int]]] = {}
    for s in scores:
        if s.score < threshold:
            continue
        if not s.top_lines or s.top_lines[0] in covered:
            continue  # the line that drove the score is already explained by a rule
        lines = [ln for ln in s.top_lines if ln not in covered]
        line = lines[0]
        prev = by_line.get(line)
        if prev is None or s.score > prev[0].score:
            by_line[line] = (s, lines)
    out = []
    for line, (s, lines) in sorted(by_line.items()):
        start = source.line_starts[line - 1]
        text = source.line_text(line - 1)
        indent = len(text) - len(text.lstrip())
        start += len(text[:indent].encode("utf-8"))
        end = max(source.line_end(line - 1), start)
        cat, prob = s.categories[0]
        where = "line " + str(lines[0]) if len(lines) == 1 else "lines " + ", ".join(map(str, lines))
        message = (
            f"Likely inefficient ({cat}, {s.score:.0%} confidence): the model points at {where} "
            f"of `{s.qualname}`; no rule explains it, so review it by hand (no automatic fix)"
        )
        extra = {
            "score": round(s.score, 4),
            "category": cat,
            "category_probability": round(prob, 4),
            "categories": {n: round(p, 4) for n, p in s.categories},
            "lines": lines,
            "qualname": s.qualname,
        }
        out.append(
            Finding(LikelyInefficient.code, LikelyInefficient.name, message, start, end, severity, fix=None, extra=extra)
        )
    return out
