"""Finding the Python files a command should look at."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from hasten.analyzers.config import DEFAULT_EXCLUDE


def _excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    name = path.name
    posix = path.as_posix()
    for pattern in patterns:
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix, f"*/{pattern}"):
            return True
    return False


def python_files(paths: list[str], exclude: tuple[str, ...] = ()) -> tuple[list[Path], list[str]]:
    """Expand files and directories into .py files (sorted); return (files, errors).

    Directories skip version-control folders, virtual environments, caches, node_modules and the
    ``exclude`` patterns. A file named explicitly is always checked, whatever its suffix.
    """
    files: list[Path] = []
    errors: list[str] = []
    patterns = tuple(DEFAULT_EXCLUDE) + tuple(exclude)
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            for root, dirs, names in os.walk(path):
                root_path = Path(root)
                dirs[:] = sorted(
                    d for d in dirs
                    if not _excluded(root_path / d, patterns) and not (root_path / d / "pyvenv.cfg").exists()
                )
                for name in sorted(names):
                    if name.endswith(".py") and not _excluded(root_path / name, tuple(exclude)):
                        files.append(root_path / name)
        else:
            errors.append(f"hasten: {raw}: no such file or directory")
    seen = set()
    unique = []
    for f in files:
        key = os.path.normcase(os.path.abspath(f))
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


def read_source_file(path: Path) -> str:
    """Read a Python file as text in its declared encoding (PEP 263; UTF-8 by default, BOM
    stripped). Undecodable bytes raise UnicodeDecodeError; an unknown codec raises LookupError."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        encoding = _declared_encoding(data)
        if encoding is None:
            raise
        return data.decode(encoding)


def _declared_encoding(data: bytes) -> str | None:
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return None
    return None if encoding in ("utf-8", "utf-8-sig") else encoding


def is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return True


def read_python_files(files: list[Path], errors: list[str], *, note: str = "; skipped"):
    """Yield (path, text) for each file that can be read; add an error for each other one."""
    for path in files:
        try:
            yield path, read_source_file(path)
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"hasten: {path}: cannot read the file ({exc}){note}")
