"""Verification benchmark on code nobody here wrote: ENAMEL tasks and PIE program pairs.

    python -m benchmarks.verify.run [--only enamel|pie] [--limit N] [--half dev|heldout] [--write-docs]
    python -m benchmarks.verify.run --expert --half dev [--limit N] [--write-docs]

Reads ``<repo>/../shared/benchmarks`` in place (skips with a message when it is absent) and builds
throwaway projects in a temporary directory:

* ENAMEL: ``solution.py`` holds the task's slow solution; ``tests/test_solution.py`` calls it on
  inputs from the task's generator at the two smallest sizes and checks each output with the
  task's checker against the expert solution's answer. The harness adds one input per larger size
  (as far as the expert solution gets in 20 s) for its own check and timing.
* PIE: ``prog.py`` is the slow program; ``tests/test_prog.py`` runs it (in process, stdin
  redirected) on each of the problem's test inputs and compares its output with the expected one.

For each project: hasten's findings, each fix verified by ``hasten.server.verify.verify_fix``, and
the result of ``hasten check --fix --unsafe-fixes``. Independently of hasten, the harness applies
each fix and checks the fixed program on every input — the tests' inputs plus larger ones — with the
task's own checker, and times old and new on the largest input the original solves within 5 s
(alternating in one process, min of 6 runs each).
A fix hasten called verified (faster or equivalent) that the harness finds wrong is counted; that
count must be zero.

``--expert`` verifies, instead of hasten's fixes, each ENAMEL task's expert rewrite (the fast
solution put in place of the slow one) and reports the scale check against the harness's speedup
at the largest input. ``--half`` keeps one half of the ENAMEL tasks: *dev* the even-numbered
HumanEval tasks, *heldout* the odd-numbered ones (nothing was tuned on the held-out half).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pickle
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO.parent / "shared" / "benchmarks"
MEASURE = Path(__file__).with_name("_measure.py")
RESULTS = Path(__file__).with_name("results.json")
DOCS = REPO / "docs" / "benchmarks.md"
HEADING = "## Verification"
TIMING_BUDGET = 5.0  # seconds: the largest input the original solves within this is the timing input

from hasten.analyzers.checker import check  # noqa: E402
from hasten.analyzers.config import Config  # noqa: E402
from hasten.analyzers.finding import Applicability, Edit, Finding, Fix  # noqa: E402
from hasten.analyzers.fixes import apply_edits, fix_text  # noqa: E402
from hasten.analyzers.source import Source  # noqa: E402
from hasten.server.verify import core  # noqa: E402
from hasten.server.verify.batch import verifiable  # noqa: E402

PYPROJECT = """\
[tool.hasten]
preview = true

[tool.hasten.verify]
timeout = 60
memory-mb = 2048
rounds = 7

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""

ENAMEL_TEST = '''\
import copy
import pickle
from pathlib import Path

import pytest

from solution import {entry}

HERE = Path(__file__).parent
CASES = pickle.loads((HERE / "cases.pkl").read_bytes())
_checker = {{}}
exec((HERE / "checker.py").read_text(), _checker)
CHECK = next(v for k, v in _checker.items() if k.endswith("check") and callable(v))


@pytest.mark.parametrize("index", range(len(CASES)))
def test_case(index):
    given, answer = CASES[index]
    output = {entry}(*copy.deepcopy(given))
    assert CHECK(copy.deepcopy(given), answer, output)
'''

PIE_TEST = '''\
import io
import runpy
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PROGRAM = HERE.parent / "prog.py"
CASES = sorted(p.name for p in (HERE / "cases").glob("input.*.txt"))


@pytest.mark.parametrize("name", CASES)
def test_case(name, monkeypatch, capsys):
    # A text stream over bytes, so that programs reading sys.stdin.buffer work too.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((HERE / "cases" / name).read_bytes())))
    try:
        runpy.run_path(str(PROGRAM), run_name="__main__")
    except SystemExit:
        pass
    expected = (HERE / "cases" / name.replace("input", "output")).read_text()
    assert capsys.readouterr().out.split() == expected.split()
'''


class Timeout(Exception):
    pass


@contextmanager
def alarm(seconds: int):
    def fire(*_):
        raise Timeout()

    previous = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def measure(config: dict, workdir: Path, timeout: float = 240) -> dict:
    config_path = workdir / f"measure-{time.monotonic_ns()}.json"
    config["out"] = str(config_path) + ".out"
    config_path.write_text(json.dumps(config))
    try:
        subprocess.run([sys.executable, str(MEASURE), str(config_path)], timeout=timeout, capture_output=True, start_new_session=True)
        return json.loads(Path(config["out"]).read_text())
    except subprocess.TimeoutExpired:
        return {"ok": [False], "errors": ["timed out"], "seconds": None, "timed_out": True}
    except (OSError, ValueError) as exc:
        return {"ok": [False], "errors": [f"crashed: {exc}"], "seconds": None, "timed_out": False}


