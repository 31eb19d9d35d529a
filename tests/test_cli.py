"""The `hasten` command line, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

SLOW = textwrap.dedent(
    """\
    def known(events, users):
        names = [u.name for u in users]
        out = []
        for e in events:
            if e.user in names:  # keep this comment
                out.append(e)
        return out
    """
)


def hasten(*args, input=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "hasten", *args], input=input, capture_output=True, text=True, cwd=cwd, timeout=180
    )


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "slow.py").write_text(SLOW, encoding="utf-8")
    (tmp_path / "pkg" / "clean.py").write_text("def f(x):\n    return x + 1\n", encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "skipped.py").write_text(SLOW, encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "skipped.py").write_text(SLOW, encoding="utf-8")
    return tmp_path


def test_version():
    result = hasten("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("hasten ")


def test_check_text_output_and_exit_code(project):
    result = hasten("check", "--select", "HS101", str(project))
    assert result.returncode == 1, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == f"{project / 'pkg' / 'slow.py'}:5:12: HS101 `names` is a list: each `in` test scans it; build a set once before the loop"
    assert "5 |         if e.user in names:" in result.stdout
    assert "^^^^^^^^^^^^^^^" in result.stdout
    assert "Found 1 finding." in result.stdout
    assert "skipped.py" not in result.stdout


def test_check_clean_exit_zero(project):
    result = hasten("check", str(project / "pkg" / "clean.py"))
    assert result.returncode == 0
    assert "All checks passed." in result.stdout


def test_check_json_schema(project):
    result = hasten("check", "--select", "HS101", "--output-format", "json", str(project / "pkg"))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert len(data) == 1
    item = data[0]
    assert set(item) >= {"code", "name", "message", "filename", "line", "column", "end_line", "end_column", "severity", "fix"}
    assert (item["code"], item["name"], item["line"], item["column"], item["end_line"], item["end_column"]) == (
        "HS101", "list-membership-in-loop", 5, 12, 5, 27,
    )
    assert item["severity"] == "warning"
    assert item["fix"]["applicability"] == "unsafe"
    assert {"content", "line", "column", "end_line", "end_column"} <= set(item["fix"]["edits"][0])


def test_missing_path_is_an_error(tmp_path):
    result = hasten("check", str(tmp_path / "nope.py"))
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr


def test_unknown_selector_is_a_usage_error(project):
    result = hasten("check", "--select", "XYZ9", str(project))
    assert result.returncode == 2
    assert "unknown rule selector 'XYZ9'" in result.stderr


def test_bad_option_is_a_usage_error():
    result = hasten("check", "--no-such-option")
    assert result.returncode == 2


def test_stdin(project):
    result = hasten("check", "--select", "HS101", "-", "--stdin-filename", "given.py", input=SLOW)
    assert result.returncode == 1
    assert result.stdout.startswith("given.py:5:12: HS101")


def test_diff_does_not_write(project):
    path = project / "pkg" / "slow.py"
    result = hasten("check", "--select", "HS101", "--unsafe-fixes", "--diff", str(path))
    assert result.returncode == 1
    assert "+    names_set = set(names)" in result.stdout
    assert "+        if e.user in names_set:  # keep this comment" in result.stdout
    assert path.read_text() == SLOW


def test_fix_writes_only_allowed_fixes(project):
    path = project / "pkg" / "slow.py"
    result = hasten("check", "--select", "HS101", "--fix", str(path))
    assert path.read_text() == SLOW, "an unsafe fix must not be applied without --unsafe-fixes"
    result = hasten("check", "--select", "HS101", "--unsafe-fixes", str(path))
    assert path.read_text() == SLOW, "--unsafe-fixes without --fix must not write"
    result = hasten("check", "--select", "HS101", "--fix", "--unsafe-fixes", str(path))
    assert result.returncode == 0, result.stdout
    assert "names_set = set(names)" in path.read_text()
    assert "Fixed 1 finding." in result.stdout
    compile(path.read_text(), str(path), "exec")


def test_rule_docs():
    result = hasten("rule", "HS101")
    assert result.returncode == 0
    assert "# list-membership-in-loop (HS101)" in result.stdout
    assert "## Why is this slow?" in result.stdout
    assert hasten("rule", "list-membership-in-loop").stdout == result.stdout
    assert hasten("rule", "NOPE1").returncode == 2


def test_rule_all_json():
    result = hasten("rule", "--all", "--output-format", "json")
    data = json.loads(result.stdout)
    assert {"code", "name", "summary", "explanation", "fix", "status", "aliases"} <= set(data[0])
    assert any(r["code"] == "HS101" for r in data)


def test_config_problem_reported_once(project):
    (project / "pyproject.toml").write_text('[tool.hasten]\nselct = ["HS1"]\n')
    result = hasten("check", str(project / "pkg"))
    assert result.stderr.count("selct") == 1
    assert "did you mean 'select'" in result.stderr


def test_syntax_error_file_reports_and_continues(project):
    bad = project / "pkg" / "broken.py"
    bad.write_text(SLOW + "\ndef broken(:\n    pass\n", encoding="utf-8")
    result = hasten("check", "--select", "HS101", str(bad))
    assert result.returncode == 1
    assert "HS101" in result.stdout
    assert "syntax error" in result.stdout
