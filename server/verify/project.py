"""The project around a file, its fingerprint, and isolated copies of it."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from hasten.analyzers.config import DEFAULT_EXCLUDE

PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", "tox.ini", ".git")
TEMP_PREFIX = "hasten-verify-"


def find_project_root(path: str | os.PathLike, config_root: str | None = None) -> Path:
    """The directory whose tests verify ``path``: the [tool.hasten] root, else the nearest marker."""
    if config_root:
        return Path(config_root).resolve()
    current = Path(path).resolve()
    if current.is_file() or not current.exists():
        current = current.parent
    for directory in (current, *current.parents):
        if any((directory / marker).exists() for marker in PROJECT_MARKERS):
            return directory
    return current


def _skip_dir(path: Path) -> bool:
    return path.name in DEFAULT_EXCLUDE or (path / "pyvenv.cfg").exists() or path.name.endswith(".egg-info")


def project_files(root: Path, suffix: str | None = None):
    for directory, dirs, names in os.walk(root):
        base = Path(directory)
        dirs[:] = sorted(d for d in dirs if not _skip_dir(base / d))
        for name in sorted(names):
            if suffix is None or name.endswith(suffix):
                yield base / name


CONFIG_FILES = ("pyproject.toml", "setup.cfg", "pytest.ini", "tox.ini")


def file_hashes(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every Python file under the project and its test configuration."""
    out = {}
    for path in project_files(root, ".py"):
        try:
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    for name in CONFIG_FILES:
        candidate = root / name
        if candidate.is_file():
            try:
                out[name] = hashlib.sha256(candidate.read_bytes()).hexdigest()
            except OSError:
                pass
    return out


def fingerprint(root: Path, extra: str = "") -> str:
    """A hash of every Python file (path and content) under the project, plus ``extra``."""
    digest = hashlib.sha256(extra.encode())
    for rel, sha in sorted(file_hashes(root).items()):
        digest.update(rel.encode() + b"\0" + sha.encode())
    return digest.hexdigest()


def is_test_file(rel: str) -> bool:
    """Test code or its fixtures: a change there can change which tests reach what."""
    name = rel.rsplit("/", 1)[-1]
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py" or "tests/" in rel or rel.startswith("test/") or "/test/" in rel or name in CONFIG_FILES


def copy_project(root: Path, destination: Path) -> Path:
    """Copy the project (without VCS data, virtual environments and caches); symlinks stay links."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        base = Path(directory)
        return {n for n in names if (base / n).is_dir() and not (base / n).is_symlink() and _skip_dir(base / n)}

    shutil.copytree(root, destination, symlinks=True, ignore=ignore)
    return destination


def new_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))


def remove_tree(path: Path) -> None:
    """Remove a temporary tree even when tests made parts of it read-only."""

    def onerror(function, target, _exc):
        try:
            parent = os.path.dirname(target)
            os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR | stat.S_IRUSR)
            if os.path.isdir(target) and not os.path.islink(target):
                os.chmod(target, stat.S_IRWXU)
                shutil.rmtree(target, ignore_errors=True)
            else:
                os.chmod(target, stat.S_IWUSR | stat.S_IRUSR) if not os.path.islink(target) else None
                os.unlink(target)
        except OSError:
            pass

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=onerror)
    else:
        shutil.rmtree(path, onerror=onerror)
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)


def cache_dir() -> Path:
    override = os.environ.get("HASTEN_CACHE_DIR")
    if override:
        return Path(override) / "verify"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hasten" / "verify"