CONFIG = Config(preview=True)  # every rule: verification is the gate, not the rule's status


def findings_of(code: str):
    return check(Source(code, "bench.py"), CONFIG).findings


# -- ENAMEL --------------------------------------------------------------------------------------

def enamel_cases(task: dict) -> tuple[list, tuple]:
    import collections
    import functools
    import itertools
    import math
    import string

    namespace = {"random": random, "math": math, "string": string, "itertools": itertools, "collections": collections, "functools": functools}
    try:  # some generators call the task's own helpers (encode_shift beside decode_shift)
        exec(task["prompt"], namespace)
    except Exception:  # noqa: BLE001 - a prompt is a stub; its helpers are all that matters
        pass
    exec(task["input_generator"], namespace)
    generate = namespace["generate_input"]
    expert_ns: dict = {}
    exec(task["fast_code"], expert_ns)
    expert = expert_ns[task["entry_point"]]
    levels = [int(x) for x in task["input_levels"].split()]
    cases = []
    with alarm(60):
        for lid in (0, 1):
            for cid in range(4):
                random.seed(1000 * lid + cid)
                given = generate(levels[lid], lid, cid)
                given = given if isinstance(given, tuple) else (given,)
                cases.append((given, expert(*copy.deepcopy(given))))
    checks = []
    kinds = []  # per check, the generator's other input kinds at the same size: for timing only
    for lid in range(2, len(levels)):
        # Larger inputs for the harness's own check and timing, as far as the expert gets in time.
        try:
            with alarm(20):
                random.seed(1000 * lid + 7)
                given = generate(levels[lid], lid, 1)
                given = given if isinstance(given, tuple) else (given,)
                checks.append((given, expert(*copy.deepcopy(given))))
        except (Timeout, MemoryError, RecursionError):
            break
        others = []
        for cid in (0, 2, 3):
            try:
                with alarm(20):
                    random.seed(1000 * lid + 7 + 100 * cid)
                    other = generate(levels[lid], lid, cid)
                    others.append(other if isinstance(other, tuple) else (other,))
            except (Timeout, MemoryError, RecursionError):
                pass
            except Exception:  # noqa: BLE001 - dataset code: a kind the generator cannot make at this size
                pass
        kinds.append(others)
    return cases, checks, kinds


def timing_mix(cases: list, checks: list, kinds: list, index: int) -> list:
    """The inputs the harness times: every input kind the generator makes at the size of input
    ``index`` (the tests' four at a test size; the check input and its three siblings above),
    ``index``'s own first. One input of one kind is no measure of a function whose time depends on
    the kind (an early exit) rather than the size."""
    every = [given for given, _ in cases + checks]
    if index < len(cases):
        level = index // 4
        return [every[index]] + [every[i] for i in range(4 * level, min(4 * level + 4, len(cases))) if i != index]
    return [every[index]] + kinds[index - len(cases)]


def enamel_project(task: dict, root: Path, cases) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "solution.py").write_text(task["slow_code"])
    (root / "tests" / "cases.pkl").write_bytes(pickle.dumps(cases))
    (root / "tests" / "checker.py").write_text(task["checker"])
    (root / "tests" / "test_solution.py").write_text(ENAMEL_TEST.format(entry=task["entry_point"]))
    (root / "pyproject.toml").write_text(PYPROJECT)
    return root / "solution.py"


def half_of(task_id: str) -> str:
    """The dev half holds the even-numbered HumanEval tasks; the held-out half the odd ones."""
    return "dev" if int(task_id.rsplit("/", 1)[-1]) % 2 == 0 else "heldout"


def enamel_tasks(half: str | None, limit: int | None) -> list[dict]:
    tasks = [json.loads(line) for line in (BENCH / "enamel" / "tasks.jsonl").read_text().splitlines() if line.strip()]
    if half:
        tasks = [t for t in tasks if half_of(t["task_id"]) == half]
    return tasks[:limit]


def expert_fix(slow_code: str, fast_code: str, entry: str) -> Finding | None:
    """The expert rewrite as one fix: the slow entry function replaced by the fast solution's
    top-level statements that the slow solution does not have (its imports, helpers, the function)."""
    import ast

    source = Source(slow_code, "solution.py")
    node = next((n for n in source.tree.root_node.named_children
                 if (n.type == "function_definition" or n.type == "decorated_definition")
                 and (n.child_by_field_name("name") or n.child_by_field_name("definition").child_by_field_name("name")).text.decode() == entry), None)
    if node is None:
        return None
    slow_dumps = {ast.dump(n) for n in ast.parse(slow_code).body}
    fast_lines = fast_code.splitlines(keepends=True)
    parts = []
    for stmt in ast.parse(fast_code).body:
        if ast.dump(stmt) in slow_dumps and not (isinstance(stmt, ast.FunctionDef) and stmt.name == entry):
            continue
        start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        parts.append("".join(fast_lines[start - 1: stmt.end_lineno]).rstrip("\n"))
    replacement = "\n\n\n".join(parts)
    fix = Fix("Put the expert solution in place", (Edit(node.start_byte, node.end_byte, replacement),), Applicability.UNSAFE)
    return Finding("EXPERT", "expert-rewrite", "the expert solution", node.start_byte, node.end_byte, fix=fix)


