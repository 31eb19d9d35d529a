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
