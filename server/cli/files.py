"""Finding the Python files a command should look at."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import tempfile
from pathlib import Path

from hasten.analyzers.config import DEFAULT_EXCLUDE
from hasten.analyzers.source import decode_source, encode_like, source_encoding


def _matcher(patterns: tuple[str, ...]):
    """One compiled test for ``patterns``, as ``fnmatch`` would apply each of them to a path's
    name, to its whole POSIX spelling, or to its end (``*/pattern``); None when there are none."""
    if not patterns:
        return None
    parts = []
    for pattern in patterns:
        pattern = os.path.normcase(pattern)
        parts += [fnmatch.translate(pattern), fnmatch.translate(f"*/{pattern}")]
    regex = re.compile("|".join(parts))
    normcase = os.path.normcase

    def excluded(name: str, posix: str) -> bool:
        return regex.match(normcase(name)) is not None or regex.match(normcase(posix)) is not None

    return excluded


def _child(base: str, name: str) -> str:
    """``(Path(base) / name).as_posix()`` for a normalized POSIX ``base``, without pathlib."""
    if base == ".":
        return name
    return base + name if base.endswith("/") else f"{base}/{name}"


def python_files(paths: list[str], exclude: tuple[str, ...] = ()) -> tuple[list[Path], list[str]]:
    """Expand files and directories into .py files (sorted); return (files, errors).

    Directories skip version-control folders, virtual environments, caches, node_modules and the
    ``exclude`` patterns. A file named explicitly is always checked, whatever its suffix.
    """
    files: list[Path] = []
    errors: list[str] = []
    skip_dir = _matcher(tuple(DEFAULT_EXCLUDE) + tuple(exclude))
    skip_file = _matcher(tuple(exclude))
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            # Paths are built as strings: a Path per directory entry cost more than the walk.
            # Each walked directory's POSIX spelling, as ``Path(root).as_posix()`` gives it.
            spelled = {str(path): path.as_posix()}
            for root, dirs, names in os.walk(path):
                base = spelled.pop(root)
                kept = []
                for d in sorted(dirs):
                    child = _child(base, d)
                    if skip_dir(d, child) or os.path.exists(os.path.join(root, d, "pyvenv.cfg")):
                        continue
                    kept.append(d)
                    spelled[os.path.join(root, d)] = child
                dirs[:] = kept
                for name in sorted(names):
                    if name.endswith(".py"):
                        child = _child(base, name)
                        if skip_file is None or not skip_file(name, child):
                            files.append(Path(child))
        elif os.path.islink(raw):
            errors.append(f"hasten: {raw}: a symbolic link that leads nowhere (a loop, or its target is missing)")
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
    """Read a Python file as text in its own encoding (a UTF-8 BOM, else the PEP 263 coding, else
    UTF-8; the BOM is not part of the text). Undecodable bytes raise UnicodeDecodeError; an unknown
    codec raises LookupError."""
    return decode_source(path.read_bytes())


def read_stdin_source() -> str:
    """Standard input as Python source, decoded as a file would be (BOM, PEP 263 coding, UTF-8);
    undecodable input raises UnreadableInput with a message, never a traceback."""
    import sys

    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8", "surrogateescape")
    try:
        return decode_source(data)
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"standard input: cannot decode it ({exc.encoding}: {exc.reason} at byte {exc.start})") from None
    except LookupError as exc:
        raise UnreadableInput(f"standard input: {exc}") from None


class UnreadableInput(Exception):
    """Input that cannot be read as Python source; the message names it."""


class WriteRefused(Exception):
    """A user's file was left as it is; the message says why (for ``hasten: PATH: ...``)."""


def write_user_file(path: str | os.PathLike, old_text: str, new_text: str, *, roots: list[str] | None = None) -> None:
    """Replace the text of the user's file ``path``, read as ``old_text``, with ``new_text``.

    The one writer of user files (``--fix``, ``--verified-only``, ``--add-noqa``). It refuses
    (WriteRefused, the file untouched) when the file changed since it was read, is read-only, when the new text
    cannot be written in the file's own encoding (its PEP 263 coding, its BOM), and when ``path``
    is a symbolic link to a file outside every one of ``roots`` (the files and directories the
    user named). Otherwise it writes a temporary file in the same directory and renames it over
    the original, with the original's mode (and owner, where permitted): a failed write leaves the
    original as it was.
    """
    path = Path(path)
    real = Path(os.path.realpath(path))
    if roots is not None and real != Path(os.path.abspath(path)) and not any(_inside(real, root) for root in roots):
        raise WriteRefused(f"is a link to {real}, outside {', '.join(roots)}; fixes not written (run on the target itself to fix it)")
    try:
        current = real.read_bytes()
        writable = os.access(real, os.W_OK) and bool(real.stat().st_mode & 0o222)
    except OSError as exc:
        raise WriteRefused(f"cannot read the file again before writing ({exc.strerror or exc}); fixes not written") from None
    try:
        unchanged = decode_source(current) == old_text
    except (UnicodeDecodeError, LookupError):
        unchanged = False
    if not unchanged:
        raise WriteRefused("changed since it was read; fixes not written (run again)")
    if not writable:  # a rename would replace it anyway: keep "read-only" meaning read-only
        raise WriteRefused("is read-only; fixes not written")
    try:
        data = encode_like(new_text, current)
    except UnicodeEncodeError as exc:
        raise WriteRefused(
            f"fixes not written: the fixed text has {exc.object[exc.start:exc.end]!r}, which the file's encoding "
            f"({source_encoding(current)}) cannot hold"
        ) from None
    try:
        replace_file(real, data)
    except OSError as exc:
        raise WriteRefused(f"cannot write the fixes ({exc.strerror or exc}); the file is unchanged") from None


def _inside(real: Path, root: str) -> bool:
    top = Path(os.path.realpath(root))
    return real == top or top in real.parents


def replace_file(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` (not a link) with ``data``: write a temporary file next to it,
    flush it to disk, give it the original's mode and owner, and rename it over the original."""
    info = os.stat(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".hasten-tmp", dir=path.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(tmp, info.st_uid, info.st_gid)
            except OSError:
                pass  # another user's file in a directory we may write: it becomes ours, as an editor's save would
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_python_files(files: list[Path], errors: list[str], *, note: str = "; skipped"):
    """Yield (path, text) for each file that can be read; add an error for each other one."""
    for path in files:
        try:
            yield path, read_source_file(path)
        except (OSError, UnicodeDecodeError, LookupError) as exc:
            errors.append(f"hasten: {path}: cannot read the file ({exc}){note}")
