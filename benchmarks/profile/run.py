"""Profile benchmark: the profiler's overhead, and whether it ranks planted findings by real cost.

    python benchmarks/profile/run.py [--rounds 3] [--skip-package] [--markdown]

1. Overhead: CPU time (user + system of the test processes) of the plain test run against the
   profiled run, alternating, minimum of ``--rounds``; on ``examples/`` and on the test suite of a
   real package (toolz, pinned below) pip-installed into a temporary directory — nothing of it is
   kept. Wall time is shown too, but on a shared machine CPU time is the stable measure.
2. Ranking: ``benchmarks/profile/planted`` holds five findings of very different cost. Each one's
   real cost is the CPU time its fix alone saves on the test that exercises it (hasten's own fix,
   unsafe ones included; minimum of ``--rounds`` runs each, every test timed in its own process by
   ``_cputime_plugin``); the profile must order them the same way, and
   ``is_hot`` at its default threshold must keep the costly ones and drop the negligible ones.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PLANTED = HERE / "planted"
EXAMPLES = REPO / "examples"
PACKAGE = "toolz==0.12.1"  # pure Python, ships its tests inside the wheel
PACKAGE_TESTS = "toolz/tests"
NEGLIGIBLE = 0.005  # a fix saving less than 0.5% of the run is negligible


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plain_run(root: Path, command: list[str], timeout: float) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, exit code) of the command in a fresh copy, without the profiler."""
    from hasten.server.verify.process import Limits, run_limited
    from hasten.server.verify.project import copy_project, new_workdir, remove_tree

    workdir = new_workdir()
    try:
        copy = copy_project(root, workdir / "project")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(copy)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTEST_ADDOPTS"] = "-p no:cacheprovider"
        before = _children_cpu()
        result = run_limited(command, copy, env, Limits(timeout=timeout), workdir, None, "plain")
        return _children_cpu() - before, result.seconds, result.returncode
    finally:
        remove_tree(workdir)


def profiled_run(root: Path, command: list[str] | None, timeout: float):
    from hasten.server.profile.run import profile_project

    before = _children_cpu()
    outcome = profile_project(root, command, timeout=timeout, store=False)
    cpu = _children_cpu() - before
    wall = outcome.result.seconds if outcome.result else float("nan")
    return cpu, wall, outcome


def overhead(name: str, root: Path, command: list[str], rounds: int, timeout: float) -> dict:
    plain_cpu, plain_wall, prof_cpu, prof_wall = [], [], [], []
    samples = 0
    for _ in range(rounds):
        cpu, wall, code = plain_run(root, command, timeout)
        if code != 0:
            raise SystemExit(f"{name}: the plain run failed (exit {code})")
        plain_cpu.append(cpu)
        plain_wall.append(wall)
        cpu, wall, outcome = profiled_run(root, command, timeout)
        if outcome.profile is None:
            raise SystemExit(f"{name}: no profile: {outcome.message}")
        prof_cpu.append(cpu)
        prof_wall.append(wall)
        samples = outcome.profile.samples
    return {
        "name": name, "rounds": rounds, "samples": samples,
        "plain_cpu": min(plain_cpu), "profiled_cpu": min(prof_cpu),
        "plain_wall": min(plain_wall), "profiled_wall": min(prof_wall),
        "cpu_overhead": min(prof_cpu) / min(plain_cpu) - 1,
        "wall_overhead": min(prof_wall) / min(plain_wall) - 1,
    }


def package_project(directory: Path) -> Path:
    """The pinned package, installed into ``directory`` as a project of its own."""
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(directory), PACKAGE], check=True)
    (directory / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return directory


# -- ranking ------------------------------------------------------------------------------------

def planted_findings():
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import load_config
    from hasten.analyzers.source import Source

    path = PLANTED / "ledger" / "books.py"
    config, _ = load_config(str(path))
    source = Source(path.read_text(encoding="utf-8"), str(path))
    return source, check(source, config).findings


def test_cpu_times(root: Path, timeout: float) -> dict[str, float]:
    """Each test's CPU time (call phase) in one run of the tests in ``root``."""
    from hasten.server.verify.process import Limits, run_limited

    with tempfile.TemporaryDirectory(prefix="hasten-planted-run-") as temp:
        out = Path(temp) / "cpu.json"
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(root)])
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["HASTEN_BENCH_CPU_OUT"] = str(out)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "_cputime_plugin"]
        result = run_limited(command, root, env, Limits(timeout=timeout), temp, None, "planted")
        if result.returncode != 0 or not out.is_file():
            raise SystemExit(f"planted: the tests fail in {root.name} (exit {result.returncode}): {result.tail(5)}")
        return json.loads(out.read_text(encoding="utf-8"))


