"""`hasten metrics` as a real subprocess: text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CODE = "def dedupe(items):\n    out = []\n    for item in items:\n        if item not in out:\n            out.append(item)\n    return out\n\n\ndef add(a, b):\n    return a + b\n"


def hasten(*args, input=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "hasten", *args], input=input, capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(CODE, encoding="utf-8")
    (tmp_path / "pkg" / "broken.py").write_text("def f(xs):\n    for x in xs\n        pass\n\ndef g(xs):\n    return sorted(xs)\n", encoding="utf-8")
    return tmp_path


def test_text_table(project):
    proc = hasten("metrics", "pkg", cwd=project)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "maintainability" in out
    header = next(line for line in out.splitlines() if "function" in line)
    assert header.split() == ["function", "line", "complexity", "rank", "growth", "maintainability"]
    row = next(line for line in out.splitlines() if line.strip().startswith("dedupe"))
    assert row.split()[:5] == ["dedupe", "1", "3", "A", "O(n²)"]
    assert any(line.split()[:5] == ["add", "9", "1", "A", "O(1)"] for line in out.splitlines())
    assert "note:" in out and "broken.py" in out  # the syntax-error file still gets a table
    assert any(line.split()[:4] == ["g", "5", "1", "A"] and "O(n log n)" in line for line in out.splitlines())


def test_explain_lists_the_lines(project):
    proc = hasten("metrics", "pkg/mod.py", "--explain", cwd=project)
    assert "line 3: loop over `items`" in proc.stdout
    assert "line 4: `item not in out` scans a list" in proc.stdout


def test_json(project):
    proc = hasten("metrics", "pkg", "--output-format", "json", cwd=project)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    files = {f["path"].replace("\\", "/"): f for f in data["files"]}
    mod = files["pkg/mod.py"]
    assert mod["maintainability"] is not None and mod["maintainability_rank"] in "ABC"
    fn = mod["functions"][0]
    for key in ("function", "line", "complexity", "rank", "growth", "maintainability", "halstead", "loc", "growth_detail"):
        assert key in fn
    assert (fn["function"], fn["line"], fn["complexity"], fn["rank"], fn["growth"]) == ("dedupe", 1, 3, "A", "O(n^2)")
    assert [r["line"] for r in fn["growth_detail"]["reasons"]] == [3, 4]
    assert fn["halstead"]["volume"] > 0 and "difficulty" in fn["halstead"]
    assert fn["loc"]["loc"] == 6
    broken = files["pkg/broken.py"]
    assert broken["maintainability"] is None and broken["notes"]
    assert {f["function"] for f in broken["functions"]} >= {"g"}
    assert all(f["complexity_source"] == "tree-sitter" for f in broken["functions"])


def test_stdin_and_missing_path(project):
    proc = hasten("metrics", "-", "--stdin-filename", "x.py", input=CODE, cwd=project)
    assert proc.returncode == 0 and proc.stdout.startswith("x.py")
    proc = hasten("metrics", "nope.py", cwd=project)
    assert proc.returncode == 2 and "nope.py" in proc.stderr
