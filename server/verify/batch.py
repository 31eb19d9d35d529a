"""Verify many fixes: the findings of a file, and `hasten check --fix --verified-only`."""

from __future__ import annotations

import difflib
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from hasten.analyzers.config import Config
from hasten.analyzers.finding import Applicability, Finding
from hasten.analyzers.fixes import apply_edits
from hasten.analyzers.source import Source
from hasten.server.verify.core import EQUIVALENT, VERIFIED_FASTER, Verdict, verify_fix
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


def run_check_verified_only(args) -> int:
    """`hasten check --fix --verified-only [--verify-accept equivalent]`: verify every fix, apply the ones
    whose verdict the user accepts, and print each verdict with its evidence."""
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import load_config
    from hasten.server.commands.check import effective_config, validate_selectors
    from hasten.server.files import python_files, read_source_file

    from hasten.server.verify.process import exit_cleanly_on_sigterm

    exit_cleanly_on_sigterm()
    problems = validate_selectors(args)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 2
    if args.paths == ["-"] or "-" in args.paths:
        print("hasten: --verified-only needs files on disk (their project's tests run on copies)", file=sys.stderr)
        return 2
    accept = ACCEPT_EQUIVALENT if getattr(args, "verify_accept", "faster") == "equivalent" else ACCEPT_FASTER
    root_config, _ = load_config(args.paths[0])
    files, errors = python_files(args.paths, root_config.exclude)
    total_applied = 0
    total_checked = 0
    diffs = []
    for path in files:
        try:
            text = read_source_file(path)
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"hasten: {path}: cannot read the file ({exc}); skipped")
            continue
        config = effective_config(load_config(str(path))[0], args)
        source = Source(text, str(path))
        findings = check(source, config).findings  # only fixes matter: the model never writes one
        if not verifiable(findings):
            continue

        def progress(finding, stage, message, percent=None, path=path):
            if not args.quiet and sys.stderr.isatty():
                print(f"\r\033[K{path}: {finding.code}: {stage}: {message}", end="", file=sys.stderr, flush=True)

        results = verified_fixes(str(path), findings, config, accept, text=text, progress=progress)
        if not args.quiet and sys.stderr.isatty():
            print("\r\033[K", end="", file=sys.stderr)
        new_text, applied, held = apply_verified(text, results, str(path))
        total_checked += len(results)
        total_applied += len(applied)
        for r in results:
            line, col = source.byte_to_cli(r.finding.start)
            mark = "applied" if r in applied else ("held back: another fix in the same function was applied; run again" if r in held else "not applied")
            print(f"{path}:{line}:{col}: {r.finding.code} {r.finding.fix.title} — {r.verdict.headline()} [{mark}]")
        if new_text != text:
            if args.diff:
                diffs.append("".join(difflib.unified_diff(text.splitlines(True), new_text.splitlines(True), str(path), str(path))))
            else:
                Path(path).write_bytes(new_text.encode("utf-8", errors="surrogatepass"))
    for e in errors:
        print(e, file=sys.stderr)
    if args.diff:
        sys.stdout.write("".join(diffs))
    what = "verified faster" if accept == ACCEPT_FASTER else "verified faster or equivalent"
    print(f"{'Would apply' if args.diff else 'Applied'} {total_applied} of {total_checked} fixes ({what}).")
    return 2 if errors else 0
