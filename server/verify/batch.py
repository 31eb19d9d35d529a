"""Verify many fixes: the findings of a file, and applying the verified ones together."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Iterable

from hasten.analyzers.config import Config
from hasten.analyzers.finding import Applicability, Finding
from hasten.analyzers.fixes import apply_edits
from hasten.analyzers.source import Source
from hasten.server.verify.core import verify_fix
from hasten.server.verify.verdict import EQUIVALENT, VERIFIED_FASTER, Verdict
from hasten.server.verify.target import target_of

ACCEPT_FASTER = (VERIFIED_FASTER,)
ACCEPT_EQUIVALENT = (VERIFIED_FASTER, EQUIVALENT)


@dataclass
class VerifiedFix:
    finding: Finding
    verdict: Verdict
    accepted: bool


def verifiable(findings: Iterable[Finding]) -> list[Finding]:
    """Findings whose fix could be applied: safe or unsafe (verification is the proof)."""
    return [f for f in findings if f.fix is not None and f.fix.applicability is not Applicability.DISPLAY_ONLY]


def verified_fixes(
    path: str,
    findings: list[Finding],
    config: Config,
    accept: tuple[str, ...] = ACCEPT_FASTER,
    *,
    text: str | None = None,
    progress: Callable[[Finding, str, str, "int | None"], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[VerifiedFix]:
    """Verify each fix among ``findings`` (offsets into ``text`` or the file); mark the accepted."""
    out = []
    for finding in verifiable(findings):
        report = (lambda stage, message, percent=None, f=finding: progress(f, stage, message, percent)) if progress else None
        verdict = verify_fix(path, finding.fix, text=text, config=config, progress=report, cancel=cancel)
        out.append(VerifiedFix(finding, verdict, verdict.kind in accept))
    return out


def apply_verified(text: str, results: list[VerifiedFix], path: str | None = None) -> tuple[str, list[VerifiedFix], list[VerifiedFix]]:
    """Apply accepted fixes that neither overlap nor share a function (each was verified alone);
    return the new text, the applied and the held back."""
    source = Source(text, path)
    applied, held = [], []
    taken: list[tuple[int, int]] = []
    functions: set[tuple[int, int]] = set()
    for result in sorted((r for r in results if r.accepted), key=lambda r: r.finding.sort_key()):
        spans = [(e.start, e.end) for e in result.finding.fix.edits]
        target = target_of(source, result.finding.fix)
        key = (target.start, target.end) if target else (-1, -1)
        if key in functions or any(s < te and ts < e or s == e == ts == te for s, e in spans for ts, te in taken):
            held.append(result)
            continue
        applied.append(result)
        taken.extend(spans)
        functions.add(key)
    data = apply_edits(source.data, [e for r in applied for e in r.finding.fix.edits])
    return data.decode("utf-8", errors="surrogatepass"), applied, held
