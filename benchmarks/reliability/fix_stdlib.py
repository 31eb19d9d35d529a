"""Fixes never break code: apply every fix (safe and unsafe) to every file of a tree and check that
the result still parses, with Python's `compile` and with tree-sitter, and that fixing converges.

    python -m benchmarks.reliability.fix_stdlib [--limit N] [--jobs 2] [PATH]

PATH defaults to the CPython standard library on this machine. Files that do not parse before
fixing are counted and skipped. Writes benchmarks/results/fix_stdlib.json and the
"## Fixes over the standard library" section of docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import sysconfig
import time
import warnings
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "fix_stdlib.json"


def python_files(base: Path) -> list[Path]:
    return [p for p in sorted(base.rglob("*.py")) if "site-packages" not in p.parts and "__pycache__" not in p.parts]


def fix_one(path: str) -> dict:
    """Fix one file in memory; never writes."""
    from hasten.analyzers.config import Config
    from hasten.analyzers.fixes import fix_text
    from hasten.analyzers.source import Source
    from hasten.server.cli.files import read_source_file

    out = {"path": path, "status": "ok", "applied": Counter(), "passes": 0}
    try:
        text = read_source_file(Path(path))
    except (OSError, UnicodeDecodeError, LookupError):
        out["status"] = "unreadable"
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            out["status"] = "invalid-before"
            return out
    config = Config(preview=True)
    result = fix_text(text, config, path=path, unsafe=True)
    out["passes"] = result.passes
    out["applied"] = Counter(f.code for f in result.applied)
    if not result.converged:
        out["status"] = "not-converged"
    if result.text != text:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compile(result.text, path, "exec", dont_inherit=True)
            except (SyntaxError, ValueError) as exc:
                out["status"] = "broke-compile"
                out["error"] = f"{exc}"
        if Source(result.text).has_syntax_errors and out["status"] == "ok":
            out["status"] = "broke-tree-sitter"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (0: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/reliability.md")
    args = parser.parse_args(argv)
    files = python_files(args.path)
    if args.limit:
        files = files[: args.limit]
    start = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(fix_one, map(str, files), chunksize=8))
    elapsed = time.monotonic() - start
    statuses = Counter(r["status"] for r in results)
    applied = Counter()
    for r in results:
        applied.update(r["applied"])
    broken = [r for r in results if r["status"].startswith("broke") or r["status"] == "not-converged"]
    summary = {
        "files": len(files),
        "statuses": dict(statuses),
        "fixes_applied": sum(applied.values()),
        "fixes_by_rule": dict(sorted(applied.items())),
        "files_changed": sum(1 for r in results if r["applied"]),
        "broken": [{k: r[k] for k in ("path", "status", "error") if k in r} for r in broken],
        "seconds": round(elapsed, 1),
    }
    if not args.limit:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        saved = dict(summary)
        saved["broken"] = [{**b, "path": Path(b["path"]).name} for b in summary["broken"]]
        RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "fixes_by_rule"}, indent=2))
    if not args.no_docs and not args.limit:
        from benchmarks.speed._report import update_section

        rows = "\n".join(f"| {code} | {count} |" for code, count in sorted(applied.items()))
        body = f"""Reproduce: `python -m benchmarks.reliability.fix_stdlib` (in memory: no file is written).

Every fix of every rule, safe and unsafe, preview rules included, applied until nothing changes
to each of the {len(files)} files of the CPython {sys.version.split()[0]} standard library:
{summary['fixes_applied']} fixes applied in {summary['files_changed']} files;
{len(broken)} results failed to parse or did not converge
({statuses.get('invalid-before', 0)} files did not parse before fixing and
{statuses.get('unreadable', 0)} could not be decoded; both were skipped).

| rule | fixes applied |
|---|---|
{rows}
"""
        update_section(ROOT / "docs" / "reliability.md", "## Fixes over the standard library", body)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
