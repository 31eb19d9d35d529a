"""The CLI against its speed and memory targets: hasten with default settings against
`ruff check --select ALL --preview` (ruff's heaviest run) on the same files, same run.

    python -m benchmarks.speed.cli_targets [--rounds 2] [NAME=DIR ...]

For each code base (the CPython standard library by default, plus any NAME=DIR given, e.g. the
unpacked source of a pinned release), in interleaved rounds so machine noise hits all alike:

* `hasten check --no-cache` (cold, default settings, `-v` for the time by stage),
* `hasten check` with its cache filled (warm),
* `ruff check --select ALL --preview --no-cache` and `ruff check --no-cache` (ruff's default rules).

Peak memory is the largest resident set of any one process of the run (getrusage of the
children: for hasten, the main process or one of its workers). Also reports the load average.
Writes benchmarks/results/speed_cli_targets.json and the "## CLI against the targets" section
of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from benchmarks.speed._report import compile_hasten, machine_line, update_section

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "speed_cli_targets.json"

# Runs a command and prints its wall time and the peak RSS (KiB) of its largest process.
_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
    "wall = time.perf_counter() - start\n"
    "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.stderr.write(p.stderr)\n"
)


def run(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB of the largest process, stderr)."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], cwd=cwd, capture_output=True, text=True, timeout=7200)
    wall, rss = out.stdout.split()
    return float(wall), int(rss) / 1024, out.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("bases", nargs="*", help="NAME=DIR: more code bases to measure")
    args = parser.parse_args()
    ruff = shutil.which("ruff")
    if not ruff:
        print("benchmark needs ruff: pip install ruff", file=sys.stderr)
        return 2
    bases = [("CPython standard library", Path(sysconfig.get_paths()["stdlib"]))]
    for spec in args.bases:
        name, _, path = spec.partition("=")
        if not path or not Path(path).is_dir():
            print(f"not a NAME=DIR pair naming a directory: {spec}", file=sys.stderr)
            return 2
        bases.append((name, Path(path)))
    hasten = [sys.executable, "-m", "hasten", "check", "--exit-zero", "--no-source"]
    commands = {
        "hasten cold": hasten + ["--no-cache", "-v"],
        "hasten warm": hasten + ["-q"],
        "ruff ALL preview": [ruff, "check", "--select", "ALL", "--preview", "--no-cache", "--exit-zero", "-q"],
        "ruff default": [ruff, "check", "--no-cache", "--exit-zero", "-q"],
    }
    bytecode = compile_hasten()
    load_start = os.getloadavg()[0]
    results: dict = {"machine": machine_line(), "ruff": subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip(), "bases": {}}
    for name, path in bases:
        files = 0
        times: dict[str, list[float]] = {k: [] for k in commands}
        peaks: dict[str, float] = {k: 0.0 for k in commands}
        stages = ""
        with tempfile.TemporaryDirectory() as tmp:
            # hasten's cache lives beside the project root: run from a scratch directory.
            scratch = Path(tmp)
            run(hasten + [str(path)], scratch)  # fill the cache for the warm runs
            for _ in range(args.rounds):
                for key, cmd in commands.items():
                    seconds, rss, err = run(cmd + [str(path)], scratch)
                    times[key].append(seconds)
                    peaks[key] = max(peaks[key], rss)
                    found = re.search(r"time by stage.*", err)
                    if key == "hasten cold" and found:
                        stages = found.group(0)
                        checked = re.search(r"checked (\d+) files", err)
                        files = int(checked.group(1)) if checked else files
        row = {k: statistics.median(v) for k, v in times.items()}
        results["bases"][name] = {"files": files, "median_s": row, "runs_s": times, "peak_rss_mb": peaks, "stages": stages}
        print(name, files, row, peaks, stages, flush=True)
    load = f"{load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    results["load_average"] = load
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    rows = []
    for name, r in results["bases"].items():
        m, peak = r["median_s"], r["peak_rss_mb"]
        rows.append(
            f"| {name} ({r['files']} files) | {m['hasten cold']:.2f} s | {m['ruff ALL preview']:.2f} s "
            f"| **{m['hasten cold'] / m['ruff ALL preview']:.2f}×** | {m['hasten warm']:.2f} s | {m['ruff default']:.2f} s "
            f"| **{m['hasten warm'] / m['ruff default']:.2f}×** | {peak['hasten cold']:.0f} MB | {peak['ruff ALL preview']:.0f} MB |"
        )
    stage_lines = "\n".join(f"- {name}: {r['stages']}" for name, r in results["bases"].items() if r["stages"])
    body = f"""Reproduce: `python -m benchmarks.speed.cli_targets [NAME=DIR ...]` (needs `pip install ruff`).
Machine: {results['machine']}; load average {load}. {results['ruff']}. Medians of {args.rounds}
interleaved rounds; {bytecode}. Targets: cold ≤ 2× `ruff check --select ALL --preview`, warm ≤ 1.5× ruff's
default cold run, ≤ 150 MB per process.

| code base (files hasten checked) | hasten cold | ruff ALL --preview | ratio | hasten warm | ruff default | ratio | hasten peak RSS (largest process) | ruff ALL peak RSS |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

hasten's own time by stage (`-v`, summed over files and the worker processes):

{stage_lines}
"""
    update_section(ROOT / "docs" / "benchmarks.md", "## CLI against the targets", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