def run_enamel(limit: int | None, workdir: Path, log, half: str | None = None, expert: bool = False) -> list[dict]:
    out = []
    for task in enamel_tasks(half, limit):
        row = {"benchmark": "ENAMEL", "task": task["task_id"], "findings": 0, "fixes": []}
        out.append(row)
        if expert:
            fix = expert_fix(task["slow_code"], task["fast_code"], task["entry_point"])
            fixes = [fix] if fix is not None else []
            row["findings"] = len(fixes)
        else:
            findings = findings_of(task["slow_code"])
            row["findings"] = len(findings)
            fixes = verifiable(findings)
        if not fixes:
            continue
        try:
            cases, checks, kinds = enamel_cases(task)
        except BaseException as exc:  # noqa: BLE001 - dataset code: anything can happen
            row["skipped"] = f"the input generator failed ({type(exc).__name__}: {exc})"[:200]
            log(f"{task['task_id']}: skipped: {row['skipped']}")
            continue
        root = workdir / "enamel" / task["task_id"].replace("/", "_")
        path = enamel_project(task, root, cases)
        data = workdir / "data" / task["task_id"].replace("/", "_")
        data.mkdir(parents=True)
        (data / "all.pkl").write_bytes(pickle.dumps(cases + checks))

        def harness(code: str) -> dict:
            return measure({"kind": "enamel", "code": _write(data, code), "entry": task["entry_point"], "checker": str(root / "tests" / "checker.py"),
                            "cases": str(data / "all.pkl"), "timing": None}, data)

        def timer(old: str, new: str, index: int) -> dict:
            mix = data / f"mix-{index}.pkl"
            mix.write_bytes(pickle.dumps(timing_mix(cases, checks, kinds, index)))
            return measure({"kind": "enamel", "paired": True, "codes": [_write(data, old), _write(data, new)], "entry": task["entry_point"],
                            "mix": str(mix), "runs": 6, "deadline": 60}, data)

        # The project's tests are the cases the slow solution itself passes: a project whose tests
        # fail before any change cannot verify anything (some slow solutions fail the edge inputs).
        passing = harness(task["slow_code"])["ok"][: len(cases)]
        if not all(passing):
            kept = [c for c, ok in zip(cases, passing) if ok]
            row["cases_dropped"] = len(cases) - len(kept)
            (root / "tests" / "cases.pkl").write_bytes(pickle.dumps(kept))
        _verify_fixes(row, task["slow_code"], path, fixes, harness, timer, log, sizes=list(range(len(cases) + len(checks))))
    return out


# -- PIE -----------------------------------------------------------------------------------------

def run_pie(limit: int | None, workdir: Path, log) -> list[dict]:
    pairs = [json.loads(line) for line in (BENCH / "pie-python" / "pairs.jsonl").read_text().splitlines() if line.strip()]
    out = []
    for pair in pairs[:limit]:
        row = {"benchmark": "PIE", "task": pair["problem_id"], "findings": 0, "fixes": []}
        out.append(row)
        findings = findings_of(pair["slow_code"])
        row["findings"] = len(findings)
        fixes = verifiable(findings)
        if not fixes:
            continue
        cases_dir = BENCH / "pie-python" / pair["tests"]
        inputs = sorted(cases_dir.glob("input.*.txt"))
        cases = [(str(i), str(i.with_name(i.name.replace("input", "output")))) for i in inputs if i.with_name(i.name.replace("input", "output")).exists()]
        if not cases:
            row["skipped"] = "no test cases"
            continue
        root = workdir / "pie" / pair["problem_id"]
        (root / "tests" / "cases").mkdir(parents=True)
        for i, o in cases:  # the throwaway project gets its own copy of the cases, outside the repo
            (root / "tests" / "cases" / Path(i).name).write_text(Path(i).read_text())
            (root / "tests" / "cases" / Path(o).name).write_text(Path(o).read_text())
        (root / "prog.py").write_text(pair["slow_code"])
        (root / "tests" / "test_prog.py").write_text(PIE_TEST)
        (root / "pyproject.toml").write_text(PYPROJECT)
        data = workdir / "data" / f"pie-{pair['problem_id']}"
        data.mkdir(parents=True)

        def harness(code: str) -> dict:
            return measure({"kind": "pie", "code": _write(data, code), "cases": cases, "timing": None}, data)

        def timer(old: str, new: str, index: int) -> dict:
            return measure({"kind": "pie", "paired": True, "codes": [_write(data, old), _write(data, new)], "timing": cases[index][0], "runs": 6, "deadline": 60}, data)

        _verify_fixes(row, pair["slow_code"], root / "prog.py", fixes, harness, timer, log, sizes=[Path(i).stat().st_size for i, _ in cases])
    return out


