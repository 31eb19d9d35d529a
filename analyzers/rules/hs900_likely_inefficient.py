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
# What each kind of cost is called in a finding.
CATEGORY_TEXT = {
    "none": "no known extra cost",
    "linear-search": "repeated linear search in a loop",
    "repeated-sort": "sorting repeated inside a loop",
    "string-building": "quadratic string building",
    "recomputed-aggregate": "recomputed aggregate inside a loop",
    "nested-loop-join": "nested-loop matching (a scan per item)",
    "exponential-recursion": "recursion without memoisation",
    "list-queue": "list used as a queue (pop(0)/insert(0))",
    "slice-copy": "slice copies inside a loop",
    "needless-copy": "needless copy of a collection",
    "list-concatenation": "list rebuilt by concatenation in a loop",
    "brute-force": "brute-force search with more iterations than needed",
    "invariant-in-loop": "invariant work repeated inside a loop",
}

# The hasten rule whose rewrite applies to a kind, when there is one.
CATEGORY_RULE = {
    "linear-search": "HS101",
    "repeated-sort": "HS116",
    "string-building": "HS103",
    "recomputed-aggregate": "HS106",
    "nested-loop-join": "HS107",
    "exponential-recursion": "HS111",
    "list-queue": "HS102",
    "slice-copy": "HS110",
    "list-concatenation": "HS108",
    "invariant-in-loop": "HS201",
}

MAX_BYTES = 1 << 20  # generated or data-like files: scoring them costs seconds and says little


class LikelyInefficient(Rule):
    code = "HS900"
    name = "likely-inefficient"
    family = "model"
    summary = "The model scores this function as likely needlessly slow; no rule explains it"
    what = """
Reported by hasten's compact code model (model/hasten-student.onnx, described in
model/MODEL_CARD.md), not by a pattern. The model reads each function (and the module-level code)
as a normalized token sequence — names replaced by their role, layout and redundant parentheses
ignored — and scores how likely it is to be needlessly slow. A finding appears when a unit's score
reaches `model.threshold` and no rule already reports a finding on the line the model points at.
The message names the kind of cost the model sees (for example "repeated linear search in a
loop", "quadratic string building", "recomputed aggregate inside a loop", "list used as a queue"),
the one code line that drives the score (never a comment or docstring line), and the rule whose
rewrite applies when there is one (`hasten rule HS101`). Disable it with `model = false` (or
`[tool.hasten.model] enable = false`), or ignore `HS900`.

HS900 is a **preview** rule: it is off by default and runs only with `--preview` (`preview =
true`) or when selected by code (`--select HS900`, `extend-select = ["HS900"]`). Its judged
precision on real code is below the 80% the project asks of a stable rule, and the model does not
yet beat simple baselines (line count, loop count) by the margin the project asks at ranking real
slow/fast pairs; the model card gives the figures and the targets it must meet to return to stable.
"""
    why = """
The model was trained on measured speed: small problems, each solved several ways by the team
(linear search against hashing, repeated sorting, strings built with `+=`, aggregates recomputed
in a loop, nested-loop joins, recursion without a cache, `pop(0)` queues, slice copies, brute-force
loops, and equally fast rewrites), rendered as functions and as scripts with random names and
layout, and timed on inputs of growing size. It learned to rank the measured-slower version above
the faster one. It does not run your code and cannot see types or sizes, so each finding is a
prompt to look, not a proof (model/MODEL_CARD.md has the judged precision).
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
    # Preview (off by default) under the project's rule: judged precision below 80% means preview.
    # It returns to stable only when the targets in model/MODEL_CARD.md are met.
    status = Status.PREVIEW
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
        lines = [ln for ln in s.top_lines if ln not in covered and _code_line(source, ln)]
        if not lines:
            continue
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
        end = source.line_end(line - 1)
        if end <= start:
            end = start
        cat, prob = _named_kind(s.categories)
        message = _message(s, cat, line)
        out.append(
            Finding(
                code=LikelyInefficient.code,
                name=LikelyInefficient.name,
                message=message,
                start=start,
                end=end,
                severity=severity,
                fix=None,
                extra={
                    "score": round(s.score, 4),
                    "category": cat,
                    "category_probability": round(prob, 4),
                    "categories": {n: round(p, 4) for n, p in s.categories},
                    "lines": [line],
                    "qualname": s.qualname,
                    "rule": CATEGORY_RULE.get(cat),
                },
            )
        )
    return out


def _named_kind(categories: Sequence[tuple[str, float]]) -> tuple[str, float]:
    """The most likely kind of cost other than "none" (a finding is only made for a unit the
    model scores as slow, so it names the likeliest cost even when "none" ranks first)."""
    for name, p in categories:
        if name != "none" and name in CATEGORY_TEXT:
            return name, p
    return categories[0] if categories else ("none", 0.0)


def _message(s: UnitScore, cat: str, line: int) -> str:
    what = CATEGORY_TEXT.get(cat, cat)
    where = f"`{s.qualname}`" if s.kind == "function" else "the module-level code"
    text = f"Likely slow: {what} (line {line} of {where}; model score {s.score:.0%})"
    rule = CATEGORY_RULE.get(cat)
    if rule is not None:
        text += f"; `hasten rule {rule}` shows the rewrite"
    else:
        text += "; no rule has a rewrite for it, so review it by hand"
    return text


def _code_line(source: Source, line: int) -> bool:
    """A line with code on it: not blank, not a comment, not inside a docstring."""
    text = source.line_text(line - 1).strip()
    if not text or text.startswith("#"):
        return False
    return line not in _docstring_lines(source)


def _docstring_lines(source: Source) -> set[int]:
    cached = getattr(source, "_hasten_docstring_lines", None)
    if cached is not None:
        return cached
    lines: set[int] = set()
    stack = [source.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in ("module", "block", "function_definition", "class_definition", "decorated_definition"):
            first = next((c for c in node.named_children if c.type != "comment"), None)
            if first is not None and first.type == "expression_statement" and first.named_child_count == 1 and first.named_children[0].type in ("string", "concatenated_string"):
                lines.update(range(first.start_point[0] + 1, first.end_point[0] + 2))
            stack.extend(c for c in node.named_children if c.type in ("function_definition", "class_definition", "decorated_definition", "block"))
    try:
        source._hasten_docstring_lines = lines
    except AttributeError:
        pass
    return lines
