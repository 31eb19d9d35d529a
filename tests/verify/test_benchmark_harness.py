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