def true_costs(source, findings, rounds: int, timeout: float) -> tuple[float, list[float]]:
    """CPU seconds each fix alone saves on the planted tests: per test, the minimum CPU time over
    ``rounds`` runs (variants alternating), summed over the tests."""
    from hasten.analyzers.fixes import apply_edits

    variants = [None] + list(range(len(findings)))
    times: dict[object, dict[str, list[float]]] = {v: {} for v in variants}
    with tempfile.TemporaryDirectory(prefix="hasten-planted-") as temp:
        roots = {}
        for variant in variants:
            root = Path(temp) / f"v{variant}"
            shutil.copytree(PLANTED, root)
            if variant is not None:
                fix = findings[variant].fix
                assert fix is not None, f"{findings[variant].code} has no fix"
                (root / "ledger" / "books.py").write_bytes(apply_edits(source.data, list(fix.edits)))
            roots[variant] = root
        for _ in range(rounds):
            for variant in variants:
                for test, seconds in test_cpu_times(roots[variant], timeout).items():
                    times[variant].setdefault(test, []).append(seconds)
    best = {v: {t: min(s) for t, s in per_test.items()} for v, per_test in times.items()}
    base = sum(best[None].values())
    savings = []
    for i, finding in enumerate(findings):
        # Each planted function has one test, named after it; the other tests' timings are noise.
        test = next(t for t in best[None] if t.endswith(f"::test_{_function_name(source, finding)}"))
        savings.append(best[None][test] - best[i][test])
    return base, savings


def _function_name(source, finding) -> str:
    from hasten.analyzers.syntax.tree import enclosing_function

    node = source.tree.root_node.descendant_for_byte_range(finding.start, finding.start)
    function = enclosing_function(node)
    return source.node_text(function.child_by_field_name("name"))


def ranking(rounds: int, timeout: float) -> dict:
    from hasten.server.profile.measure import DEFAULT_HOT, annotate

    source, findings = planted_findings()
    base, savings = true_costs(source, findings, rounds, timeout)
    runs = []
    for _ in range(rounds):
        _cpu, _wall, outcome = profiled_run(PLANTED, None, timeout)
        measures = annotate(outcome.profile, source, findings)
        runs.append([m.to_json() if m else None for m in measures])
    rows = []
    for i, finding in enumerate(findings):
        shares = [run[i]["share"] if run[i] else 0.0 for run in runs]
        rows.append({
            "code": finding.code, "line": source.byte_to_cli(finding.start)[0],
            "saving_seconds": savings[i], "saving_share": savings[i] / base,
            "measured_shares": shares, "summary": runs[-1][i]["summary"] if runs[-1][i] else None,
        })
    true_order = sorted(range(len(rows)), key=lambda i: -rows[i]["saving_seconds"])
    per_run = []
    for r in range(rounds):
        order = sorted(range(len(rows)), key=lambda i: -rows[i]["measured_shares"][r])
        hot = {i for i in range(len(rows)) if rows[i]["measured_shares"][r] >= DEFAULT_HOT}
        costly = {i for i in range(len(rows)) if rows[i]["saving_share"] >= NEGLIGIBLE}
        per_run.append({"order_matches": order == true_order, "hot_matches": hot == costly})
    return {"base_cpu": base, "rows": rows, "true_order": true_order, "runs": per_run, "threshold": DEFAULT_HOT}


def markdown(results: dict) -> str:
    out = ["| project | plain run (CPU) | profiled (CPU) | CPU overhead | wall: plain → profiled | samples |", "|---|---:|---:|---:|---:|---:|"]
    for row in results["overhead"]:
        out.append(
            f"| {row['name']} | {row['plain_cpu']:.2f} s | {row['profiled_cpu']:.2f} s | {row['cpu_overhead']:+.0%} | "
            f"{row['plain_wall']:.1f} → {row['profiled_wall']:.1f} s ({row['wall_overhead']:+.0%}) | {row['samples']:,} |"
        )
    rank = results.get("ranking")
    if rank:
        out += ["", f"Planted findings (the tests take {rank['base_cpu']:.2f} s of CPU; true cost = the CPU time the fix alone saves them):", "",
                "| finding | true cost (fix saves) | measured share of the run, per profiled run | hot at the default threshold |",
                "|---|---:|---|---|"]
        for i in rank["true_order"]:
            row = rank["rows"][i]
            shares = ", ".join(f"{s:.1%}" for s in row["measured_shares"])
            hot = ["yes" if s >= rank["threshold"] else "no" for s in row["measured_shares"]]
            out.append(f"| {row['code']} (line {row['line']}) | {row['saving_seconds'] * 1000:.1f} ms ({row['saving_share']:.1%}) | {shares} | {', '.join(hot)} |")
        ok_order = sum(r["order_matches"] for r in rank["runs"])
        ok_hot = sum(r["hot_matches"] for r in rank["runs"])
        out += ["", f"Order matches the true cost order in {ok_order} of {len(rank['runs'])} profiled runs; "
                f"the default `--hot` threshold ({rank['threshold']:.0%}) keeps exactly the findings whose fix saves at least "
                f"{NEGLIGIBLE:.1%} of the run in {ok_hot} of {len(rank['runs'])}."]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--skip-package", action="store_true", help="skip the real package's test suite")
    parser.add_argument("--skip-ranking", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--results", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    started = time.monotonic()
    pytest = [sys.executable, "-m", "pytest", "-q"]
    results: dict = {"python": sys.version.split()[0], "overhead": []}
    results["overhead"].append(overhead("examples/", EXAMPLES, pytest, args.rounds, args.timeout))
    if not args.skip_package:
        with tempfile.TemporaryDirectory(prefix="hasten-profile-package-") as temp:
            root = package_project(Path(temp))
            results["overhead"].append(overhead(f"{PACKAGE} tests", root, pytest + [PACKAGE_TESTS], args.rounds, args.timeout))
    if not args.skip_ranking:
        results["ranking"] = ranking(args.rounds, args.timeout)
    results["seconds"] = time.monotonic() - started
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results) if args.markdown else json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
