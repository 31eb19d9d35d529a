import hashlib
import os
import tempfile
import textwrap
from pathlib import Path

import json

import pytest

from hasten.server.profile.store import FileProfile, Profile, content_hash, save


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


MEASURED = """\
def scan(items, wanted):
    pool = list(items)
    found = 0
    for w in wanted:
        if w in pool:
            found += 1
    return found


def dedupe(items):
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
"""


def measured_project(tmp_path, *, profiled=True, select="HS101,HS115"):
    """mod.py with two flagged loops and, unless ``profiled`` is false, a stored profile that
    measures dedupe's loop (lines 12-14) at 40% of the run and scan's (lines 4-6) at 0.8%."""
    (tmp_path / "pyproject.toml").write_text(f'[tool.hasten]\npreview = true\nselect = {json.dumps(select.split(","))}\n')
    path = tmp_path / "mod.py"
    path.write_text(MEASURED)
    if profiled:
        # dedupe's loop (lines 12-14) took 40% of the run, scan's (lines 4-6) 0.8%.
        entry = FileProfile(
            "mod.py", content_hash(MEASURED.encode()),
            lines={4: [0.04, 4], 5: [0.04, 4], 12: [4.0, 400]},
            functions={"dedupe:10": {"qualname": "dedupe", "line": 10, "inclusive": [4.0, 400], "own": [4.0, 400], "calls": 3}},
            sizes={13: {"out": {"type": "list", "max": 12000, "min": 0, "mean": 6000, "samples": 10}}},
        )
        save(Profile(root=tmp_path, files={"mod.py": entry}, cpu_seconds=10.0, samples=1000, wall_seconds=12.0, command=["pytest"]))
    return tmp_path


PLANTED = Path(__file__).resolve().parents[2] / "benchmarks" / "profile" / "planted"


def planted_project(tmp_path, *, settings: str = "", profiled: bool = True) -> Path:
    """A copy of the profile benchmark's planted project with hasten's default selection (its own
    pyproject turns preview rules on) plus ``settings`` in ``[tool.hasten]``, and, unless
    ``profiled`` is false, a stored profile with the figures of a real run: the membership loop
    at 19% (`references`: 10,000 items), the pop(0) loop at 16% (`queue`: 99,984), the set
    rebuilt per pass at 5.4% (`blocked`: 200 items only), the sort at 3% (`amounts`: 400,000);
    the literal membership test took no time."""
    import shutil

    root = tmp_path / "planted"
    shutil.copytree(PLANTED, root, ignore=shutil.ignore_patterns(".hasten", "__pycache__"))
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("preview = true\n", settings and settings + "\n"))
    if profiled:
        books = (root / "ledger" / "books.py").read_bytes()
        size = lambda kind, n: {"type": kind, "max": n, "min": n, "mean": float(n), "samples": 10}  # noqa: E731
        entry = FileProfile(
            "ledger/books.py", content_hash(books),
            lines={10: [0.74, 186], 19: [0.59, 147], 27: [0.20, 49], 34: [0.11, 1]},
            functions={
                "unmatched:4": {"qualname": "unmatched", "line": 4, "inclusive": [0.74, 186], "own": [0.74, 186], "calls": 1},
                "settle:14": {"qualname": "settle", "line": 14, "inclusive": [0.59, 147], "own": [0.59, 147], "calls": 1},
                "blocked_entries:23": {"qualname": "blocked_entries", "line": 23, "inclusive": [0.21, 52], "own": [0.21, 52], "calls": 1},
                "smallest:32": {"qualname": "smallest", "line": 32, "inclusive": [0.11, 1], "own": [0.11, 1], "calls": 1},
            },
            sizes={
                10: {"references": size("list", 10_000), "payment": size("dict", 1)},
                19: {"queue": size("list", 99_984)},
                27: {"blocked": size("list", 200)},
                34: {"amounts": size("list", 400_000)},
            },
        )
        save(Profile(root=root, files={"ledger/books.py": entry}, cpu_seconds=3.79, samples=737, wall_seconds=4.3, command=["pytest"]))
    return root
