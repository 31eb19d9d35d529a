import hashlib
import os
import tempfile
import textwrap
from pathlib import Path

import pytest


def tree_hash(root: Path, skip: tuple[str, ...] = (".hasten",)) -> str:
    """One hash of every path, mode and file content under root (``skip``: top-level names)."""
    digest = hashlib.sha256()
    for directory, dirs, files in os.walk(root):
        base = Path(directory)
        if base == root:
            dirs[:] = [d for d in dirs if d not in skip]
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            path = base / name
            rel = path.relative_to(root).as_posix()
            info = path.lstat()
            digest.update(f"{rel}\0{info.st_mode:o}\0".encode())
            if path.is_file() and not path.is_symlink():
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@pytest.fixture
def profile_env(tmp_path, monkeypatch):
    """Private temporary directories; fast pytest starts in the runs under test."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def make_project(root: Path, module: str, tests: str, timeout: int = 60) -> Path:
    """pkg/mod.py and tests/test_mod.py, with a pyproject.toml."""
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "mod.py").write_text(textwrap.dedent(module))
    (root / "tests").mkdir()
    (root / "tests" / "test_mod.py").write_text(textwrap.dedent(tests))
    (root / "pyproject.toml").write_text(
        f"[tool.hasten]\npreview = true\n[tool.hasten.verify]\ntimeout = {timeout}\nmemory-mb = 1024\n"
        '\n[tool.pytest.ini_options]\npythonpath = ["."]\n'
    )
    return root
