import hashlib
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def snapshot(root: Path) -> dict[str, str]:
    """Every file and directory under root, with a hash of each file's bytes and its mode."""
    out = {}
    for directory, dirs, files in os.walk(root):
        base = Path(directory)
        for d in dirs:
            out[(base / d).relative_to(root).as_posix() + "/"] = "dir"
        for f in files:
            p = base / f
            if p.is_symlink():
                out[p.relative_to(root).as_posix()] = "link:" + os.readlink(p)
            else:
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest() + f":{p.stat().st_mode:o}"
    return out


@pytest.fixture
def verify_env(tmp_path, monkeypatch):
    """Private cache and temp directories; fast pytest starts in the runs under test."""
    cache = tmp_path / "cache"
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("HASTEN_CACHE_DIR", str(cache))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


@pytest.fixture
def shop(tmp_path, verify_env):
    """A copy of examples/ to verify in."""
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return root


def make_project(root: Path, module: str, tests: str, pyproject: str = "") -> Path:
    """A tiny project: pkg/mod.py and tests/test_mod.py."""
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "mod.py").write_text(textwrap.dedent(module))
    (root / "tests").mkdir()
    (root / "tests" / "test_mod.py").write_text(textwrap.dedent(tests))
    (root / "pyproject.toml").write_text(
        "[tool.hasten]\n[tool.hasten.verify]\ntimeout = 20\nmemory-mb = 512\nrounds = 3\n" + textwrap.dedent(pyproject)
        + '\n[tool.pytest.ini_options]\npythonpath = ["."]\n'
    )
    return root
