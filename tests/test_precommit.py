"""The real pre-commit runs this repository's hooks (`pre-commit try-repo`) on a staged slow file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.finding import Applicability
from hasten.analyzers.source import Source

ROOT = Path(__file__).resolve().parent.parent

# Slow in a way a stable rule's safe fix repairs (a list copied only to be iterated, HS302), so the
# fix hook can make the check pass with default settings.
SLOW = textwrap.dedent(
    """\
    def shout_all(words):
        names = [w.strip() for w in words]
        for name in list(names):
            print(name.upper())
    """
)


def _precommit() -> list[str]:
    exe = shutil.which("pre-commit")
    if exe:
        return [exe]
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip("pre-commit is not installed: pip install -e '.[test]'")
    return [sys.executable, "-m", "pre_commit"]


@pytest.mark.slow  # pre-commit builds a fresh environment with hasten's dependencies (a few minutes)
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_try_repo_check_then_fix(tmp_path):
    findings = check(Source(SLOW), Config()).findings
    assert any(f.fix and f.fix.applicability is Applicability.SAFE for f in findings), "the sample needs a safe fix"
    precommit = _precommit()
    repo = tmp_path / "user-repo"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(Path(os.environ.get("HASTEN_PRE_COMMIT_HOME", tmp_path / "pc-home")))}
    env.pop("CI", None)

    def run(*args, cwd=repo, check_rc=None):
        result = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, env=env, timeout=900)
        if check_rc is not None:
            assert result.returncode == check_rc, result.stdout + result.stderr
        return result

    run("git", "init", "-q", check_rc=0)
    (repo / "slow.py").write_text(SLOW)
    run("git", "add", "slow.py", check_rc=0)

    checked = run(*precommit, "try-repo", str(ROOT), "hasten", "--files", "slow.py")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "slow.py:" in checked.stdout and "HS" in checked.stdout

    fixed = run(*precommit, "try-repo", str(ROOT), "hasten-fix", "--files", "slow.py")
    assert fixed.returncode == 1, "pre-commit fails a hook that modified files: " + fixed.stdout
    assert (repo / "slow.py").read_text() != SLOW
    compile((repo / "slow.py").read_text(), "slow.py", "exec")

    run("git", "add", "slow.py", check_rc=0)
    again = run(*precommit, "try-repo", str(ROOT), "hasten", "--files", "slow.py")
    assert again.returncode == 0, again.stdout + again.stderr
