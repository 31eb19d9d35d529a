"""Do fixed files still pass the linters? Ruff before and after each rule's fixes, per rule.

    python -m benchmarks.fix_safety.lint [--scratch DIR] [--select C4,I,E501,UP,SIM,PERF]

For every corpus in ``benchmarks/fix_safety/corpora.py`` (nltk and openpyxl included: no test
suite is needed), applies ONE rule's fixes (safe and unsafe) to each file in memory, and runs
``ruff check`` on the file before and after, in the unpacked sdist's directory so the project's
own ruff settings (line length, isort options) apply where it has them. A rule "adds" a violation
when a ruff code occurs more often after its fixes than before. Needs ``ruff`` on PATH (a
benchmark-only tool, not a dependency of hasten). Results: ``benchmarks/results/fix_lint.json``.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.fix_safety.corpora import FRESH, fetch, package_files

RESULT = Path(__file__).resolve().parent.parent / "results" / "fix_lint.json"
SELECT = "C4,I,E501,UP,SIM,PERF,F"


def ruff_codes(ruff: str, text: str, path: Path, cwd: Path, select: str) -> collections.Counter:
    proc = subprocess.run(
        [ruff, "check", "--no-cache", "--exit-zero", "--select", select, "--output-format", "json",
         "--stdin-filename", str(path.relative_to(cwd)), "-"],
        input=text, cwd=cwd, capture_output=True, text=True, check=False,
    )
    try:
        return collections.Counter(item["code"] for item in json.loads(proc.stdout or "[]"))
    except json.JSONDecodeError:
        return collections.Counter()


def main(argv: list[str] | None = None) -> int:
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config, find_line_length
    from hasten.analyzers.fixes import fix_text
    from hasten.analyzers.registry import all_rules
    from hasten.analyzers.source import Source

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scratch", type=Path, default=None)
    parser.add_argument("--select", default=SELECT, help="ruff rule selection")
    args = parser.parse_args(argv)
    ruff = shutil.which("ruff")
    if ruff is None:
        print("fix lint: ruff is not on PATH; install it to run this benchmark", file=sys.stderr)
        return 2
    version = subprocess.run([ruff, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    all_config = Config(select=tuple(r.code for r in all_rules()), preview=True, target_version=sys.version_info[:2])
    rules: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="hasten-fixlint-") as tmp:
        base = args.scratch or Path(tmp)
        for corpus in FRESH:
            root = fetch(corpus, base)
            # As the CLI does: fixes keep to the line length the project configures for ruff/black.
            length = find_line_length(root / "pyproject.toml")
            for path in package_files(corpus, root):
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                codes = sorted({f.code for f in check(Source(text, str(path)), all_config).findings if f.fix is not None})
                if not codes:
                    continue
                before = ruff_codes(ruff, text, path, root, args.select)
                for code in codes:
                    config = Config(select=(code,), preview=True, target_version=sys.version_info[:2],
                                    line_length=length)
                    result = fix_text(text, config, path=str(path), unsafe=True, only={code})
                    if not result.applied:
                        continue
                    after = ruff_codes(ruff, result.text, path, root, args.select)
                    row = rules.setdefault(code, {"fixes": 0, "files": 0, "files_with_new_violations": 0,
                                                  "new_violations": {}, "examples": []})
                    row["fixes"] += len(result.applied)
                    row["files"] += 1
                    added = {k: after[k] - before.get(k, 0) for k in after if after[k] > before.get(k, 0)}
                    if added:
                        row["files_with_new_violations"] += 1
                        for k, v in added.items():
                            row["new_violations"][k] = row["new_violations"].get(k, 0) + v
                        if len(row["examples"]) < 5:
                            row["examples"].append({"file": f"{corpus.name}/{path.relative_to(root).as_posix()}",
                                                    "added": added})
    report = {"python": ".".join(map(str, sys.version_info[:3])), "ruff": version, "select": args.select,
              "command": "python -m benchmarks.fix_safety.lint", "rules": dict(sorted(rules.items()))}
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{'code':<7} {'fixes':>6} {'files':>6} {'worse':>6}  new violations")
    for code, row in report["rules"].items():
        print(f"{code:<7} {row['fixes']:>6} {row['files']:>6} {row['files_with_new_violations']:>6}  {row['new_violations']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
