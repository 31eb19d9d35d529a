"""benchmarks/metrics/growth_accuracy.py: the fit, the ladder, a run on a tiny synthetic task set,
and a clear skip when the ENAMEL data is absent."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "metrics" / "growth_accuracy.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("growth_accuracy", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fit_and_ladder(bench):
    quadratic = [{"size": s, "seconds": 1e-8 * s * s} for s in (100, 1000, 10000)]
    assert bench.fit_exponent(quadratic) == pytest.approx(2.0)
    assert bench.measured_level(2.0, quadratic) == 2
    exploding = [{"size": 10, "seconds": 2e-5}, {"size": 30, "seconds": None, "at_least": 0.5}]
    assert bench.measured_level(bench.fit_exponent(exploding), exploding) == 4
    # A cut run after a mild rise must not drag the exponent down.
    polite = [{"size": 10, "seconds": 1e-5}, {"size": 100, "seconds": 1e-3}, {"size": 10**9, "seconds": None, "at_least": 0.5}]
    assert bench.fit_exponent(polite) == pytest.approx(2.0)
    assert bench.fit_exponent([{"size": 5, "seconds": 1e-3}]) is None


def test_missing_data_is_skipped_with_a_message(tmp_path):
    proc = subprocess.run([sys.executable, str(SCRIPT), "--tasks", str(tmp_path / "none.jsonl")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "not found" in proc.stderr


def test_synthetic_tasks(tmp_path):
    task = {
        "task_id": "Synthetic/0",
        "entry_point": "dedupe",
        "input_generator": "def generate_input(size, lid, cid):\n    return list(range(size)),\n",
        "input_levels": "200 400 800 1600",
        "slow_code": "def dedupe(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n",
        "fast_code": "def dedupe(xs):\n    return list(dict.fromkeys(xs))\n",
    }
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps(task) + "\n", encoding="utf-8")
    out = tmp_path / "rows.json"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--tasks", str(tasks), "--json", str(out), "-q", "--markdown"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = {r["solution"]: r for r in json.loads(out.read_text())["rows"]}
    # Timings on a shared machine are noisy: the slow one must measure super-linear, the fast one not.
    assert rows["slow"]["estimate"] == "O(n^2)" and rows["slow"]["measured_level"] in (2, 3)
    assert rows["fast"]["estimate"] == "O(n)" and rows["fast"]["measured_level"] in (0, 1)
    assert "## Growth estimates" in proc.stdout
