"""`hasten verify PATH[:LINE]`: verify the fixes found there against the project's own tests."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import replace
from pathlib import Path

EXIT_OK = 0
EXIT_NOT_VERIFIED = 1
EXIT_ERROR = 2
EXIT_NOTHING_TO_VERIFY = 3  # no fix to verify there (with the rules selected): nothing was verified


def register(sub) -> None:
    parser = sub.add_parser(
        "verify",
        help="verify fixes against the project's tests",
        description=(
            "Verify the fixes hasten offers in PATH (a file, optionally with :LINE, or a directory): "
            "run the tests that reach each changed function on the original and the rewritten code "
            "in an isolated copy, compare their calls, time them, and print a verdict with evidence. "
            "Exit status: 0 when every fix is verified faster or equivalent, 1 otherwise, 2 on errors, "
            "3 when there is no fix to verify there (with the rules selected)."
        ),
    )
    parser.add_argument("target", metavar="PATH[:LINE]", help="file (optionally :LINE) or directory")
    parser.add_argument("--rule", metavar="CODE", help="only fixes of this rule (e.g. HS101)")
    parser.add_argument("--output-format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--timeout", type=_seconds, metavar="SECONDS", help="per-run timeout (overrides verify.timeout)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on standard error")
    from hasten.server.cli.selection import add_selection_arguments

    add_selection_arguments(parser)  # --select, --extend-select, --ignore, --preview: as for check


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"invalid value {value!r}: expected a positive number of seconds")
    return seconds


def parse_target(value: str) -> tuple[str, int | None]:
    match = re.fullmatch(r"(.*?):(\d+)", value)
    if match and not Path(value).exists():
        return match.group(1), int(match.group(2))
    return value, None


def progress_bar(done: int, total: int, width: int = 20) -> str:
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def verdict_summary(kinds: list[str]) -> str:
    """ "Verified 5 fixes: 3 verified-faster, 1 equivalent-no-gain, 1 slower." """
    from collections import Counter

    counts = Counter(kinds)
    parts = ", ".join(f"{n} {kind}" for kind, n in counts.most_common())
    return f"Verified {len(kinds)} fix{'es' if len(kinds) != 1 else ''}: {parts}."


def _lines(source, finding) -> tuple[int, int]:
    return source.byte_to_cli(finding.start)[0], source.byte_to_cli(max(finding.start, finding.end - 1))[0]


def run(args: argparse.Namespace) -> int:
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import load_config, resolve_config
    from hasten.analyzers.source import Source
    from hasten.server.cli.files import python_files, read_python_files
    from hasten.server.cli.verified import announce_test_run
    from hasten.server.verify.batch import verifiable
    from hasten.server.verify.core import EQUIVALENT, VERIFIED_FASTER, verify_fix
    from hasten.server.verify.target import target_of

    from hasten.server.cli.selection import overrides_from_args, validate_selectors
    from hasten.server.verify.process import exit_cleanly_on_sigterm

    exit_cleanly_on_sigterm()
    problems = validate_selectors(args)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return EXIT_ERROR
    raw, line = parse_target(args.target)
    if not Path(raw).exists():
        print(f"hasten: {raw}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR
    if line is not None and not Path(raw).is_file():
        print(f"hasten: {args.target}: a line number needs a file", file=sys.stderr)
        return EXIT_ERROR
    root_config, _ = load_config(raw)
    files, errors = python_files([raw], root_config.exclude)
    rule = args.rule.strip().upper() if args.rule else None
    results = []
    todo = []
    show_progress = not args.quiet and sys.stderr.isatty()
    overrides = replace(overrides_from_args(args), verify=(("timeout", args.timeout),) if args.timeout else ())
    announced: set[str] = set()
    for path, text in read_python_files(files, errors, note=""):
        config = resolve_config(load_config(str(path))[0], overrides)
        source = Source(text, str(path))
        findings = verifiable(check(source, config).findings)  # the model writes no fixes
        if rule:
            findings = [f for f in findings if f.code == rule]
        if line is not None:
            at_line = [f for f in findings if _lines(source, f)[0] <= line <= _lines(source, f)[1]]
            if not at_line:  # else: the fixes in the function around that line
                at_line = [f for f in findings if (t := target_of(source, f.fix)) and source.byte_to_cli(t.start)[0] <= line <= source.byte_to_cli(max(t.start, t.end - 1))[0]]
            findings = at_line
        todo += [(path, text, source, config, finding) for finding in findings]
    for number, (path, text, source, config, finding) in enumerate(todo, 1):
        start_line, col = source.byte_to_cli(finding.start)
        announce_test_run(str(path), config, announced)  # the first time this run uses it

        def progress(stage, message, percent=None, where=f"{path}:{start_line}"):
            if show_progress:
                print(f"\r\033[K{progress_bar(number - 1, len(todo))} {where}: {stage}: {message}"[:200],
                      end="", file=sys.stderr, flush=True)

        verdict = verify_fix(str(path), finding.fix, text=text, config=config, progress=progress)
        if show_progress:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
        results.append((str(path), start_line, col, finding, verdict))
        # A line per fix as soon as it is verified, whether or not the output is a terminal; with
        # JSON on standard output the line goes to standard error.
        if args.output_format == "text":
            print(f"{path}:{start_line}:{col}: {finding.code} {finding.fix.title}")
            print(f"  {verdict.kind}: {verdict.summary}")
            for detail in verdict.details:
                print(f"    {detail}")
            sys.stdout.flush()
        elif not args.quiet:
            print(f"[{number}/{len(todo)}] {path}:{start_line}:{col}: {finding.code} {verdict.kind}: {verdict.summary}",
                  file=sys.stderr, flush=True)
    for e in errors:
        print(e, file=sys.stderr)
    if args.output_format == "json":
        out = [
            {"filename": p, "line": l, "column": c, "code": f.code, "fix": f.fix.title, "applicability": f.fix.applicability.value, **v.to_json()}
            for p, l, c, f, v in results
        ]
        print(json.dumps(out, indent=2))
    if results:
        summary = verdict_summary([v.kind for *_, v in results])
        if args.output_format == "text":
            print(summary)
        elif not args.quiet:
            print(summary, file=sys.stderr)
    if errors:
        return EXIT_ERROR
    if not results:
        hint = "" if getattr(args, "preview", None) else " (preview rules are off: --preview enables them)"
        print(f"hasten: no fix to verify in {args.target}" + (f" for {rule}" if rule else "") + f"; nothing was verified{hint}",
              file=sys.stderr if args.output_format == "json" else sys.stdout)
        return EXIT_NOTHING_TO_VERIFY
    return EXIT_OK if all(v.kind in (VERIFIED_FASTER, EQUIVALENT) for *_, v in results) else EXIT_NOT_VERIFIED
