"""`hasten check` with a stored profile, through the real entry point: measured shares in the
text, JSON and SARIF output, findings ordered by measured cost, `--hot`, HS502's measured time."""

import json
import subprocess
import sys

from tests.profiling.conftest import MEASURED as MODULE
from tests.profiling.conftest import measured_project as project

def hasten(*args, cwd):
    return subprocess.run([sys.executable, "-m", "hasten", "check", "--no-cache", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_findings_carry_their_measure_and_come_costliest_first(tmp_path):
    root = project(tmp_path)
    out = hasten(".", cwd=root)
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    heads = [l for l in lines if l.startswith("mod.py:")]
    assert heads[0].startswith("mod.py:13:12: HS115") and heads[1].startswith("mod.py:5:12: HS101")
    assert "   = profile: this loop: 40% of the profiled run (4.00 s), `dedupe` called 3 times, `out`: list of up to 12,000 items" in lines
    assert "  = profile: this loop: 0.8% of the profiled run (0.08 s)" in lines
    data = json.loads(hasten(".", "--output-format", "json", cwd=root).stdout)
    assert [d["code"] for d in data] == ["HS115", "HS101"]
    assert data[0]["profile"]["share"] == 0.4 and data[0]["profile"]["calls"] == 3
    assert "extra" not in data[0] or "profile" not in data[0]["extra"]
    sarif = json.loads(hasten(".", "--output-format", "sarif", cwd=root).stdout)
    results = sarif["runs"][0]["results"]
    assert results[0]["ruleId"] == "HS115" and results[0]["properties"]["profile"]["seconds"] == 4.0


def test_hot_keeps_findings_above_the_threshold(tmp_path):
    root = project(tmp_path)
    out = hasten(".", "--hot", "--output-format", "concise", cwd=root)
    assert [l.split()[1] for l in out.stdout.splitlines() if l.startswith("mod.py")] == ["HS115"]
    out = hasten(".", "--hot", "0.5%", "--output-format", "concise", cwd=root)
    assert [l.split()[1] for l in out.stdout.splitlines() if l.startswith("mod.py")] == ["HS115", "HS101"]
    out = hasten(".", "--hot", "0.5", "--output-format", "concise", cwd=root)
    assert out.returncode == 0 and "All checks passed." in out.stdout
    bad = hasten(".", "--hot", "many", cwd=root)
    assert bad.returncode == 2 and "expected a share" in bad.stderr


def test_hot_without_a_profile_is_an_error_and_plain_check_is_unchanged(tmp_path):
    root = project(tmp_path, profiled=False)
    out = hasten(".", "--hot", cwd=root)
    assert out.returncode == 2 and "run `hasten profile` first" in out.stderr
    out = hasten(".", "--output-format", "concise", cwd=root)
    assert [l.split()[1] for l in out.stdout.splitlines() if l.startswith("mod.py")] == ["HS101", "HS115"]
    assert "profile" not in out.stdout


def test_an_edited_file_loses_its_measure(tmp_path):
    root = project(tmp_path)
    (root / "mod.py").write_text(MODULE + "\n# edited\n")
    data = json.loads(hasten(".", "--output-format", "json", cwd=root).stdout)
    assert [d["code"] for d in data] == ["HS101", "HS115"] and not any("profile" in d for d in data)


def test_growth_class_message_shows_the_measured_time(tmp_path):
    root = project(tmp_path, select="HS502")
    data = json.loads(hasten(".", "--output-format", "json", cwd=root).stdout)
    dedupe = next(d for d in data if d["line"] == 10)
    assert "(measured: this function: 40% of the profiled run (4.00 s), `dedupe` called 3 times" in dedupe["message"]


def test_statistics_count_only_hot_findings_with_hot(tmp_path):
    root = project(tmp_path)
    out = hasten(".", "--statistics", "--hot", cwd=root)
    assert [line.split("\t")[1] for line in out.stdout.splitlines()] == ["HS115"]
