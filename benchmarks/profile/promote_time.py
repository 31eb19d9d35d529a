"""What reporting the preview findings a profile proves costs `hasten check`.

    python benchmarks/profile/promote_time.py [--rounds 15] [--markdown]

Three copies of ``benchmarks/profile/planted`` at hasten's default settings (its own pyproject's
``preview = true`` removed): one without a profile, one with a stored profile and
``profile-promote = false``, one with the profile (promotion on); plus the profiled copy with
``--preview``. The profile comes from one real ``hasten profile`` run of the copy's tests. Each
variant runs ``hasten check --no-cache`` in a fresh process, the variants alternating, ``--rounds``
times; the figures are the CPU time (user + system) of that process, minimum and median, since on
a shared machine CPU time is steadier than wall time (wall time is shown too).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLANTED = HERE / "planted"


def _copy(root: Path, name: str, settings: str = "") -> Path:
    target = root / name
    shutil.copytree(PLANTED, target, ignore=shutil.ignore_patterns(".hasten", "__pycache__", ".hasten_cache"))
    pyproject = target / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("preview = true\n", settings and settings + "\n"))
    return target


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _check(root: Path, *extra: str) -> tuple[float, float, list[str]]:
    cpu, wall = _children_cpu(), time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "hasten", "check", "--no-cache", "--output-format", "json", *extra],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    wall, cpu = time.perf_counter() - wall, _children_cpu() - cpu
    return cpu, wall, [f["code"] for f in json.loads(out.stdout or "[]")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hasten-promote-") as temp:
        root = Path(temp)
        plain = _copy(root, "no-profile")
        profiled = _copy(root, "promote")
        off = _copy(root, "promote-off", "profile-promote = false")
        run = subprocess.run([sys.executable, "-m", "hasten", "profile", "-q"], cwd=profiled, capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            print(run.stdout + run.stderr, file=sys.stderr)
            return 1
        shutil.copytree(profiled / ".hasten", off / ".hasten")
        variants = {
            "no profile": (plain, ()),
            "profile, profile-promote = false": (off, ()),
            "profile, promotion on (default)": (profiled, ()),
            "profile, --preview": (profiled, ("--preview",)),
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
        found: dict[str, list[str]] = {}
        for name, (where, extra) in variants.items():  # one untimed run each: imports warm in the page cache
            found[name] = _check(where, *extra)[2]
        for _ in range(args.rounds):
            for name, (where, extra) in variants.items():
                cpu, wall, _codes = _check(where, *extra)
                times[name].append((cpu, wall))
    rows = []
    for name, samples in times.items():
        cpus, walls = [c for c, _ in samples], [w for _, w in samples]
        rows.append({
            "variant": name, "findings": found[name], "cpu_min": min(cpus), "cpu_median": statistics.median(cpus),
            "wall_median": statistics.median(walls),
        })
    result = {"python": sys.version.split()[0], "rounds": args.rounds, "rows": rows}
    if args.markdown:
        print("| variant | findings | CPU min | CPU median | wall median |")
        print("|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['variant']} | {', '.join(r['findings']) or '—'} | {r['cpu_min'] * 1000:.0f} ms | "
                  f"{r['cpu_median'] * 1000:.0f} ms | {r['wall_median'] * 1000:.0f} ms |")
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
