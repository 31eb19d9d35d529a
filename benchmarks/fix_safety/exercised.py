"""Which fix sites do the packages' own tests execute? Coverage of the lines fix safety fixed.

    python -m benchmarks.fix_safety.exercised [--scratch DIR] [--corpora toolz sqlparse ...]

Runs each corpus's suite (as listed in ``corpora.py``) once under ``coverage run`` on a pristine
copy and reports, per rule, how many of the fix sites recorded in
``benchmarks/results/fix_safety.json`` lie on executed lines. A fix on a line the tests never run
cannot break them, so this bounds what "no test broke" means. Needs the ``coverage`` package
(a benchmark-only tool). Writes ``exercised`` counts into ``fix_safety.json``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.fix_safety.__main__ import RESULT
from benchmarks.fix_safety.corpora import FRESH, fetch


def executed_lines(corpus, root: Path, timeout: int) -> dict[str, set[int]]:
    import coverage

    data_file = root / ".coverage-fixsafety"
    rcfile = root / ".coveragerc-fixsafety"  # empty: the project's own settings (parallel, omit) do not apply
    rcfile.write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-m", "coverage", "run", f"--rcfile={rcfile}", f"--data-file={data_file}",
                    f"--source={root / corpus.package}", "-m", *corpus.tests],
                   cwd=root, env=env, capture_output=True, timeout=timeout, check=False)
    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    return {Path(f).resolve().relative_to(root.resolve()).as_posix(): set(data.lines(f) or ()) for f in data.measured_files()}


def statement_line(root: Path, file: str, line: int) -> int:
    """The first line of the innermost statement holding ``line``: the line coverage records."""
    try:
        tree = ast.parse((root / file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return line
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno):
            if best is None or node.lineno >= best.lineno:
                best = node
    if best is not None and isinstance(best, (ast.For, ast.While, ast.If, ast.With, ast.Try, ast.FunctionDef)) and best.lineno != line:
        return line  # a line inside a compound statement's header or body: keep it
    return best.lineno if best is not None else line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scratch", type=Path, default=None)
    parser.add_argument("--corpora", nargs="*", default=None)
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args(argv)
    report = json.loads(RESULT.read_text(encoding="utf-8"))
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory(prefix="hasten-exercised-") as tmp:
        base = args.scratch or Path(tmp)
        for corpus in FRESH:
            entry = report["corpora"].get(corpus.label)
            if not corpus.tests or entry is None or (args.corpora and corpus.name not in args.corpora):
                continue
            root = Path(tmp) / f"cov-{corpus.name}"
            shutil.copytree(fetch(corpus, base), root, ignore=shutil.ignore_patterns("__pycache__"))
            lines = executed_lines(corpus, root, args.timeout)
            for code, row in entry["rules"].items():
                hit = sum(1 for o in row["offered"]
                          if statement_line(root, o["file"], o["line"]) in lines.get(o["file"], ()))
                row["exercised"] = {"sites": len(row["offered"]), "executed_by_tests": hit}
                t = totals.setdefault(code, [0, 0])
                t[0] += len(row["offered"])
                t[1] += hit
            print(f"{corpus.label}: " + ", ".join(f"{c} {r['exercised']['executed_by_tests']}/{r['exercised']['sites']}"
                                                  for c, r in entry["rules"].items()), flush=True)
    for code, (sites, hit) in totals.items():
        report["rules"][code]["sites_measured"] = sites
        report["rules"][code]["sites_executed_by_tests"] = hit
    RESULT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