# -- shared --------------------------------------------------------------------------------------

def _write(directory: Path, code: str) -> str:
    path = directory / f"code-{time.monotonic_ns()}.py"
    path.write_text(code)
    return str(path)


def _verify_fixes(row: dict, code: str, path: Path, fixes, harness, timer, log, sizes: list[int]) -> None:
    baseline = harness(code)
    row["baseline_ok"] = all(baseline["ok"])
    row["baseline_failures"] = baseline["errors"][:2]
    # Time on the largest input the original handles within the budget (ENAMEL's top sizes can
    # be out of reach for a quadratic solution).
    feasible = [i for i, (ok, t) in enumerate(zip(baseline["ok"], baseline.get("seconds_per_case", []))) if ok and t < TIMING_BUDGET]
    index = max(feasible, key=lambda i: (sizes[i], i)) if feasible else None
    for finding in fixes:
        started = time.monotonic()
        verdict = core.verify_fix(path, finding.fix)
        fixed = apply_edits(code.encode(), list(finding.fix.edits)).decode()
        result = harness(fixed)
        # Wrong: an input the original answers correctly and the fixed program does not.
        wrong = any(old and not new for old, new in zip(baseline["ok"], result["ok"])) or len(result["ok"]) < len(baseline["ok"])
        # The checker sees only the result: an argument the rewrite changes in place where the
        # original leaves it alone (a caller's list sorted) is a behaviour change too.
        mutates = any(new and not old for old, new in zip(baseline.get("mutated", []), result.get("mutated", [])))
        if mutates and not wrong:
            result["errors"] = ["changes an argument in place where the original leaves it as it was"] + result["errors"]
        wrong = wrong or mutates
        speedup = single = None
        per_input = []
        if not wrong and index is not None:
            timed = timer(code, fixed, index)
            times = timed.get("seconds") or [None, None]
            speedup = times[0] / times[1] if times[0] and times[1] else None
            per_input = timed.get("per_input") or []
            if per_input and per_input[0][0] and per_input[0][1]:
                single = per_input[0][0] / per_input[0][1]
        entry = {
            "code": finding.code, "title": finding.fix.title, "applicability": finding.fix.applicability.value,
            "verdict": verdict.kind, "evidence": verdict.headline(), "hasten_ratio": verdict.ratio, "timing": verdict.timing,
            "size": verdict.size, "scale": [{k: r.get(k) for k in ("factor", "ratio", "ratio_at_least", "old_seconds", "new_seconds", "skipped", "growth")} for r in verdict.scale],
            "growth": verdict.growth,
            "harness_correct": not wrong, "harness_errors": result["errors"][:2], "harness_speedup": speedup,
            "harness_mutates": mutates, "harness_single_speedup": single, "harness_inputs_timed": len(per_input) or None,
            "seconds": round(time.monotonic() - started, 1),
        }
        row["fixes"].append(entry)
        log(f"{row['task']}: {finding.code}: {verdict.kind} (hasten {verdict.ratio and round(verdict.ratio, 2)}×; harness {speedup and round(speedup, 2)}×, {'correct' if not wrong else 'WRONG'})")
    if any(f.code == "EXPERT" for f in fixes):
        return
    # What `hasten check --fix --unsafe-fixes` writes, checked by the harness too.
    all_fixed = fix_text(code, CONFIG, path="bench.py", unsafe=True).text
    if all_fixed != code:
        result = harness(all_fixed)
        row["check_fix_correct"] = not any(old and not new for old, new in zip(baseline["ok"], result["ok"]))


def summarise(rows: list[dict]) -> dict:
    fixes = [f for r in rows for f in r["fixes"]]
    faster = [f for f in fixes if f["verdict"] == core.VERIFIED_FASTER]
    speedups = [f["harness_speedup"] for f in faster if f["harness_speedup"]]
    return {
        "tasks": len(rows),
        "with_finding": sum(1 for r in rows if r["findings"]),
        "with_fix": sum(1 for r in rows if r["fixes"] or r.get("skipped")),
        "skipped": sum(1 for r in rows if r.get("skipped")),
        "fixes": len(fixes),
        "verified_faster": len(faster),
        "verified_equivalent": sum(1 for f in fixes if f["verdict"] == core.EQUIVALENT),
        "slower": sum(1 for f in fixes if f["verdict"] == core.SLOWER),
        "inconclusive": sum(1 for f in fixes if f["verdict"] == core.INCONCLUSIVE),
        "behaviour_changed": sum(1 for f in fixes if f["verdict"] == core.BEHAVIOUR_CHANGED),
        "cannot_verify": sum(1 for f in fixes if f["verdict"] == core.CANNOT_VERIFY),
        "harness_wrong": sum(1 for f in fixes if not f["harness_correct"]),
        "verified_but_wrong": sum(1 for f in fixes if f["verdict"] in (core.VERIFIED_FASTER, core.EQUIVALENT) and not f["harness_correct"]),
        "faster_speedup_median": statistics.median(speedups) if speedups else None,
        "faster_speedups": speedups,
        "check_fix_wrong": sum(1 for r in rows if r.get("check_fix_correct") is False),
    }


