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
    """The directory whose tests verify ``path``: the nearest directory at or above it with a project
    marker (pyproject.toml, setup.cfg, setup.py, pytest.ini, tox.ini, .git), or the directory of the
    configuration file that was read (``config_root``) when that is nearer.

    A nested project's own pyproject.toml marks its root even without a ``[tool.hasten]`` table:
    the enclosing project that has one is not copied, nor are its tests run."""
    current = Path(path).resolve()
    if current.is_file() or not current.exists():
        current = current.parent
    config = Path(config_root).resolve() if config_root else None
    for directory in (current, *current.parents):
        if directory == config or any((directory / marker).exists() for marker in PROJECT_MARKERS):
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


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def copy_project(root: Path, destination: Path) -> Path:
    """Copy the project (without VCS data, virtual environments and caches).

    Nothing in the copy leads out of it, so a test that writes through a path of the copy changes
    nothing outside: a symbolic link to something inside the project stays a link, made relative
    to the copy; a link that leaves the project is replaced by a copy of its target (a folder is
    copied with the same rules; a link loop or a dangling link is left out)."""
    root_real = os.path.realpath(root)

    def copy_dir(source: str, target: str, active: frozenset[str]) -> None:
        os.makedirs(target, exist_ok=True)
        try:
            entries = sorted(os.scandir(source), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            src, dst = entry.path, os.path.join(target, entry.name)
            if entry.is_symlink():
                real = os.path.realpath(src)
                if not os.path.exists(real):
                    continue  # dangling, or a loop
                if _inside(real, root_real):
                    inside = os.path.join(str(destination), os.path.relpath(real, root_real))
                    os.symlink(os.path.relpath(inside, target), dst)
                elif os.path.isdir(real):
                    if real in active or _skip_dir(Path(src)) or _skip_dir(Path(real)):
                        continue
                    copy_dir(real, dst, active | {real})
                elif os.path.isfile(real):
                    try:
                        shutil.copy2(real, dst)
                    except OSError:
                        continue
            elif entry.is_dir(follow_symlinks=False):
                if not _skip_dir(Path(src)):
                    copy_dir(src, dst, active | {os.path.realpath(src)})
            elif entry.is_file(follow_symlinks=False):  # not a FIFO or a device: reading one could block
                shutil.copy2(src, dst, follow_symlinks=False)
        shutil.copystat(source, target)

    destination = Path(destination)
    if destination.exists():
        raise FileExistsError(destination)
    copy_dir(str(root), str(destination), frozenset({root_real}))
    return destination


OWNER_FILE = ".hasten-owner"


def _start_time(pid: int) -> str | None:
    try:
        data = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return data[data.rindex(b")") + 2:].split()[19].decode()


def _owner_alive(owner: str) -> bool:
    pid_text, _, started = owner.partition(" ")
    try:
        pid = int(pid_text)
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    now = _start_time(pid)
    return now is None or not started or now == started  # a reused pid has another start time


def workdir_of(path: Path) -> Path | None:
    """The temporary folder made by ``new_workdir`` that holds ``path``, if any."""
    path = Path(os.path.realpath(path))
    for directory in (path, *path.parents):
        if directory.name.startswith(TEMP_PREFIX) and (directory / OWNER_FILE).is_file():
            return directory
    return None


def remove_stale_workdirs() -> int:
    """Remove the temporary folders of runs whose hasten process is gone (killed, crashed), after
    killing any test process still working in them; return how many were removed."""
    from hasten.server.verify import _launch

    removed = 0
    base = Path(tempfile.gettempdir())
    try:
        candidates = [p for p in base.iterdir() if p.name.startswith(TEMP_PREFIX)]
    except OSError:
        return 0
    for directory in candidates:
        try:
            owner = (directory / OWNER_FILE).read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            continue  # not ours, or not finished being made
        if _owner_alive(owner):
            continue
        _launch.kill_all(None, [os.path.realpath(directory)], None, _launch.ancestors())
        remove_tree(directory)
        removed += 1
    return removed


def new_workdir() -> Path:
    remove_stale_workdirs()
    path = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    (path / OWNER_FILE).write_text(f"{os.getpid()} {_start_time(os.getpid()) or ''}", encoding="ascii")
    return path


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
