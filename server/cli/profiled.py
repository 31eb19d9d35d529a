"""`hasten check` with a stored profile (``hasten profile``): each finding in profiled code gets its
measured share of the run (``finding.extra["profile"]``), HS501/HS502 messages get the measured
time beside their estimate, findings are ordered by measured cost and ``--hot`` keeps only those
in code above a share of the run.

Only the stored ``.hasten/profile.json`` is read: nothing here runs the project's code.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

from hasten.analyzers.finding import Finding
from hasten.server.cli.output import FileReport
from hasten.server.profile.measure import DEFAULT_HOT, Measure, annotate, cost_key, is_hot
from hasten.server.verify.project import PROJECT_MARKERS

# Rules whose message is an estimate of the whole function (complexity, growth class).
ESTIMATES = ("HS501", "HS502")


def hot_threshold(text: str) -> float:
    """``--hot`` values: a share (0.05) or a percentage (5%)."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a share of the run such as 0.05 or 5%, not {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1 (or 0% to 100%), not {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hot", nargs="?", const=DEFAULT_HOT, type=hot_threshold, metavar="THRESHOLD",
        help="with a stored profile (`hasten profile`), show only findings in code that took at least THRESHOLD "
        f"of the profiled run (a share such as 0.05, or 5%%; default {DEFAULT_HOT * 100:g}%%)",
    )


def with_measure(finding: Finding, measure: Measure | None) -> Finding:
    """HS501/HS502: the measured time beside the estimate in the message."""
    if measure is None or finding.code not in ESTIMATES:
        return finding
    return replace(finding, message=f"{finding.message} (measured: {measure.summary()})")


class Profiles:
    """The stored profile of each project root, read once."""

    def __init__(self) -> None:
        self._by_root: dict[str, object] = {}
        self._roots: dict[str, str] = {}  # directory of a file -> its project root
        self._marked: dict[tuple[str | None, Path], Path | None] = {}  # (settings root, resolved directory) -> nearest root at or above
        self.problems: list[str] = []
        self.found = False

    def _project_root(self, where: str, settings_root: str | None) -> Path:
        """``find_project_root(where, settings_root)``, each directory above looked at once per run."""
        current = Path(where).resolve()
        if current.is_file() or not current.exists():
            current = current.parent
        config = Path(settings_root).resolve() if settings_root else None
        walked = []
        directory = current
        while (settings_root, directory) not in self._marked:
            if directory == config or any((directory / marker).exists() for marker in PROJECT_MARKERS):
                self._marked[settings_root, directory] = directory
                break
            walked.append(directory)
            if directory.parent == directory:
                self._marked[settings_root, directory] = None
                break
            directory = directory.parent
        found = self._marked[settings_root, directory]
        for below in walked:
            self._marked[settings_root, below] = found
        return found if found is not None else current

    def of(self, filename: str, settings_root: str | None):
        from hasten.server.profile import ProfileError, load

        where = filename if os.path.exists(filename) else "."
        directory = os.path.abspath(where) if os.path.isdir(where) else os.path.dirname(os.path.abspath(where))
        if directory not in self._roots:
            self._roots[directory] = str(self._project_root(where, settings_root))
        root = self._roots[directory]
        if root not in self._by_root:
            try:
                self._by_root[root] = load(root)
            except ProfileError as exc:
                self.problems.append(f"hasten: warning: {exc}")
                self._by_root[root] = None
            self.found |= self._by_root[root] is not None
        return self._by_root[root]


_STORED: Profiles | None = None  # this process's stored profiles, for promotion (``promoted_in``)


def forget_profiles() -> None:
    """Start a run afresh: a profile may have been written since the last run in this process."""
    global _STORED
    _STORED = None


def stored_profiles() -> Profiles:
    """This run's profiles in this process (the checks in it and ``apply_profile`` share them)."""
    global _STORED
    if _STORED is None:
        _STORED = Profiles()
    return _STORED


def covering_profile(path: str, text: str, config, profile_root: str | None):
    """The stored profile when it measured ``path`` with exactly ``text`` and ``config`` leaves
    some preview rule to promote; else None. Costs a path and hash lookup, and no parse."""
    from hasten.server.profile.measure import entry_for
    from hasten.server.profile.promote import promotable_rules

    if not promotable_rules(config, path):
        return None
    profile = stored_profiles().of(path, profile_root)
    if profile is None or entry_for(profile, path, text.encode("utf-8", errors="surrogatepass")) is None:
        return None
    return profile


def promoted_in(path: str, text: str, config, profile_root: str | None, earlier=(), source=None) -> list[Finding]:
    """The findings of preview rules the stored profile proves costly in ``path`` (its ``text``,
    checked with ``config``; ``earlier``: the enabled rules' findings; ``source``: ``text`` parsed,
    when the caller has it); see ``hasten.server.profile.promote``."""
    from hasten.server.profile.promote import promoted_findings

    profile = covering_profile(path, text, config, profile_root)
    if profile is None:
        return []
    if source is None:
        from hasten.analyzers.source import Source

        source = Source(text, path)
    return promoted_findings(profile, source, config, earlier=earlier)


def apply_profile(reports: list[FileReport], hot: float | None, config_root: str | None = None) -> tuple[list[FileReport], list[str]]:
    """Measure the findings of ``reports`` against the stored profile; order them by measured cost
    (measured first, costliest first, then the others in their order); with ``hot``, keep only
    those at or above that share. Returns the reports to show (split where the order moves
    between files) and the problems to print."""
    profiles = stored_profiles()
    measured: list[tuple[float, int, FileReport, Finding]] = []
    others: list[tuple[FileReport, Finding]] = []
    for report in reports:
        profile = profiles.of(report.filename, config_root)
        if profile is None or not report.findings:
            others += [(report, f) for f in report.findings]
            continue
        findings = [replace(f, extra=dict(f.extra)) for f in report.findings]
        for finding, measure in zip(findings, annotate(profile, report.source, findings)):
            finding = with_measure(finding, measure)
            if hot is not None and not is_hot(finding, hot):
                continue
            if measure is not None:
                measured.append((cost_key(finding), len(measured), report, finding))
            else:
                others.append((report, finding))
    problems = list(profiles.problems)
    if hot is not None and not profiles.found:
        problems.append("hasten: --hot needs a profile: run `hasten profile` first (no .hasten/profile.json found)")
        return reports, problems
    if not profiles.found:
        return reports, problems
    measured.sort(key=lambda item: (item[0], item[1]))
    ordered = [(report, finding) for _, _, report, finding in measured]
    if hot is None:
        ordered += others
    return _regroup(reports, ordered), problems


def _regroup(reports: list[FileReport], ordered: list[tuple[FileReport, Finding]]) -> list[FileReport]:
    """Reports in the order of ``ordered``: consecutive findings of one file share a report; a
    file's notes and fix counts stay on its first part (files without findings come first)."""
    out: list[FileReport] = []
    started: set[int] = set()

    def part(report: FileReport) -> FileReport:
        first = id(report) not in started
        started.add(id(report))
        piece = FileReport(
            report.filename, report.text, [], report.notes if first else [],
            report.fixed if first else 0, report.fixed_codes if first else [],
        )
        piece.__dict__["source"] = report.source  # parsed once
        return piece

    shown = {id(r) for r, _ in ordered}
    for report in reports:
        if id(report) not in shown:
            out.append(part(report))
    last = None
    for report, finding in ordered:
        if report is not last:
            out.append(part(report))
            last = report
        out[-1].findings.append(finding)
    return out
