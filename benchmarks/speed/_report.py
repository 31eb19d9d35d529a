"""Writing benchmark results into docs: one section per benchmark, replaced in place."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def compile_hasten() -> str:
    """Byte-compile hasten's modules, as installing the package does, and say so for the report.

    With bytecode writing off (``PYTHONDONTWRITEBYTECODE``, as on shared build machines) and an
    editable install, every run would otherwise compile each module it imports again."""
    import compileall
    import importlib

    for name in ("hasten", "hasten.analyzers", "hasten.model", "hasten.server"):
        for folder in importlib.import_module(name).__path__:
            compileall.compile_dir(folder, quiet=1, maxlevels=20)
    return "hasten's modules byte-compiled before the runs, as an installed package's are"


def update_section(path: Path, heading: str, body: str) -> None:
    """Replace the section that starts with ``heading`` (up to the next '## ') or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\nEvery figure here comes from a script in benchmarks/ that anyone can re-run.\n"
    section = f"{heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
