"""`hasten score PATH ...`: the model's score for every function (and module-level block).

Prints, per function: file, qualified name, start and end line, score, the most likely categories
with their probabilities, and the lines that drove the score. The model ranks and points; it never
writes a fix.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hasten.server.cli.files import UnreadableInput, python_files, read_source_file, read_stdin_source


def register(sub) -> None:
    parser = sub.add_parser(
        "score",
        help="score functions for likely inefficiency with the model",
        description="Score every function (and module-level block) in PATHs with hasten's code model.",
    )
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .; '-' reads standard input)")
    parser.add_argument("--output-format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--min-score", type=float, default=0.0, metavar="S", help="only show units scoring at least S (0..1)")
    parser.add_argument("--top", type=int, default=3, metavar="K", help="categories shown per function (default: 3)")
    parser.add_argument("--sort", choices=("position", "score"), default="position", help="order within the output (default: position)")
    parser.add_argument("--no-module", action="store_true", help="score functions only, not module-level code")
    parser.add_argument("--model", metavar="FILE", help="an ONNX model other than the bundled one (its vocabulary JSON beside it)")


def run(args: argparse.Namespace) -> int:
    from hasten.analyzers.source import Source
    from hasten.model.loader import load_scorer

    if not 0.0 <= args.min_score <= 1.0:
        print(f"hasten score: --min-score {args.min_score} is outside 0..1", file=sys.stderr)
        return 2
    scorer = load_scorer(args.model) if args.model else load_scorer()
    if scorer is None:
        print("hasten score: the model is not available (see the message above); nothing to score", file=sys.stderr)
        return 2
    paths = [p for p in args.paths if p != "-"]
    files, errors = python_files(paths) if paths else ([], [])
    if "-" in args.paths:
        files.insert(0, Path("-"))
    for e in errors:
        print(e, file=sys.stderr)
    rows = []
    for path in files:
        try:
            text = read_stdin_source() if str(path) == "-" else read_source_file(path)
        except (OSError, UnicodeDecodeError, LookupError, UnreadableInput) as exc:
            print(f"hasten score: {path}: cannot read ({exc}); skipped", file=sys.stderr)
            continue
        source = Source(text, path=str(path))
        try:
            scores = scorer.score_source(source, include_module=not args.no_module)
        except (RecursionError, MemoryError, ValueError) as exc:  # one file's failure does not stop the others
            print(f"hasten score: {path}: could not be scored ({type(exc).__name__}: {exc}); skipped", file=sys.stderr)
            errors.append(str(path))
            continue
        rows.extend((str(path), s) for s in scores if s.score >= args.min_score)
    if args.sort == "score":
        rows.sort(key=lambda r: -r[1].score)
    if args.output_format == "json":
        out = []
        for filename, s in rows:
            item = {"filename": filename, **s.to_json()}
            item["categories"] = item["categories"][: max(args.top, 1)]
            out.append(item)
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for filename, s in rows:
            cats = ", ".join(f"{n} {p:.2f}" for n, p in s.categories[: max(args.top, 1)])
            lines = ", ".join(map(str, s.top_lines)) or "-"
            print(f"{filename}:{s.start_line}-{s.end_line} {s.qualname}  score {s.score:.3f}  [{cats}]  lines {lines}")
    return 1 if errors and not rows else 0
