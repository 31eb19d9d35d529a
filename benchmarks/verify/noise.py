"""No-op rewrites under load: how often verification calls noise a verdict.

    python -m benchmarks.verify.noise [--replay N] [--tests N] [--hogs 2] [--write-docs]

Builds two throwaway projects in a temporary directory and verifies a comment-only "fix" (a
comment line added to the function's body: the same code) again and again while ``--hogs``
processes spin on the CPU:

* replay: three functions whose calls are replayed — a sub-microsecond call, a millisecond call,
  a recursive one — taken in turn;
* whole tests: a nested function, whose calls cannot be recorded, so the tests are timed whole.

Every verdict of "verified-faster" or "slower" here is false; the target is zero. The results go to
``benchmarks/verify/results-noise.json`` and, with ``--write-docs``, to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hasten.analyzers.finding import Applicability, Edit, Fix
from hasten.server.verify import core

HERE = Path(__file__).parent
RESULTS = HERE / "results-noise.json"
HEADING = "## Verification of no-op rewrites under load"

PYPROJECT = """\
[tool.hasten.verify]
timeout = 60
rounds = 9

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""

MODULE = '''\
def first_key(table):
    return next(iter(table))


def common(xs, ys):
    return [x for x in xs if x in ys]


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def outer(xs):
    def smallest():
        return sorted(xs)[0]
    return smallest()
'''

TESTS = '''\
from pkg.mod import common, fib, first_key, outer


def test_first_key():
    assert first_key({str(i): i for i in range(1000)}) == "0"


def test_common():
    assert len(common(list(range(400)), list(range(200, 600)))) == 200


def test_fib():
    assert fib(16) == 987


def test_outer():
    for _ in range(200):
        assert outer(list(range(2000, 0, -1))) == 1
'''

REPLAYED = ("def first_key(table):\n", "def common(xs, ys):\n", "def fib(n):\n")
WHOLE_TESTS = "    def smallest():\n"


def project(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "mod.py").write_text(MODULE)
    (root / "tests").mkdir()
    (root / "tests" / "test_mod.py").write_text(TESTS)
    (root / "pyproject.toml").write_text(PYPROJECT)
    return root / "pkg" / "mod.py"


def no_op(path: Path, after: str) -> Fix:
    """A comment line right after ``after`` (a def line): a rewrite that changes nothing."""
    data = path.read_bytes()
    at = data.index(after.encode()) + len(after.encode())
    indent = " " * (len(after) - len(after.lstrip()) + 4)
    return Fix("no-op", (Edit(at, at, f"{indent}# the same code\n"),), Applicability.SAFE)


def hogs(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def run(replay_runs: int, test_runs: int, n_hogs: int, log) -> dict:
    rows = []
    with tempfile.TemporaryDirectory(prefix="hasten-noise-") as tmp:
        os.environ["HASTEN_CACHE_DIR"] = str(Path(tmp) / "cache")
        os.environ.setdefault("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        path = project(Path(tmp) / "p")
        spinning = hogs(n_hogs)
        try:
            plan = [("replay", REPLAYED[i % len(REPLAYED)]) for i in range(replay_runs)] + [("tests", WHOLE_TESTS)] * test_runs
            for i, (path_kind, where) in enumerate(plan):
                started = time.monotonic()
                verdict = core.verify_fix(path, no_op(path, where))
                row = {"path": path_kind, "function": verdict.function, "verdict": verdict.kind, "timing": verdict.timing,
                       "size": verdict.size, "ratio": verdict.ratio, "control": verdict.control, "summary": verdict.summary,
                       "seconds": round(time.monotonic() - started, 1)}
                rows.append(row)
                log(f"{i + 1}/{len(plan)} {path_kind} {verdict.function}: {verdict.kind} ({verdict.timing}; {row['seconds']} s) {verdict.summary[:160]}")
        finally:
            for p in spinning:
                p.kill()
                p.wait()
    return {"rows": rows}


def summarise(rows: list[dict]) -> dict:
    out = {}
    for kind in ("replay", "tests"):
        selected = [r for r in rows if r["path"] == kind]
        out[kind] = {
            "runs": len(selected),
            "timed_as": dict(collections.Counter(r["timing"] or "none" for r in selected)),
            "verdicts": dict(collections.Counter(r["verdict"] for r in selected)),
            "false": sum(1 for r in selected if r["verdict"] in (core.VERIFIED_FASTER, core.SLOWER)),
            "median_seconds": sorted(r["seconds"] for r in selected)[len(selected) // 2] if selected else None,
        }
    return out


def markdown(results: dict) -> str:
    meta, summary = results["meta"], results["summary"]
    lines = [
        HEADING, "",
        f"A comment-only \"fix\" (the same code) verified {sum(s['runs'] for s in summary.values())} times while {meta['hogs']} processes spin on the CPU "
        f"(on a machine of {meta['cpus']} CPUs already shared with other work): on three functions whose calls are replayed "
        "(a sub-microsecond call, a millisecond call, a recursive one), and on a nested function whose calls cannot be recorded, "
        "so the whole-test fallback times it. Every \"verified-faster\" or \"slower\" here would be false; the target is none. "
        "Verdicts come from the 95% interval of the paired per-round ratio, which must clear the margin (5% for replay, 10% for "
        "whole tests, or as far as the original against itself strays, if more); when the control strays past 1.25× and the "
        "interval does not clear it, the verdict is \"inconclusive: the machine is too noisy\".", "",
        f"Reproduce: `python -m benchmarks.verify.noise --replay {meta['replay']} --tests {meta['tests']} --hogs {meta['hogs']} --write-docs`. "
        f"Measured {meta['date']} on Python {meta['python']}; {meta['seconds'] / 60:.0f} min in all. {meta.get('note', '')}".rstrip(), "",
        "| timed by | runs | verdicts | **false \"faster\"/\"slower\"** | median seconds per verification |",
        "|---|---|---|---|---|",
    ]
    for kind, s in summary.items():
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(s["verdicts"].items()))
        label = "replay (recorded calls)" if kind == "replay" else "whole tests (fallback)"
        lines.append(f"| {label} | {s['runs']} | {verdicts} | **{s['false']}** | {s['median_seconds']} |")
    lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replay", type=int, default=35, help="runs timed by replay (default 35)")
    parser.add_argument("--tests", type=int, default=15, help="runs timed on whole tests (default 15)")
    parser.add_argument("--hogs", type=int, default=2, help="CPU-spinning processes during the runs (default 2)")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--from-results", action="store_true")
    args = parser.parse_args(argv)
    if args.from_results:
        results = json.loads(RESULTS.read_text())
    else:
        from hasten.server.verify.process import exit_cleanly_on_sigterm

        exit_cleanly_on_sigterm()
        started = time.monotonic()
        results = run(args.replay, args.tests, args.hogs, lambda text: print(text, flush=True))
        results["summary"] = summarise(results["rows"])
        results["meta"] = {"date": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0], "cpus": os.cpu_count(),
                           "hogs": args.hogs, "replay": args.replay, "tests": args.tests, "seconds": time.monotonic() - started}
        RESULTS.write_text(json.dumps(results, indent=1))
    section = markdown(results)
    print(section)
    if args.write_docs:
        from benchmarks.verify.run import write_section

        write_section(HEADING, section)
    return 1 if any(s["false"] for s in results["summary"].values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
