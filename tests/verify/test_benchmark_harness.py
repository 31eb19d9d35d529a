"""The verification benchmark harness runs on the shared data (skipped when it is absent)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_harness_on_the_first_pie_pairs(shared_benchmarks, tmp_path):
    results = tmp_path / "results.json"
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.verify.run", "--only", "pie", "--limit", "2", "--results", str(results)],
        cwd=REPO, capture_output=True, text=True, timeout=600, env=dict(os.environ, TMPDIR=str(tmp_path)),
    )
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(results.read_text())
    summary = data["summary"]["PIE"]
    assert summary["tasks"] == 2 and summary["verified_but_wrong"] == 0
    assert "## Verification" in out.stdout


def test_harness_skips_without_data(tmp_path, monkeypatch):
    sys.path.insert(0, str(REPO))
    try:
        from benchmarks.verify import run
    finally:
        sys.path.remove(str(REPO))
    monkeypatch.setattr(run, "BENCH", tmp_path / "missing")
    assert run.main(["--results", str(tmp_path / "r.json")]) == 0
    assert not (tmp_path / "r.json").exists()


def test_halves_and_the_expert_fix():
    sys.path.insert(0, str(REPO))
    try:
        from benchmarks.verify import run
    finally:
        sys.path.remove(str(REPO))
    from hasten.analyzers.fixes import apply_edits
    from hasten.server.verify.target import target_of
    from hasten.analyzers.source import Source

    assert run.half_of("HumanEval/12") == "dev" and run.half_of("HumanEval/13") == "heldout"
    slow = "from typing import List\n\n\ndef helper(x):\n    return x\n\n\ndef f(xs: List[int]) -> int:\n    return sorted(xs)[0]\n"
    fast = "from typing import List\nimport math\n\n\ndef _low(xs):\n    return min(xs)\n\n\ndef f(xs: List[int]) -> int:\n    return _low(xs)\n"
    finding = run.expert_fix(slow, fast, "f")
    new = apply_edits(slow.encode(), list(finding.fix.edits)).decode()
    assert "import math" in new and "def _low" in new and "return _low(xs)" in new and "def helper" in new
    assert new.count("from typing import List") == 1
    assert target_of(Source(slow), finding.fix).qualname == "f"


@pytest.mark.slow
def test_expert_mode_on_two_dev_tasks(shared_benchmarks, tmp_path):
    results = tmp_path / "expert.json"
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.verify.run", "--expert", "--half", "dev", "--limit", "2", "--results", str(results)],
        cwd=REPO, capture_output=True, text=True, timeout=900, env=dict(os.environ, TMPDIR=str(tmp_path)),
    )
    data = json.loads(results.read_text())
    assert data["summary"]["tasks"] == 2 and data["summary"]["false_faster"] == 0, out.stdout + out.stderr
    assert "## Verification of expert rewrites at scale" in out.stdout


def test_timing_mix_takes_every_input_kind_of_the_size():
    sys.path.insert(0, str(REPO))
    try:
        from benchmarks.verify import run
    finally:
        sys.path.remove(str(REPO))
    cases = [((f"t{i}",), None) for i in range(8)]  # two test sizes, four kinds each
    checks = [(("c0",), None), (("c1",), None)]
    kinds = [[("c0a",), ("c0b",)], [("c1a",)]]
    assert run.timing_mix(cases, checks, kinds, 5) == [("t5",), ("t4",), ("t6",), ("t7",)]
    assert run.timing_mix(cases, checks, kinds, 9) == [("c1",), ("c1a",)]


def test_measure_sees_arguments_changed_in_place_and_times_a_mix(tmp_path):
    import pickle

    sys.path.insert(0, str(REPO / "benchmarks" / "verify"))
    try:
        import _measure
    finally:
        sys.path.remove(str(REPO / "benchmarks" / "verify"))
    (tmp_path / "old.py").write_text("def f(xs):\n    return min(xs)\n")
    (tmp_path / "new.py").write_text("def f(xs):\n    xs.sort()\n    return xs[0]\n")
    (tmp_path / "checker.py").write_text("def check(given, answer, output):\n    return answer == output\n")
    (tmp_path / "cases.pkl").write_bytes(pickle.dumps([(([3, 1, 2],), 1), (([5],), 5)]))
    base = {"entry": "f", "checker": str(tmp_path / "checker.py"), "cases": str(tmp_path / "cases.pkl"), "timing": None}
    old = _measure.enamel(dict(base, code=str(tmp_path / "old.py")))
    new = _measure.enamel(dict(base, code=str(tmp_path / "new.py")))
    assert old["ok"] == new["ok"] == [True, True]
    assert old["mutated"] == [False, False] and new["mutated"] == [True, False]
    (tmp_path / "mix.pkl").write_bytes(pickle.dumps([([3, 1, 2],), (list(range(50)),)]))
    timed = _measure.paired_mix({"codes": [str(tmp_path / "old.py"), str(tmp_path / "new.py")], "entry": "f",
                                 "mix": str(tmp_path / "mix.pkl"), "runs": 2, "deadline": 30})
    assert len(timed["per_input"]) == 2 and all(s > 0 for s in timed["seconds"]) and timed["dropped"] == 0
