"""`hasten profile [PATH] [-- COMMAND ...]`: run the project's tests (or COMMAND) once under the
sampling profiler in an isolated copy, store ``.hasten/profile.json``, and list the findings in
the code that took the most time."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

EXIT_OK = 0
EXIT_PARTIAL = 1  # a profile was stored, but the run failed or timed out
EXIT_ERROR = 2
SHOWN = 10


def register(sub) -> None:
    parser = sub.add_parser(
        "profile",
        usage="%(prog)s [options] [PATH] [-- COMMAND ...]",
        help="profile the project's tests to rank findings by measured cost",
        description=(
            "Run the project's tests (verify.test-command, by default pytest), or the COMMAND given after "
            "`--`, once in an isolated copy of the project under a sampling profiler. The profile is stored "
            "in .hasten/profile.json (ignored by git; file contents are hashed so edited files drop out); "
            "only times, call counts, type names and container lengths are kept, never values. "
            "Exit status: 0 profiled, 1 profiled but the run failed or timed out (partial profile), 2 no profile."
        ),
        epilog="Example: hasten profile . -- python scripts/batch.py data/input.csv",
    )
    parser.add_argument("path", nargs="?", default=".", metavar="PATH", help="a file or directory in the project (default: .)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="stop the run after this long (default: verify.timeout)")
    parser.add_argument("--output-format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--top", type=int, default=SHOWN, metavar="N", help=f"findings to list, costliest first (default: {SHOWN})")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on standard error")


def run(args: argparse.Namespace) -> int:
    from hasten.analyzers.config import load_config
    from hasten.server.profile.measure import annotate, cost_key, lines_of
    from hasten.server.profile.promote import promote
    from hasten.server.profile.run import profile_project
    from hasten.server.verify.process import exit_cleanly_on_sigterm

    exit_cleanly_on_sigterm()
    target = Path(args.path)
    if not target.exists():
        print(f"hasten: {args.path}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR
    config, _ = load_config(str(target))
    if args.timeout:
        config = config.with_overrides(verify=replace(config.verify, timeout=args.timeout))
    show_progress = not args.quiet and sys.stderr.isatty()

    def progress(stage, message, percent=None):
        if show_progress:
            print(f"hasten profile: {message}", file=sys.stderr)

    outcome = profile_project(target, getattr(args, "trailing", None) or None, config=config, progress=progress)
    ranked = []
    if outcome.profile is not None and outcome.plan is not None:
        for rel, (source, findings) in outcome.plan.findings.items():
            # With the preview rules the profile proves costly, as `hasten check` reports them.
            findings = findings + promote(outcome.profile, source, outcome.plan.candidates.get(rel, []))
            for finding, measure in zip(findings, annotate(outcome.profile, source, findings)):
                if measure is not None and measure.samples:
                    ranked.append((rel, source, finding))
        ranked.sort(key=lambda item: cost_key(item[2]))
    shown = ranked[: max(args.top, 0)]
    if args.output_format == "json":
        data = {
            "message": outcome.message,
            "problems": outcome.problems,
            "stored": str(outcome.path) if outcome.path else None,
            "profile": None if outcome.profile is None else {
                k: v for k, v in outcome.profile.to_json().items() if k != "files"
            },
            "findings": [
                {"filename": rel, "line": lines_of(source, f)[0], "code": f.code, "message": f.message, "profile": f.extra["profile"]}
                for rel, source, f in shown
            ],
        }
        print(json.dumps(data, indent=2))
    else:
        for problem in outcome.problems:
            print(f"hasten: {problem}", file=sys.stderr)
        print(outcome.message)
        if outcome.path is not None:
            print(f"stored in {outcome.path}")
        if shown:
            print(f"\nFindings in the code that took the most time ({len(shown)} of {len(ranked)} measured):")
            for rel, source, f in shown:
                print(f"  {rel}:{lines_of(source, f)[0]}: {f.code} {f.extra['profile']['summary']}")
        elif outcome.profile is not None:
            print("No finding lies in code the run spent time in.")
    if outcome.profile is None:
        return EXIT_ERROR
    return EXIT_PARTIAL if outcome.problems else EXIT_OK
