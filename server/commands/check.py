"""`hasten check`: report findings, optionally fix them."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config, load_config
from hasten.analyzers.fixes import fix_text
from hasten.analyzers.source import Source
from hasten.server.files import python_files, read_source_file
from hasten.server.output import FORMATTERS, FileReport


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--select", metavar="CODES", help="comma-separated rule codes or prefixes to enable (replaces the configured set)")
    parser.add_argument("--extend-select", metavar="CODES", help="comma-separated codes to enable in addition")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--preview", action="store_true", default=None, help="enable preview rules")


def register(sub) -> None:
    parser = sub.add_parser("check", help="report slow code (and fix it with --fix)", description="Report slow code in PATHs (files or directories; '-' reads standard input).")
    add_check_arguments(parser)


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("--output-format", choices=sorted(FORMATTERS), default="text", help="output format (default: text)")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix, also apply unsafe fixes")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a unified diff instead of writing them")
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name of the file read from standard input")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--no-source", action="store_true", help="do not show the source line under each finding")
    parser.add_argument("-q", "--quiet", action="store_true", help="print findings only, no notes or summary")
    add_selection_arguments(parser)


def _split(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(v.strip().upper() for v in value.split(",") if v.strip())


def effective_config(config: Config, args: argparse.Namespace) -> Config:
    changes = {}
    if getattr(args, "select", None) is not None:
        changes["select"] = _split(args.select)
    if getattr(args, "extend_select", None) is not None:
        changes["extend_select"] = tuple(config.extend_select) + _split(args.extend_select)
    if getattr(args, "ignore", None) is not None:
        changes["ignore"] = tuple(config.ignore) + _split(args.ignore)
    if getattr(args, "preview", None):
        changes["preview"] = True
    return config.with_overrides(**changes) if changes else config


def validate_selectors(args: argparse.Namespace) -> list[str]:
    from hasten.analyzers.registry import all_rules

    problems = []
    codes = [r.code for r in all_rules()]
    aliases = [a.upper() for r in all_rules() for a in r.aliases]
    for option in ("select", "extend_select", "ignore"):
        for sel in _split(getattr(args, option, None)) or ():
            if sel != "ALL" and not any(c.startswith(sel) for c in codes) and sel not in aliases:
                problems.append(f"hasten: --{option.replace('_', '-')}: unknown rule selector '{sel}' (see `hasten rule --all`)")
    return problems


def run(args: argparse.Namespace) -> int:
    problems = validate_selectors(args)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 2
    if args.unsafe_fixes and not (args.fix or args.diff):
        args.fix = True
    reports: list[FileReport] = []
    errors: list[str] = []
    shown_messages: set[str] = set()

    def config_for(path: str) -> Config:
        cfg, messages = load_config(path)
        for m in messages:
            text = str(m)
            if text not in shown_messages:
                shown_messages.add(text)
                print(f"hasten: warning: {text}", file=sys.stderr)
        return effective_config(cfg, args)

    diffs: list[str] = []
    if args.paths == ["-"]:
        name = args.stdin_filename or "<stdin>"
        text = sys.stdin.read()
        config = config_for(args.stdin_filename or ".")
        report, diff, new_text = _process(name, text, config, args)
        reports.append(report)
        if diff:
            diffs.append(diff)
        if args.fix and not args.diff:
            sys.stdout.write(new_text)
            _print_notes(reports, args)
            return 1 if report.findings and not args.exit_zero else 0
    else:
        if "-" in args.paths:
            print("hasten: '-' (standard input) cannot be combined with other paths", file=sys.stderr)
            return 2
        root_config, _ = load_config(args.paths[0]) if args.paths else (Config(), [])
        files, errors = python_files(args.paths, root_config.exclude)
        for path in files:
            try:
                text = read_source_file(path)
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(f"hasten: {path}: cannot read the file ({exc}); skipped")
                continue
            config = config_for(str(path))
            report, diff, new_text = _process(str(path), text, config, args)
            if args.fix and not args.diff and new_text != text:
                try:
                    Path(path).write_bytes(new_text.encode("utf-8", errors="surrogatepass"))
                except OSError as exc:
                    errors.append(f"hasten: {path}: cannot write the fixes ({exc})")
            if diff:
                diffs.append(diff)
            reports.append(report)
    for e in errors:
        print(e, file=sys.stderr)
    if args.diff:
        sys.stdout.write("".join(diffs))
        return 1 if diffs and not args.exit_zero else (2 if errors else 0)
    formatter = FORMATTERS[args.output_format]
    out = formatter(reports, show_source=not args.no_source, unsafe=args.unsafe_fixes, quiet=args.quiet)
    if args.quiet and args.output_format == "text":
        out = "".join(l + "\n" for l in out.splitlines() if l and not l.startswith(("note:", "Found ", "All checks", "Fixed ")))
    sys.stdout.write(out)
    if errors and not reports:
        return 2
    has_findings = any(r.findings for r in reports)
    if has_findings and not args.exit_zero:
        return 1
    return 2 if errors else 0


def _print_notes(reports: list[FileReport], args) -> None:
    if args.quiet:
        return
    for r in reports:
        for note in r.notes:
            print(f"note: {note}", file=sys.stderr)


def _process(name: str, text: str, config: Config, args) -> tuple[FileReport, str, str]:
    """Check (and fix) one file: returns its report, its diff (if asked) and the new text."""
    new_text = text
    fixed = 0
    if args.fix or args.diff:
        result = fix_text(text, config, path=name, unsafe=args.unsafe_fixes)
        new_text = result.text
        fixed = len(result.applied)
    source = Source(new_text if not args.diff else text, name)
    checked = check(source, config)
    if args.diff:
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(keepends=True), new_text.splitlines(keepends=True), fromfile=name, tofile=name
            )
        )
        report = FileReport(name, source, checked.findings, checked.notes, fixed)
        return report, diff, new_text
    return FileReport(name, source, checked.findings, checked.notes, fixed), "", new_text
