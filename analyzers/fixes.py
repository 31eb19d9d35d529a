"""Apply fixes: non-overlapping edits per pass, repeated until nothing changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from hasten.analyzers.config import Config
from hasten.analyzers.finding import Applicability, Edit, Finding, Fix
from hasten.analyzers.source import Source

MAX_PASSES = 10


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    """Apply edits (byte offsets into ``data``) that do not overlap; later ones first."""
    out = data
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.content.encode("utf-8", errors="surrogatepass") + out[edit.end :]
    return out


def fix_allowed(fix: Fix | None, unsafe: bool) -> bool:
    if fix is None:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


def choose_fixes(findings: list[Finding], unsafe: bool = False) -> list[Finding]:
    """Findings whose fixes can be applied together: allowed, and not overlapping earlier ones."""
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for finding in sorted(findings, key=Finding.sort_key):
        if not fix_allowed(finding.fix, unsafe):
            continue
        spans = [(e.start, e.end) for e in finding.fix.edits]
        if any(s < te and ts < e or (s == e == ts == te) for s, e in spans for ts, te in taken):
            continue
        chosen.append(finding)
        taken.extend(spans)
    return chosen


@dataclass
class FixResult:
    text: str
    applied: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    converged: bool = True
    passes: int = 0


def fix_text(
    text: str,
    config: Config | None = None,
    *,
    path: str | None = None,
    unsafe: bool = False,
    only: set[str] | None = None,
    checked: list[Finding] | None = None,
) -> FixResult:
    """Apply allowed fixes and re-check until no fix applies (at most MAX_PASSES passes).

    ``only`` restricts fixing to the given rule codes. ``checked``, when given, are the findings
    of ``text`` under ``config`` already found by the caller: the first pass then skips its check. A pass whose result no longer parses while
    the input did is rolled back: a fix must never introduce a syntax error.
    """
    from hasten.analyzers.checker import check

    result = FixResult(text=text)
    current = Source(text, path)
    for index in range(MAX_PASSES):
        if checked is not None and index == 0:
            findings = list(checked)
        else:
            findings = check(current, config).findings
        candidates = [f for f in findings if only is None or f.code in only]
        chosen = choose_fixes(candidates, unsafe)
        if not chosen:
            result.remaining = findings
            result.text = current.text
            return result
        result.passes += 1
        new_data = apply_edits(current.data, [e for f in chosen for e in f.fix.edits])
        new_source = Source(new_data.decode("utf-8", errors="surrogatepass"), path)
        if new_source.has_syntax_errors and not current.has_syntax_errors:
            # Roll back and report; the harness in tests makes sure this never happens.
            result.converged = False
            result.remaining = findings
            result.text = current.text
            return result
        result.applied.extend(chosen)
        current = new_source
    result.converged = False
    result.remaining = check(current, config).findings
    result.text = current.text
    return result
