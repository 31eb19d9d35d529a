"""Run every rule benchmark: ``python -m benchmarks.rules [HS101 HS102 ...] [--sizes 100,1000]``."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from benchmarks.rules._harness import DEFAULT_REPEAT, run

HERE = Path(__file__).resolve().parent


def bench_modules(codes: list[str] | None = None) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_hs*.py"))
    if codes:
        wanted = {c.lower() for c in codes}
        names = [n for n in names if n.removeprefix("bench_") in wanted]
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rules", description="Run the rule microbenchmarks")
    parser.add_argument("codes", nargs="*", help="rule codes to run (default: all)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None)
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    failed = []
    for name in bench_modules(args.codes):
        module = importlib.import_module(f"benchmarks.rules.{name}")
        try:
            run(module.BENCHES, args.sizes, args.repeat, write=not args.no_write)
        except Exception as exc:  # keep going: one broken bench should not hide the others
            failed.append(name)
            print(f"{name}: failed: {exc!r}", file=sys.stderr)
        print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
