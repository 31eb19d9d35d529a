"""Whole-project CLI speed: hasten against ruff and pylint+perflint on the same files, same run.

    python -m benchmarks.speed.cli [--pylint-files 120] [--rounds 3]

* hasten check (cold: --no-cache; warm: with the cache filled) and ruff check
  --select PERF,FURB --preview --no-cache over every .py file of the CPython standard library on this
  machine (site-packages and test data with syntax errors included, as found);
* pylint with only perflint's messages over a fixed sample of those files (pylint is slow enough
  that the whole library would take most of an hour), with hasten and ruff timed on the same
  sample for the ratio.

Writes benchmarks/results/speed_cli.json and the "## CLI speed" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from benchmarks.speed._report import machine_line, update_section

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "speed_cli.json"


def stdlib_files() -> list[Path]:
    base = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for path in sorted(base.rglob("*.py")):
        if "site-packages" in path.parts or "__pycache__" in path.parts:
            continue
        files.append(path)
    return files


def timed(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, timeout=3600)
    return time.perf_counter() - start


def median_of(cmd, rounds, **kw) -> tuple[float, list[float]]:
    runs = [timed(cmd, **kw) for _ in range(rounds)]
    return statistics.median(runs), runs


def perflint_messages() -> str:
    """perflint's message ids, read from the installed plugin."""
    code = (
        "import perflint, pkgutil, importlib\n"
        "ids=set()\n"
        "for m in pkgutil.walk_packages(perflint.__path__, 'perflint.'):\n"
        "    if m.name.endswith('__main__'): continue\n"
        "    mod=importlib.import_module(m.name)\n"
        "    for v in vars(mod).values():\n"
        "        msgs=getattr(v,'msgs',None)\n"
        "        if isinstance(msgs, dict): ids.update(msgs)\n"
        "print(','.join(sorted(ids)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pylint-files", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    ruff = shutil.which("ruff")
    pylint_ok = shutil.which("pylint") is not None
    try:
        perflint_ids = perflint_messages() if pylint_ok else ""
    except subprocess.CalledProcessError:
        perflint_ids = ""
    if not ruff or not perflint_ids:
        print("benchmark needs ruff, pylint and perflint: pip install ruff pylint perflint", file=sys.stderr)
        return 2

    files = stdlib_files()
    rng = random.Random(20261122)
    sample = sorted(rng.sample(files, min(args.pylint_files, len(files))))
    hasten = [sys.executable, "-m", "hasten", "check", "--exit-zero", "-q", "--no-source"]
    results: dict = {"machine": machine_line(), "python": platform.python_version(), "files": len(files), "sample": len(sample)}

    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(map(str, files)))
        cache_dir = Path(tmp) / "cache"
        cache_dir.mkdir()
        # The cache lives next to the project root: run from a scratch directory holding none.
        full = [str(f) for f in files]
        cold, cold_runs = median_of(hasten + ["--no-cache"] + full, args.rounds, cwd=cache_dir)
        timed(hasten + full, cwd=cache_dir)  # fill the cache
        warm, warm_runs = median_of(hasten + full, args.rounds, cwd=cache_dir)
        single, single_runs = median_of(hasten + ["--no-cache", "-j", "1"] + full, 1, cwd=cache_dir)
        ruff_cmd = [ruff, "check", "--select", "PERF,FURB", "--preview", "--no-cache", "--exit-zero", "--quiet"]
        ruff_full, ruff_runs = median_of(ruff_cmd + full, args.rounds, cwd=cache_dir)

        small = [str(f) for f in sample]
        hs_small, _ = median_of(hasten + ["--no-cache"] + small, args.rounds, cwd=cache_dir)
        ruff_small, _ = median_of(ruff_cmd + small, args.rounds, cwd=cache_dir)
        pylint_cmd = ["pylint", "--load-plugins=perflint", "--disable=all", f"--enable={perflint_ids}",
                      "--jobs=2", "--exit-zero", "--score=n"]
        pylint_small, pylint_runs = median_of(pylint_cmd + small, 1, cwd=cache_dir)

    results.update(
        hasten_cold_s=cold, hasten_cold_runs=cold_runs, hasten_warm_s=warm, hasten_warm_runs=warm_runs,
        hasten_single_process_s=single, ruff_s=ruff_full, ruff_runs=ruff_runs,
        sample_hasten_s=hs_small, sample_ruff_s=ruff_small, sample_pylint_perflint_s=pylint_small,
        ruff_version=subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip(),
        pylint_version=subprocess.run(["pylint", "--version"], capture_output=True, text=True).stdout.splitlines()[0],
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    body = f"""Reproduce: `python -m benchmarks.speed.cli` (needs `pip install ruff pylint perflint`).
Machine: {results['machine']}. {results['ruff_version']}, {results['pylint_version']}.

Whole CPython {results['python']} standard library ({len(files)} files), medians of {args.rounds} runs:

| command | time | vs ruff |
|---|---|---|
| `hasten check --no-cache` (2 worker processes) | {cold:.2f} s | {cold / ruff_full:.1f}× ruff's time |
| `hasten check` warm cache | {warm:.2f} s | {warm / ruff_full:.1f}× |
| `hasten check --no-cache -j 1` | {single:.2f} s | {single / ruff_full:.1f}× |
| `ruff check --select PERF,FURB --preview --no-cache` | {ruff_full:.2f} s | 1.0× |

Fixed sample of {len(sample)} of those files (pylint is too slow for the whole library in a short run):

| command | time | hasten is |
|---|---|---|
| `pylint --load-plugins=perflint` (perflint messages only, 2 jobs) | {pylint_small:.2f} s | {pylint_small / hs_small:.0f}× faster |
| `ruff check --select PERF,FURB --preview` | {ruff_small:.2f} s | {ruff_small / hs_small:.2f}× (below 1: ruff is faster) |
| `hasten check --no-cache` | {hs_small:.2f} s | 1.0× |
"""
    update_section(ROOT / "docs" / "benchmarks.md", "## CLI speed", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
