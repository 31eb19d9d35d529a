"""The profile benchmark's planted project still plants what the benchmark expects."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _harness():
    spec = importlib.util.spec_from_file_location("profile_bench", REPO / "benchmarks" / "profile" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_five_planted_findings_each_with_a_fix_and_a_test():
    bench = _harness()
    source, findings = bench.planted_findings()
    assert [f.code for f in findings] == ["HS101", "HS102", "HS112", "HS304", "HS308"]
    tests = (bench.PLANTED / "tests" / "test_books.py").read_text()
    for finding in findings:
        assert finding.fix is not None, finding.code
        assert f"def test_{bench._function_name(source, finding)}(" in tests


def test_markdown_of_results():
    bench = _harness()
    results = {
        "overhead": [{"name": "examples/", "plain_cpu": 1.0, "profiled_cpu": 1.1, "cpu_overhead": 0.1,
                      "plain_wall": 2.0, "profiled_wall": 2.2, "wall_overhead": 0.1, "samples": 300}],
        "ranking": {"base_cpu": 1.0, "threshold": 0.01, "true_order": [0],
                    "rows": [{"code": "HS101", "line": 9, "saving_seconds": 0.4, "saving_share": 0.4, "measured_shares": [0.2]}],
                    "runs": [{"order_matches": True, "hot_matches": True}]},
    }
    text = bench.markdown(results)
    assert "| examples/ | 1.00 s | 1.10 s | +10% |" in text
    assert "| HS101 (line 9) | 400.0 ms (40.0%) | 20.0% | yes |" in text
    assert "in 1 of 1 profiled runs" in text
