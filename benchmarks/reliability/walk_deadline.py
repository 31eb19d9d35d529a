"""What the time budget inside rules costs: in-process ``check()`` of a fixed sample of the
standard library, with this checkout's code and with a git revision's, alternated in one run.

    python -m benchmarks.reliability.walk_deadline REV [--files 150] [--rounds 8]

REV is a revision before the change (the walks in ``analyzers/syntax/tree.py`` looking at the
clock). Each round times both, CPU time of the checking only, in fresh processes; prints each
round and the median ratio after/before. All rules run, preview included, with no budget (the
walks still count their nodes). Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sample(count: int) -> list[Path]:
    base = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in base.rglob("*.py") if "site-packages" not in p.parts and "test" not in p.parts)
    random.Random(7).shuffle(files)
    return files[:count]


def time_checks(count: int) -> float:
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source

    sources = []
    for path in sample(count):
        try:
            sources.append(Source(path.read_text(encoding="utf-8"), str(path)))
        except (OSError, UnicodeDecodeError):
            continue
    config = Config(preview=True)
    for source in sources[:10]:  # imports and caches
        check(source, config)
    started = time.process_time()
    for source in sources:
        check(source, config)
    return time.process_time() - started


def package_at(revision: str, folder: Path) -> Path:
    """A ``hasten`` package made of ``revision``'s folders, importable from the returned path."""
    source = folder / "src"
    source.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    package = folder / "pkg" / "hasten"
    package.mkdir(parents=True)
    for name in ("__init__.py", "__main__.py"):
        (package / name).write_bytes((source / "hasten" / name).read_bytes())
    for name in ("analyzers", "server", "model"):
        (package / name).symlink_to(source / name)
    return folder / "pkg"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?")
    parser.add_argument("--files", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--time-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_only:
        print(time_checks(args.files))
        return
    if not args.revision:
        parser.error("name the revision to compare with")
    command = [sys.executable, "-m", "benchmarks.reliability.walk_deadline", "--time-only", "--files", str(args.files)]
    with tempfile.TemporaryDirectory() as tmp:
        before_path = package_at(args.revision, Path(tmp))
        ratios = []
        for round_ in range(args.rounds):
            env = dict(os.environ, PYTHONPATH=f"{before_path}{os.pathsep}{ROOT}")
            before = float(subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout)
            after = float(subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout)
            ratios.append(after / before)
            print(f"round {round_ + 1}: before {before:.2f} s, after {after:.2f} s, ratio {after / before:.3f}")
    print(f"median ratio after/before: {statistics.median(ratios):.3f} over {args.rounds} rounds of {args.files} files")


if __name__ == "__main__":
    main()
