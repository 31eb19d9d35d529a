"""Where real code for training context and evaluation comes from: the standard library of the
running interpreter and directories of installed packages, walked in a fixed order."""

from __future__ import annotations

import logging
import os
import sysconfig
from pathlib import Path
from typing import Iterable

log = logging.getLogger("hasten.model.train")

SKIP_DIRS = {"site-packages", "__pycache__", "lib2to3", "idlelib", "tkinter", "turtledemo", "ensurepip"}


def stdlib_dir() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def corpus_files(roots: Iterable[Path], include_tests: bool = True) -> list[tuple[str, Path]]:
    """(corpus-relative name, path) of every .py file under the roots, sorted for determinism."""
    out = []
    for root in roots:
        root = Path(root)
        if not root.exists():
            log.warning("corpus directory %s does not exist; skipping it", root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(
                d for d in dirnames if d not in SKIP_DIRS and not d.endswith((".dist-info", ".egg-info"))
                and (include_tests or d not in ("test", "tests"))
            )
            for f in sorted(filenames):
                if f.endswith(".py"):
                    p = Path(dirpath) / f
                    out.append((f"{root.name}/{p.relative_to(root).as_posix()}", p))
    return out
