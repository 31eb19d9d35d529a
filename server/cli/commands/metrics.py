"""`hasten metrics PATH ...`: complexity metrics per function, as a table or JSON.

Text: one table per file (function, line, complexity, rank, growth, maintainability), the module's
maintainability index in the file's header, notes (syntax errors) after it; ``--explain`` adds the
lines that justify each growth estimate. JSON (``--output-format json``)::

    {"files": [{"path": "...", "maintainability": 71.3, "maintainability_rank": "A", "notes": [],
                "functions": [{"function": "Cls.meth", "name": "meth", "line": 3, "end_line": 9,
                               "complexity": 4, "rank": "A", "complexity_source": "radon",
                               "growth": "O(n^2)", "maintainability": 62.1,
                               "growth_detail": {"class": "O(n^2)", "label": "O(n²)", "known": true,
                                                 "at_least": null,
                                                 "reasons": [{"line": 4, "text": "..."}],
                                                 "unknown_because": []},
                               "halstead": {"volume": ..., "difficulty": ..., ...} | null,
                               "loc": {"loc": 7, "sloc": 6, "lloc": 6, ...}}]}],
     "errors": []}

Exit status: 0, or 2 when a path cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys

from hasten.analyzers.metrics import FileMetrics, analyze
from hasten.analyzers.source import Source
from hasten.server.metrics_presentation import explanation_lines


def register(sub) -> None:
    parser = sub.add_parser(
        "metrics",
        help="show complexity metrics per function",
        description="Show complexity metrics per function: cyclomatic complexity and rank, "
        "estimated growth, maintainability index, Halstead measures and line counts.",
    )
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .); '-' reads standard input")
    parser.add_argument("--output-format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--explain", action="store_true", help="with text output, list the lines that justify each growth estimate")
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name of the file read from standard input")


def _files(args) -> tuple[list[tuple[str, str]], list[str]]:
    from hasten.analyzers.config import load_config
    from hasten.server.cli.files import python_files, read_python_files

    if args.paths == ["-"]:
        return [(args.stdin_filename or "<stdin>", sys.stdin.read())], []
    if "-" in args.paths:
        return [], ["hasten: '-' (standard input) cannot be combined with other paths"]
    root_config, _ = load_config(args.paths[0])
    paths, errors = python_files(args.paths, root_config.exclude)
    return [(str(path), text) for path, text in read_python_files(paths, errors)], errors


def _fmt_mi(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def render_text(reports: list[FileMetrics], explain: bool = False) -> str:
    out: list[str] = []
    for report in reports:
        header = report.path or "<stdin>"
        if report.maintainability is not None:
            header += f"  (maintainability {report.maintainability:.1f}, rank {report.maintainability_rank})"
        out.append(header)
        if not report.functions:
            out.append("  no functions")
        else:
            rows = [("function", "line", "complexity", "rank", "growth", "maintainability")]
            for fn in report.functions:
                rows.append((fn.qualname, str(fn.line), str(fn.complexity), fn.rank, fn.growth.label(), _fmt_mi(fn.maintainability)))
            widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
            right = {1, 2, 5}
            for index, row in enumerate(rows):
                cells = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(row)]
                out.append("  " + "  ".join(cells).rstrip())
                if explain and index > 0:
                    fn = report.functions[index - 1]
                    out.extend("      " + line for line in explanation_lines(fn))
        for note in report.notes:
            out.append(f"  note: {note}")
        out.append("")
    return "\n".join(out)


def render_json(reports: list[FileMetrics], errors: list[str]) -> str:
    return json.dumps({"files": [r.to_json() for r in reports], "errors": errors}, indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    files, errors = _files(args)
    reports = [analyze(Source(text, name)) for name, text in files]
    for error in errors:
        print(error, file=sys.stderr)
    if args.output_format == "json":
        sys.stdout.write(render_json(reports, errors))
    else:
        sys.stdout.write(render_text(reports, explain=args.explain))
    return 2 if errors else 0