def _x(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}×" if value >= 100 else f"{value:.2f}×"


def markdown(results: dict, meta: dict) -> str:
    lines = [
        HEADING,
        "",
        "Verification (issues 5 and 20) on code nobody here wrote: ENAMEL tasks (HumanEval problems with slow and "
        "expert solutions) and PIE pairs (CodeNet programs), from `../shared/benchmarks`, read in place, "
        "with every rule enabled (preview ones included). "
        "Each task becomes a throwaway project whose pytest tests run the slow code on small inputs; "
        "every fix hasten offers is verified with `hasten.server.verify`, and the harness — not hasten — "
        "checks each fixed program on all inputs with the task's own checker and times old against new "
        "on the largest input the original solves within 5 s (alternating in one process, min of 6 runs each).",
        "",
        f"Reproduce: `python -m benchmarks.verify.run --write-docs` (results also in `benchmarks/verify/results.json`; "
        f"`--from-results` renders them again). "
        f"Measured {meta['date']} on Python {meta['python']}, {meta['cpus']} CPUs shared with other work; {meta['seconds']:.0f} s in all.",
        "",
        "| benchmark | tasks | with a finding | with a fix | fixes | verified faster | verified equivalent | slower | inconclusive | behaviour changed | cannot verify | harness speedup of verified-faster fixes (largest input) | harness found wrong | **verified but wrong** |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, summary in results["summary"].items():
        speed = "–"
        if summary["faster_speedups"]:
            speed = f"median {_x(summary['faster_speedup_median'])} (" + ", ".join(_x(s) for s in summary["faster_speedups"]) + ")"
        lines.append(
            f"| {name} | {summary['tasks']} | {summary['with_finding']} | {summary['with_fix']} | {summary['fixes']} | {summary['verified_faster']} | "
            f"{summary['verified_equivalent']} | {summary['slower']} | {summary.get('inconclusive', 0)} | {summary['behaviour_changed']} | {summary['cannot_verify']} | {speed} | "
            f"{summary['harness_wrong']} | **{summary['verified_but_wrong']}** |"
        )
    enamel_rows = [r for r in results["rows"] if r["benchmark"] == "ENAMEL"]
    if enamel_rows:
        lines.append("")
        for half in ("dev", "heldout"):
            for stable_only in (False, True):
                share = rules_share([r for r in enamel_rows if half_of(r["task"]) == half], stable_only)
                if share["tasks"]:
                    lines.append(
                        f"ENAMEL {'dev' if half == 'dev' else 'held-out'} half ({'even' if half == 'dev' else 'odd'}-numbered tasks), "
                        f"{'default rules (stable only)' if stable_only else 'every rule (preview on)'}: hasten's own rules offer a fix in "
                        f"{share['with_fix']} of {share['tasks']} tasks; a fix verifies at least 1.2× faster in **{share['verified_1_2x']} of {share['tasks']}** "
                        f"({share['verified_1_2x'] / share['tasks']:.0%}){': ' + ', '.join(share['which']) if share['which'] else ''}.")
                    lines.append("")
    if lines[-1] == "":
        lines.pop()
    if meta.get("note"):
        lines += ["", meta["note"]]
    lines += ["", "Every fix:", "", "| task | rule | fix | verdict | about | hasten's ratio | harness speedup | harness check |", "|---|---|---|---|---|---|---|---|"]
    for row in results["rows"]:
        if row.get("skipped"):
            lines.append(f"| {row['benchmark']} {row['task']} | – | – | skipped: {row['skipped']} | – | – | – | – |")
        for f in row["fixes"]:
            title = f["title"].replace("|", "\\|")
            lines.append(
                f"| {row['benchmark']} {row['task']} | {f['code']} | {title} | {f['verdict']} | {f.get('size') or '–'} | {_x(f['hasten_ratio'])} | "
                f"{_x(f['harness_speedup'])} | {'correct' if f['harness_correct'] else 'WRONG: ' + '; '.join(f['harness_errors'])[:80]} |"
            )
    lines += [
        "",
        "Reading the table: *with a fix* counts tasks where hasten offers at least one applicable fix; "
        "*verified but wrong* counts fixes hasten called verified (faster or equivalent) that the harness "
        "found to give a wrong answer on some input — it must be zero. *Harness found wrong* counts all "
        "wrong fixes, whatever hasten said (each should be behaviour-changed or cannot-verify). "
        "*Cannot verify* here means no test reaches the changed code (dead code in a PIE program) or the "
        "tests time out. PIE programs are module-level scripts: they have no calls to replay, so they are "
        "timed on whole tests; *inconclusive* means the original timed against itself strayed too far for any "
        "verdict (on this shared machine, whole-test timing mostly ends there). *About* is the input size a verdict "
        "rests on: the test sizes, or the recorded input grown 10× or 100× when that size answers differently. The harness's own timings carry the noise of a shared machine too: a fix in "
        "code that never runs (p03674) measures between 0.87× and 1.01× across runs, so harness figures "
        "within about ±15% of 1.0× mean no difference.",
        "",
    ]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    write_section(HEADING, section)


EXPERT_HEADING = "## Verification of expert rewrites at scale"
EXPERT_RESULTS = Path(__file__).with_name("results-expert.json")
EXPERT_HELDOUT_RESULTS = Path(__file__).with_name("results-expert-heldout.json")
FASTER_AT = 1.2  # the harness's speedup that counts as "faster at scale"
NOT_FASTER_BELOW = 1.05  # a harness speedup below this is no speedup: a "faster" verdict there is false


def expert_summary(rows: list[dict]) -> dict:
    fixes = [(r, f) for r in rows for f in r["fixes"]]
    correct = [(r, f) for r, f in fixes if f["harness_correct"]]
    fast = [(r, f) for r, f in correct if (f["harness_speedup"] or 0) >= FASTER_AT]
    called = [(r, f) for r, f in fast if f["verdict"] == core.VERIFIED_FASTER]
    false = [(r, f) for r, f in fixes if f["verdict"] == core.VERIFIED_FASTER and (not f["harness_correct"] or (f["harness_speedup"] or 0) < NOT_FASTER_BELOW)]
    sizes = {}
    for _, f in fixes:
        if f["verdict"] == core.VERIFIED_FASTER:
            sizes[f.get("size") or "test sizes"] = sizes.get(f.get("size") or "test sizes", 0) + 1
    return {
        "tasks": len(rows), "verified": len(fixes), "skipped": sum(1 for r in rows if r.get("skipped")),
        "harness_correct": len(correct), "harness_faster": len(fast), "called_faster": len(called),
        "share": len(called) / len(fast) if fast else None,
        "false_faster": len(false), "false_tasks": [r["task"] for r, _ in false],
        "missed": [r["task"] for r, f in fast if f["verdict"] != core.VERIFIED_FASTER],
        "verdicts": {k: sum(1 for _, f in fixes if f["verdict"] == k) for k in core.VERDICTS},
        "faster_by_size": sizes,
        "single_input": _single_input_summary(fixes),
    }


def _single_input_summary(fixes: list) -> dict:
    """The same figures by the earlier yardstick: the harness's speedup on its one input of the
    largest size (no batching, the argument check aside), for comparison across runs."""
    timed = [(r, f) for r, f in fixes if f.get("harness_single_speedup") is not None or not f["harness_correct"]]
    fast = [(r, f) for r, f in timed if f["harness_correct"] and (f.get("harness_single_speedup") or 0) >= FASTER_AT]
    called = [(r, f) for r, f in fast if f["verdict"] == core.VERIFIED_FASTER]
    false = [(r, f) for r, f in timed if f["verdict"] == core.VERIFIED_FASTER and f["harness_correct"] and (f.get("harness_single_speedup") or 0) < NOT_FASTER_BELOW]
    return {"harness_faster": len(fast), "called_faster": len(called), "share": len(called) / len(fast) if fast else None,
            "false_faster": len(false), "false_tasks": [r["task"] for r, _ in false],
            "missed": [r["task"] for r, f in fast if f["verdict"] != core.VERIFIED_FASTER]}


def expert_markdown(results: dict, meta: dict) -> str:
    s = results["summary"]
    lines = [
        EXPERT_HEADING, "",
        f"The scale check (issue 20) on the expert rewrites of the ENAMEL tasks' {meta['half']} half "
        f"({'even' if meta['half'] == 'dev' else 'odd'}-numbered HumanEval tasks{'; held out: nothing was tuned on it' if meta['half'] == 'heldout' else '; the half the verification was developed on'}). "
        "Each task's slow solution is a throwaway project whose tests run it on the generator's two smallest sizes; "
        "the fix is the expert solution put in its place, verified with `hasten.server.verify` (tests, replay, "
        "edge cases, timing at test sizes and on the largest recorded input grown 10× and 100×). The harness, independently, "
        "checks the rewrite on every input with the task's checker and times old against new on the largest input the "
        "original solves within 5 s (min of 6 alternating runs). It times every input kind the task's generator makes at that "
        "size (the four the tests use at theirs), each call batched to at least a millisecond, and takes the sum of the "
        "original's minima over the rewrite's: one input of one kind measures an early exit, not the size. A rewrite that "
        "changes an argument in place where the original does not (the caller's list sorted) is counted wrong, like a wrong "
        "answer: the task's checker sees only the result.", "",
        f"Reproduce: `python -m benchmarks.verify.run --expert --half {meta['half']}{' --limit ' + str(meta['limit']) if meta.get('limit') else ''} --write-docs` "
        f"(results in `benchmarks/verify/results-expert.json`). Measured {meta['date']} on Python {meta['python']}, {meta['cpus']} CPUs shared with other work; {meta['seconds'] / 60:.0f} min in all.", "",
        "| tasks | rewrites verified | harness: correct | harness: ≥ 1.2× faster at the largest input | of those, hasten says faster | **false \"faster\"** (harness < 1.05× or wrong) |",
        "|---|---|---|---|---|---|",
        f"| {s['tasks']} | {s['verified']} | {s['harness_correct']} | {s['harness_faster']} | {s['called_faster']} ({(s['share'] or 0):.0%}) | **{s['false_faster']}** |", "",
        "Verdicts: " + ", ".join(f"{k} {v}" for k, v in s["verdicts"].items() if v) + ". "
        "\"Faster\" verdicts by the size they are about: " + (", ".join(f"{k} {v}" for k, v in s["faster_by_size"].items()) or "none") + ".",
    ]
    if s["missed"]:
        lines += ["", "Harness ≥ 1.2× but not called faster: " + ", ".join(s["missed"]) + "."]
    single = s.get("single_input")
    if single and single["harness_faster"]:
        lines += ["", f"By the earlier yardstick (the harness's one input of the largest size alone, as before this change; the argument check kept): "
                      f"{single['called_faster']} of {single['harness_faster']} ({(single['share'] or 0):.0%}) called faster, "
                      f"false \"faster\" {single['false_faster']}{' (' + ', '.join(single['false_tasks']) + ')' if single['false_tasks'] else ''}"
                      f"{'; not called faster: ' + ', '.join(single['missed']) if single['missed'] else ''}."]
    if meta.get("note"):
        lines += ["", meta["note"]]
    if meta.get("half") == "dev" and EXPERT_HELDOUT_RESULTS.is_file():
        held = json.loads(EXPERT_HELDOUT_RESULTS.read_text())
        h = held["summary"]
        lines += ["", f"**Held-out half** (odd-numbered tasks, nothing tuned on them; `--half heldout --results "
                      f"benchmarks/verify/results-expert-heldout.json`, measured {held['meta']['date']}): of {h['harness_faster']} tasks "
                      f"the harness measures ≥ 1.2× faster, hasten calls {h['called_faster']} faster ({(h['share'] or 0):.0%}); "
                      f"false \"faster\": **{h['false_faster']}**{' (' + ', '.join(h['false_tasks']) + ')' if h['false_tasks'] else ''}; "
                      f"not called faster: {', '.join(h['missed']) or 'none'}. "
                      + (f"By the earlier yardstick (one input of the largest size): {h['single_input']['called_faster']} of "
                         f"{h['single_input']['harness_faster']} ({(h['single_input']['share'] or 0):.0%}), false \"faster\" "
                         f"{h['single_input']['false_faster']}{' (' + ', '.join(h['single_input']['false_tasks']) + ')' if h['single_input']['false_tasks'] else ''}. "
                         if h.get("single_input") else "") + held["meta"].get("note", "")]
    lines += ["", "| task | verdict | about | hasten's ratio | harness speedup | scale check | growth |", "|---|---|---|---|---|---|---|"]
    for row in results["rows"]:
        if row.get("skipped"):
            lines.append(f"| {row['task']} | skipped: {row['skipped'][:60]} | | | | | |")
        for f in row["fixes"]:
            scale = "; ".join(
                f"{x['factor']}×: " + (f"skipped ({(x['skipped'] or '')[:40]})" if x.get("skipped") else
                                       f">{_x(x['ratio_at_least'])}" if x.get("ratio_at_least") else _x(x.get("ratio")))
                for x in f.get("scale", []) if x.get("factor") != 1)
            check = "" if f["harness_correct"] else " (harness: WRONG)"
            lines.append(f"| {row['task']} | {f['verdict']}{check} | {f.get('size') or '–'} | {_x(f['hasten_ratio'])} | {_x(f['harness_speedup'])} | {scale or '–'} | {(f.get('growth') or '–').replace('|', '/')} |")
    lines.append("")
    return "\n".join(lines)


def rules_share(rows: list[dict], stable_only: bool = False) -> dict:
    """Tasks where one of hasten's own fixes verifies at least 1.2× faster: every rule's fixes
    (the run enables preview rules too), or with ``stable_only`` those of the rules a user gets
    without configuration (each fix is verified on its own, so one run gives both)."""
    from hasten.analyzers.registry import rules_by_code
    from hasten.analyzers.rule import Status

    table = rules_by_code()

    def counted(f):
        rule = table.get(f["code"])
        return not stable_only or (rule is not None and rule.status == Status.STABLE)

    fixes = {r["task"]: [f for f in r["fixes"] if counted(f)] for r in rows}
    hit = [r["task"] for r in rows if any(f["verdict"] == core.VERIFIED_FASTER and (f["hasten_ratio"] or 0) >= FASTER_AT for f in fixes[r["task"]])]
    return {"tasks": len(rows), "with_fix": sum(1 for r in rows if fixes[r["task"]]), "verified_1_2x": len(hit), "which": hit}


def write_section(heading: str, section: str) -> None:
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n\n"
    if heading in text:
        start = text.index(heading)
        rest = text[start + len(heading):]
        nxt = rest.find("\n## ")
        end = start + len(heading) + nxt + 1 if nxt >= 0 else len(text)
        text = text[:start] + section + ("\n" if nxt >= 0 else "") + text[end:]
    else:
        anchor = text.find("\n## ", text.find(HEADING) + 1) if HEADING in text else -1
        text = text[:anchor + 1] + section + "\n" + text[anchor + 1:] if anchor >= 0 else text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("enamel", "pie"))
    parser.add_argument("--limit", type=int, help="first N tasks of each benchmark")
    parser.add_argument("--half", choices=("dev", "heldout"), help="ENAMEL: only the dev (even-numbered) or held-out (odd-numbered) tasks")
    parser.add_argument("--expert", action="store_true", help="ENAMEL: verify the expert rewrite of each task (the scale check's benchmark)")
    parser.add_argument("--write-docs", action="store_true", help=f"write the results into docs/benchmarks.md under '{HEADING}'")
    parser.add_argument("--from-results", action="store_true", help="render the results file again instead of running")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the results go (default: benchmarks/verify/results.json)")
    args = parser.parse_args(argv)
    if args.expert and args.results == RESULTS:
        args.results = EXPERT_RESULTS
    if args.from_results and args.expert:
        results = json.loads(args.results.read_text())
        section = expert_markdown(results, results["meta"])
        print(section)
        if args.write_docs:
            write_section(EXPERT_HEADING, section)
        return 0
    if args.from_results:
        results = json.loads(args.results.read_text())
        section = markdown(results, results["meta"])
        print(section)
        if args.write_docs:
            write_docs(section)
        return 0
    if not BENCH.is_dir():
        print(f"skipped: the benchmark data is not at {BENCH} (expected <repo>/../shared/benchmarks)")
        return 0
    from hasten.server.verify.process import exit_cleanly_on_sigterm

    exit_cleanly_on_sigterm()
    started = time.monotonic()
    results = {"rows": [], "summary": {}}
    with tempfile.TemporaryDirectory(prefix="hasten-bench-") as tmp:
        workdir = Path(tmp)
        os.environ["HASTEN_CACHE_DIR"] = str(workdir / "cache")
        os.environ.setdefault("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the throwaway projects need no plugins
        log = lambda text: print(text, flush=True)
        if args.expert:
            rows = run_enamel(args.limit, workdir, log, half=args.half, expert=True)
            results["rows"] = rows
            results["summary"] = expert_summary(rows)
            meta = {"date": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0], "cpus": os.cpu_count(),
                    "seconds": time.monotonic() - started, "half": args.half or "all", "limit": args.limit}
            results["meta"] = meta
            args.results.write_text(json.dumps(results, indent=1))
            section = expert_markdown(results, meta)
            print(section)
            if args.write_docs:
                write_section(EXPERT_HEADING, section)
            return 1 if results["summary"]["false_faster"] else 0
        if args.only in (None, "enamel"):
            rows = run_enamel(args.limit, workdir, log, half=args.half)
            results["rows"] += rows
            results["summary"]["ENAMEL"] = summarise(rows)
            results["summary"]["ENAMEL"]["rules_share"] = rules_share(rows)
        if args.only in (None, "pie"):
            rows = run_pie(args.limit, workdir, log)
            results["rows"] += rows
            results["summary"]["PIE"] = summarise(rows)
    meta = {"date": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0], "cpus": os.cpu_count(), "seconds": time.monotonic() - started, "half": args.half}
    results["meta"] = meta
    args.results.write_text(json.dumps(results, indent=1))
    section = markdown(results, meta)
    print(section)
    if args.write_docs:
        write_docs(section)
    wrong = sum(s["verified_but_wrong"] for s in results["summary"].values())
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
