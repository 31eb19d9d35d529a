"""`hasten check`: report findings, optionally fix them.

Files are analyzed in parallel worker processes when there are many, and unchanged files are
answered from the content-hash cache in ``.hasten_cache`` (``--no-cache`` turns it off).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from hasten.analyzers.checker import check, enabled_rules, wants_scorer
from hasten.analyzers.config import Config, Overrides, resolve_config
from hasten.analyzers.finding import Applicability, Finding
from hasten.analyzers.rule import Reads
from hasten.analyzers.fixes import fix_text
from hasten.analyzers.source import Source
from hasten.server.cli.files import UnreadableInput, WriteRefused, python_files, read_source_file, read_stdin_source, write_user_file
from hasten.server.cli.output import FORMATTERS, FileReport
from hasten.server.cli.profiled import (
    add_arguments as add_profile_arguments, covering_profile, forget_profiles, promoted_in, stored_profiles,
)
from hasten.server.cli.selection import (
    add_selection_arguments, forget_project_configs, overrides_from_args, project_config, settings_choice,
    validate_selectors,
)

PARALLEL_THRESHOLD = 24  # below this many files, worker start-up costs more than it saves


def register(sub) -> None:
    parser = sub.add_parser(
        "check",
        help="report slow code (and fix it with --fix)",
        description="Report slow code in PATHs (files or directories; '-' reads standard input). "
        "Exit status: 0 clean, 1 findings, 2 usage or I/O error.",
    )
    add_check_arguments(parser)


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument(
        "--output-format", choices=sorted(FORMATTERS), default="text",
        help="output format (default: text; concise: one line per finding)",
    )
    parser.add_argument("--fix", action="store_true", help="apply safe fixes")
    parser.add_argument("--fix-only", action="store_true", help="apply safe fixes and report only how many: no findings, exit 0 (implies --fix)")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply unsafe fixes")
    parser.add_argument(
        "--diff", action="store_true",
        help="print the fixes as a unified diff instead of writing them, and a summary on standard error",
    )
    parser.add_argument(
        "--show-fixes", action="store_true",
        help="show each fix as a diff under its finding, and with --fix list the findings fixed",
    )
    parser.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead of the findings")
    parser.add_argument(
        "--add-noqa", action="store_true",
        help="write a `# noqa: CODE` comment on the line of each finding (files are written like --fix writes them)",
    )
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name of the file read from standard input")
    parser.add_argument("-e", "--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--exit-non-zero-on-fix", action="store_true", help="with --fix, exit 1 when a file was fixed, even if no finding remains")
    parser.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument("--no-source", action="store_true", help="do not show the source line under each finding")
    parser.add_argument("--diff-base", metavar="REV", help="report only findings on lines changed since the git revision REV")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings that are not in the baseline FILE")
    parser.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    parser.add_argument("-n", "--no-cache", action="store_true", help="do not read or write the .hasten_cache")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (default: one per CPU; 1 disables)")
    settings = parser.add_mutually_exclusive_group()
    settings.add_argument(
        "--config", metavar="FILE",
        help="read settings from FILE only (a pyproject.toml's [tool.hasten] table, or a TOML file of those "
        "keys), instead of the nearest pyproject.toml",
    )
    settings.add_argument("--isolated", action="store_true", help="ignore every settings file: hasten's defaults and the options given")
    parser.add_argument("--show-settings", action="store_true", help="print the settings for the first PATH, where each value came from, and exit")
    parser.add_argument("--show-files", action="store_true", help="print the files that would be checked, and exit")
    parser.add_argument("--exclude", metavar="PATTERNS", help="comma-separated glob patterns to skip (replaces the configured `exclude`)")
    parser.add_argument("--extend-exclude", metavar="PATTERNS", help="comma-separated glob patterns to skip, in addition to the configured ones")
    parser.add_argument(
        "--target-version", metavar="VERSION",
        help="the oldest Python the code must run on, e.g. py311 or 3.11 (replaces `target-version`; default 3.10)",
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print findings only: no notes, summary or progress")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="also print the files checked, cache use and timing on stderr")
    add_selection_arguments(parser)
    add_profile_arguments(parser)
    # -- verification (hasten.server.cli.verified) --
    parser.add_argument(
        "--verified-only", action="store_true",
        help="with --fix or --diff, apply only fixes verified against the project's tests (unsafe ones included: "
        "verification is the proof); see --verify-accept",
    )
    parser.add_argument(
        "--verify-accept", choices=("faster", "equivalent"), default="faster",
        help="with --verified-only: accept fixes verified faster (default), or also those equivalent with no measurable gain",
    )


@dataclass
class Job:
    """What one worker needs to analyze one file; plain data so it pickles."""

    path: str
    overrides: Overrides
    fix: bool
    unsafe: bool
    diff: bool
    cache_root: str | None
    settings: str | None = None  # see project_config
    add_noqa: bool = False
    profile_root: str | None = None  # where the stored profile is looked up from (see profiled.Profiles)


@dataclass
class Outcome:
    path: str
    text: str = ""
    new_text: str = ""
    findings: list[Finding] | None = None
    notes: list[str] | None = None
    fixed: int = 0
    diff: str = ""
    error: str | None = None
    config_messages: list[str] | None = None
    cached: bool = False
    fixed_codes: list[str] | None = None  # codes of the findings fixed, in order
    unsafe_fixable: int = 0  # with --diff: findings whose fix only --unsafe-fixes applies
    noqa_added: int = 0
    noqa_skipped: int = 0
    timings: dict[str, float] | None = None  # seconds per stage (parse, rules, model, promoted), for -v


def analyze(job: Job, text: str | None = None) -> Outcome:
    """Check (and fix) one file. Runs in a worker process or in the main one."""
    from hasten.server.cli.cache import Cache

    outcome = Outcome(job.path)
    if text is None:
        try:
            text = read_source_file(Path(job.path))
        except UnicodeDecodeError as exc:
            outcome.error = f"hasten: {job.path}: cannot decode the file ({exc.encoding}: {exc.reason} at byte {exc.start}); skipped"
            return outcome
        except LookupError as exc:
            outcome.error = f"hasten: {job.path}: {exc}; skipped"
            return outcome
        except OSError as exc:
            outcome.error = f"hasten: {job.path}: cannot read the file ({exc.strerror or exc}); skipped"
            return outcome
    cfg, messages = project_config(job.path if job.path != "<stdin>" else ".", job.settings)
    outcome.config_messages = [str(m) for m in messages]
    config = resolve_config(cfg, job.overrides)
    outcome.text = outcome.new_text = text
    cache = Cache(job.cache_root) if job.cache_root and not (job.fix or job.diff or job.add_noqa) else None
    if cache is not None:
        hit = cache.get(text, config, job.path)
        if hit is not None:
            outcome.findings, outcome.notes = hit
            outcome.cached = True
            # Promoted findings depend on the profile, not only on the text: never cached.
            outcome.findings = _with_promoted(job, text, config, outcome.findings)
            return outcome
    if job.diff:
        # The diff shows no findings: the model (HS900, which fixes nothing) is not loaded, and
        # the fixer starts from this one check instead of repeating it.
        source = Source(text, job.path)
        checked = check(source, config)
        first = _with_promoted(job, text, config, checked.findings, source)
        result = fix_text(text, config, path=job.path, unsafe=job.unsafe, checked=first)
        outcome.new_text = result.text
        outcome.fixed = len(result.applied)
        outcome.fixed_codes = [f.code for f in result.applied]
        if not job.unsafe:
            outcome.unsafe_fixable = sum(
                1 for f in first if f.fix is not None and f.fix.applicability is Applicability.UNSAFE
            )
        outcome.findings = first
    else:
        if job.fix:
            first = None
            if covering_profile(job.path, text, config, job.profile_root) is not None:
                source = Source(text, job.path)
                first = _with_promoted(job, text, config, check(source, config).findings, source)
            result = fix_text(text, config, path=job.path, unsafe=job.unsafe, checked=first)
            outcome.new_text = result.text
            outcome.fixed = len(result.applied)
            outcome.fixed_codes = [f.code for f in result.applied]
        # The findings shown are those of the text as it stands after fixing.
        checked, source = _timed_check(outcome.new_text, job.path, config, outcome)
        started = time.perf_counter()
        outcome.findings = _with_promoted(job, outcome.new_text, config, checked.findings, source)
        outcome.timings["promoted"] = time.perf_counter() - started
    outcome.notes = checked.notes
    if job.add_noqa and not job.diff:
        from hasten.server.cli.noqa import add_noqa

        noqa = add_noqa(outcome.new_text, outcome.findings, config, job.path)
        if noqa.error:
            outcome.error = f"hasten: {job.path}: --add-noqa: {noqa.error}"
            return outcome
        outcome.new_text = noqa.text
        outcome.noqa_added, outcome.noqa_skipped = noqa.added, noqa.skipped
    if job.diff and outcome.new_text != text:
        outcome.diff = "".join(
            difflib.unified_diff(text.splitlines(keepends=True), outcome.new_text.splitlines(keepends=True), fromfile=job.path, tofile=job.path)
        )
    if cache is not None:
        cache.put(text, config, job.path, checked.findings, checked.notes)
    return outcome


def _with_promoted(job: Job, text: str, config: Config, findings: list[Finding], source: Source | None = None) -> list[Finding]:
    """``findings`` and, where the stored profile covers this text, the preview rules' findings it
    proves costly (``hasten.server.profile.promote``), in order. With ``--fix`` their safe fixes
    apply in the first pass only: the fixed text is no longer the text the profile measured."""
    promoted = promoted_in(job.path, text, config, job.profile_root, earlier=findings, source=source)
    return sorted(findings + promoted, key=Finding.sort_key) if promoted else findings


def _timed_check(text: str, path: str, config: Config, outcome: Outcome):
    """``check`` in three timed stages: parse, the rules, then the rules that read the model (HS900)
    over the rules' findings (the same two steps as the language server's); and the parsed source."""
    t0 = time.perf_counter()
    source = Source(text, path)
    t1 = time.perf_counter()
    scorer = cli_scorer(config, path)
    model_rules = tuple(r for r in enabled_rules(config, path) if Reads.SCORER in r.reads) if scorer else ()
    checked = check(source, config)
    t2 = time.perf_counter()
    if model_rules:
        part = check(source, config, rules=model_rules, scorer=scorer, earlier=checked.findings)
        checked.findings = sorted(checked.findings + part.findings, key=Finding.sort_key)
        checked.notes += [n for n in part.notes if n not in checked.notes]
    outcome.timings = {"parse": t1 - t0, "rules": t2 - t1, "model": time.perf_counter() - t2}
    return checked, source


def cli_scorer(config: Config, path: str | None):
    """The model for HS900, loaded (and waited for) when the enabled rules want it."""
    if not wants_scorer(config, path):
        return None
    from hasten.model.loader import load_scorer

    return load_scorer()


class Progress:
    """A one-line progress bar on stderr, only for a terminal and never in CI."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled and total >= 50 and sys.stderr.isatty() and not os.environ.get("CI")
        self.done = 0
        self.last = 0.0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and self.done < self.total:
            return
        self.last = now
        width = 30
        filled = int(width * self.done / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {self.done}/{self.total} files")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    if getattr(args, "verified_only", None):  # issue 5: verify each fix, apply the verified ones
        from hasten.server.cli.verified import run_check_verified_only

        return run_check_verified_only(args)
    if getattr(args, "fix_only", False):
        args.fix = True
    problems = validate_selectors(args)
    if args.diff_base and (args.paths == ["-"]):
        problems.append("hasten: --diff-base needs files from a git work tree, not standard input")
    if args.add_noqa and (args.diff or args.paths == ["-"]):
        problems.append("hasten: --add-noqa writes files: it cannot be combined with --diff or standard input")
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 2
    started = time.monotonic()
    forget_project_configs()
    forget_profiles()
    overrides = overrides_from_args(args)
    settings = settings_choice(args)
    if args.show_settings:
        from hasten.server.cli.settings_report import show_settings

        sys.stdout.write(show_settings(args.paths[0], settings, overrides, args))
        return 0
    errors: list[str] = []
    outcomes: list[Outcome] = []

    baseline = None
    if args.baseline:
        from hasten.server.cli.baseline import read_baseline

        try:
            baseline = read_baseline(args.baseline)
        except ValueError as exc:
            print(f"hasten: {exc}", file=sys.stderr)
            return 2
    changed = None
    if args.diff_base:
        from hasten.server.cli.gitdiff import GitError, changed_lines

        try:
            changed = changed_lines(args.diff_base, cwd=args.paths[0] if os.path.isdir(args.paths[0]) else os.path.dirname(os.path.abspath(args.paths[0])))
        except GitError as exc:
            print(f"hasten: --diff-base {args.diff_base}: {exc}", file=sys.stderr)
            return 2

    if args.paths == ["-"]:
        name = args.stdin_filename or "<stdin>"
        job = Job(name, overrides, args.fix, args.unsafe_fixes, args.diff, None, settings)
        try:
            outcomes.append(analyze(job, read_stdin_source()))
        except UnreadableInput as exc:
            print(f"hasten: {exc}", file=sys.stderr)
            return 2
    else:
        if "-" in args.paths:
            print("hasten: '-' (standard input) cannot be combined with other paths", file=sys.stderr)
            return 2
        root_config = resolve_config(project_config(args.paths[0], settings)[0], overrides)
        files, errors = python_files(args.paths, root_config.exclude)
        if args.show_files:
            sys.stdout.write("".join(f"{p}\n" for p in files))
            for e in errors:
                print(e, file=sys.stderr)
            return 2 if errors else 0
        cache_root = None if args.no_cache else (root_config.root or os.getcwd())
        jobs = [
            Job(str(p), overrides, args.fix, args.unsafe_fixes, args.diff, cache_root, settings, args.add_noqa, root_config.root)
            for p in files
        ]
        workers = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
        progress = Progress(len(jobs), enabled=not args.quiet)
        if workers > 1 and len(jobs) >= PARALLEL_THRESHOLD:
            # Load the model before the workers fork: they share its pages instead of each loading it.
            cli_scorer(resolve_config(root_config, overrides), str(files[0]) if files else None)
            if files:  # and the stored profile (read by the report anyway), for promotion in the workers
                stored_profiles().of(str(files[0]), root_config.root)
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for outcome in pool.map(analyze, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
                    outcomes.append(outcome)
                    progress.step()
        else:
            for job in jobs:
                outcomes.append(analyze(job))
                progress.step()
        progress.close()

    shown_messages: set[str] = set()
    reports: list[FileReport] = []
    diffs: list[str] = []
    cached = noqa_added = noqa_skipped = unsafe_fixable = 0
    for outcome in outcomes:
        for text in outcome.config_messages or ():
            if text not in shown_messages:
                shown_messages.add(text)
                print(f"hasten: warning: {text}", file=sys.stderr)
        if outcome.error:
            errors.append(outcome.error)
            continue
        cached += outcome.cached
        if (args.fix or args.add_noqa) and not args.diff and outcome.new_text != outcome.text and outcome.path != (args.stdin_filename or "<stdin>"):
            problem = write_changes(outcome.path, outcome.text, outcome.new_text, args.paths)
            if problem:
                # Nothing was written: the findings still stand, whatever the report of the
                # rewritten text would say, and the run is not reported as passing.
                errors.append(f"hasten: {outcome.path}: {problem}")
                continue
        noqa_added += outcome.noqa_added
        noqa_skipped += outcome.noqa_skipped
        unsafe_fixable += outcome.unsafe_fixable
        if outcome.diff:
            diffs.append(outcome.diff)
        shown_text = outcome.text if args.diff else outcome.new_text
        reports.append(FileReport(outcome.path, shown_text, outcome.findings or [], outcome.notes or [], outcome.fixed, outcome.fixed_codes or []))

    if changed is not None:
        for report in reports:
            lines = changed.get(os.path.normcase(os.path.abspath(report.filename)), set())
            if lines is None:
                continue  # a new file: everything in it is new
            report.findings = [f for f in report.findings if _touches(report, f, lines)]
    if baseline is not None or args.write_baseline:
        from hasten.server.cli.baseline import fingerprints, write_baseline

        if args.write_baseline:
            entries = [e for r in reports for e in fingerprints(r.filename, r.source, r.findings)]
            try:
                write_baseline(args.write_baseline, entries)
            except OSError as exc:
                print(f"hasten: cannot write the baseline {args.write_baseline}: {exc.strerror or exc}", file=sys.stderr)
                return 2
            print(f"hasten: wrote {len(entries)} finding{'s' if len(entries) != 1 else ''} to the baseline {args.write_baseline}", file=sys.stderr)
            return 0
        for report in reports:
            kept = []
            for finding, key in zip(report.findings, fingerprints(report.filename, report.source, report.findings)):
                if baseline[key] > 0:
                    baseline[key] -= 1
                else:
                    kept.append(finding)
            report.findings = kept

    if not (args.diff or args.add_noqa or args.fix_only):
        from hasten.server.cli.profiled import apply_profile

        config_root = None if args.paths == ["-"] else root_config.root
        reports, profile_problems = apply_profile(reports, args.hot, config_root)
        if args.hot is not None and any(p.startswith("hasten: --hot") for p in profile_problems):
            print(profile_problems[-1], file=sys.stderr)
            return 2
        for problem in profile_problems:
            print(problem, file=sys.stderr)
    for e in errors:
        print(e, file=sys.stderr)
    output_started = time.perf_counter()
    if args.verbose:
        print(f"hasten: checked {len(reports)} file{'s' if len(reports) != 1 else ''} "
              f"({cached} from cache) in {time.monotonic() - started:.2f}s", file=sys.stderr)
    if args.add_noqa:
        if not args.quiet:
            print(f"Added {noqa_added} noqa directive{'s' if noqa_added != 1 else ''}."
                  + (f" {noqa_skipped} finding{'s' if noqa_skipped != 1 else ''} left: their line ends inside a "
                     "multi-line string or a continuation, where a comment cannot go." if noqa_skipped else ""),
                  file=sys.stderr)
        return 2 if errors else 0
    if args.diff:
        sys.stdout.write("".join(diffs))
        if not args.quiet:
            print(diff_summary(sum(r.fixed for r in reports), unsafe_fixable), file=sys.stderr)
        return 1 if diffs and not args.exit_zero else (2 if errors else 0)
    if args.paths == ["-"] and args.fix:
        sys.stdout.write(outcomes[0].new_text if outcomes and not outcomes[0].error else "")
        if not args.quiet:
            for r in reports:
                for note in r.notes:
                    print(f"note: {note}", file=sys.stderr)
        return 1 if any(r.findings for r in reports) and not args.exit_zero else 0
    if args.fix_only:
        fixed = sum(r.fixed for r in reports)
        if not args.quiet:
            print(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.")
        if errors:
            return 2
        return 1 if args.exit_non_zero_on_fix and fixed else 0
    if args.statistics:
        from hasten.server.cli.output import format_statistics

        out = format_statistics(reports, json_output=args.output_format in ("json", "json-lines"))
    else:
        formatter = FORMATTERS[args.output_format]
        out = formatter(
            reports, show_source=not args.no_source, unsafe=args.unsafe_fixes, show_fixes=args.show_fixes,
            complete=not errors,
        )
    if args.quiet and args.output_format in ("text", "concise"):
        out = "".join(l + "\n" for l in out.splitlines() if l and not l.startswith(("note:", "Found ", "All checks", "Fixed ")))
    if args.output_file:
        try:
            Path(args.output_file).write_text(out, encoding="utf-8")
        except OSError as exc:
            print(f"hasten: --output-file {args.output_file}: cannot write it ({exc.strerror or exc})", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(out)
    if args.verbose:
        _print_timings(outcomes, time.perf_counter() - output_started, time.monotonic() - started)
    if errors and not reports:
        return 2
    if any(r.findings for r in reports) and not args.exit_zero:
        return 1
    if args.exit_non_zero_on_fix and any(r.fixed for r in reports):
        return 1
    return 2 if errors else 0


def write_changes(path: str, old_text: str, new_text: str, roots: list[str]) -> str | None:
    """Write fixed (or --add-noqa) text over the file through the one writer of user files; the
    problem, when it was not written."""
    try:
        write_user_file(path, old_text, new_text, roots=roots)
    except WriteRefused as exc:
        return f"{exc}; its findings remain"
    return None


def diff_summary(fixable: int, unsafe_more: int) -> str:
    """ "Would fix N findings (M more with --unsafe-fixes)." """
    text = f"Would fix {fixable} finding{'s' if fixable != 1 else ''}"
    if unsafe_more:
        text += f" ({unsafe_more} more with --unsafe-fixes)"
    return text + "."


def _print_timings(outcomes: list[Outcome], output: float, wall: float) -> None:
    """Where the time went (-v): each stage summed over the files (and so over the workers)."""
    totals = {"parse": 0.0, "rules": 0.0, "model": 0.0}
    for outcome in outcomes:
        for stage, seconds in (outcome.timings or {}).items():
            totals[stage] = totals.get(stage, 0.0) + seconds
    stages = ", ".join(f"{stage} {seconds:.2f}s" for stage, seconds in totals.items())
    print(f"hasten: time by stage, summed over files: {stages}; output {output:.2f}s; wall clock {wall:.2f}s", file=sys.stderr)


def _touches(report: FileReport, finding: Finding, lines: set[int]) -> bool:
    first, _ = report.source.byte_to_cli(finding.start)
    last, _ = report.source.byte_to_cli(max(finding.start, finding.end - 1))
    return any(line in lines for line in range(first, last + 1))
