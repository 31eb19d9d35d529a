"""Lines changed since a git revision, for `hasten check --diff-base REV`."""

from __future__ import annotations

import os
import re
import subprocess

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class GitError(Exception):
    pass


def _git(args: list[str], cwd: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except FileNotFoundError as exc:
        raise GitError("git is not installed") from exc
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def changed_lines(revision: str, cwd: str = ".") -> dict[str, set[int] | None]:
    """Map absolute file path -> set of changed 1-based lines (None: the whole file is new)."""
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd)
    diff = _git(["diff", "--no-color", "--no-ext-diff", "-U0", revision, "--"], top)
    changes: dict[str, set[int] | None] = {}
    current: str | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            current = None if target == "/dev/null" else os.path.normcase(os.path.join(top, target[2:] if target.startswith("b/") else target))
            if current is not None:
                changes.setdefault(current, set())
            continue
        match = _HUNK.match(line)
        if match and current is not None:
            start = int(match.group(1))
            count = int(match.group(2)) if match.group(2) is not None else 1
            lines = changes[current]
            if lines is not None:
                lines.update(range(start, start + count))
    for path in _git(["ls-files", "--others", "--exclude-standard"], top).splitlines():
        changes[os.path.normcase(os.path.join(top, path))] = None
    return changes
