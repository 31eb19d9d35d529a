"""Measure a rule's slow form against its rewrite, at several input sizes.

A bench module (``benchmarks/rules/bench_hsNNN.py``) declares one or more :class:`Bench` cases
and ends with ``if __name__ == "__main__": main(BENCHES)``. Each case gives:

* ``setup(n)``: builds the input for size ``n`` and returns the tuple of arguments;
* ``slow(*args)`` and ``fast(*args)``: the flagged form and the rewrite, as plain functions.

Before timing, the harness checks that both forms return equal results on the input, so a
benchmark can never compare two different computations. Timing uses :mod:`timeit`'s clock:
calls per round are calibrated to ~2 ms, short rounds of the slow and the fast form alternate
(``repeat`` x 10 each), each form's best round is kept, and the per-call time is reported in
seconds. Alternating short rounds and keeping the minimum makes ratios stable on a busy machine.

Results are printed as a table and written to ``benchmarks/results/rules/HSNNN.json``::

    {"code": "HS101", "python": "3.11.7", "implementation": "CPython",
     "cases": [{"name": "...", "description": "...",
                "sizes": [{"n": 100, "slow_s": 1.2e-4, "fast_s": 3e-6, "ratio": 40.0}, ...]}],
     "headline": {"case": "...", "n": 1000, "ratio": 210.0}}

``headline`` is the first case at its largest size; docs/rules.md quotes it.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import timeit
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

RESULTS_DIR = Path(__file__).resolve().parent.parent / "results" / "rules"
DEFAULT_SIZES = (100, 1_000)
DEFAULT_REPEAT = 5
ROUNDS_PER_REPEAT = 10
ROUND_SECONDS = 0.002


@dataclass
class Bench:
    code: str  # the rule code, e.g. "HS101"
    name: str  # a short case name, e.g. "membership"
    setup: Callable[[int], tuple]
    slow: Callable[..., Any]
    fast: Callable[..., Any]
    description: str = ""
    sizes: Sequence[int] = DEFAULT_SIZES
    # Compare results before timing; set False only when results are not comparable (e.g. deques).
    check: bool = True
    # Normalise a result before comparing (e.g. ``list`` for a deque).
    normalise: Callable[[Any], Any] = field(default=lambda value: value)
    # True when a form changes its input (pops a queue): each call then gets a fresh input,
    # built outside the timed region.
    consumes_input: bool = False


@dataclass
class Timing:
    n: int
    slow_s: float
    fast_s: float

    @property
    def ratio(self) -> float:
        return self.slow_s / self.fast_s if self.fast_s > 0 else float("inf")

    def to_json(self) -> dict:
        return {"n": self.n, "slow_s": self.slow_s, "fast_s": self.fast_s, "ratio": round(self.ratio, 2)}


def python_version() -> str:
    return platform.python_version()


def _calibrate(func: Callable[[], Any]) -> int:
    """Calls per round so that one round takes about ``ROUND_SECONDS``."""
    number = 1
    while True:
        start = timeit.default_timer()
        for _ in range(number):
            func()
        elapsed = timeit.default_timer() - start
        if elapsed >= ROUND_SECONDS or number >= 1_000_000:
            return number
        number = max(number * 2, int(number * ROUND_SECONDS / max(elapsed, 1e-9)))


def _round(func: Callable[[], Any], number: int) -> float:
    start = timeit.default_timer()
    for _ in range(number):
        func()
    return (timeit.default_timer() - start) / number


def measure(bench: Bench, sizes: Sequence[int] | None = None, repeat: int = DEFAULT_REPEAT) -> list[Timing]:
    """Per size: check both forms agree, then alternate short timed rounds of the slow and the
    fast form (``repeat`` x ``ROUNDS_PER_REPEAT`` each) and keep each form's best. Alternating
    and taking the minimum makes the ratio robust on a busy, shared machine."""
    timings = []
    for n in sizes or bench.sizes:
        if bench.check:
            slow_result = bench.normalise(bench.slow(*bench.setup(n)))
            fast_result = bench.normalise(bench.fast(*bench.setup(n)))
            if slow_result != fast_result:
                raise AssertionError(f"{bench.code} {bench.name}: slow and fast forms disagree at n={n}")
        if bench.consumes_input:
            slow_s = fast_s = float("inf")
            for _ in range(repeat * ROUNDS_PER_REPEAT):
                slow_s = min(slow_s, _fresh_round(bench, bench.slow, n))
                fast_s = min(fast_s, _fresh_round(bench, bench.fast, n))
        else:
            slow_args, fast_args = bench.setup(n), bench.setup(n)
            slow_call = lambda: bench.slow(*slow_args)  # noqa: E731
            fast_call = lambda: bench.fast(*fast_args)  # noqa: E731
            slow_number, fast_number = _calibrate(slow_call), _calibrate(fast_call)
            gc.collect()
            slow_s = fast_s = float("inf")
            for _ in range(repeat * ROUNDS_PER_REPEAT):
                slow_s = min(slow_s, _round(slow_call, slow_number))
                fast_s = min(fast_s, _round(fast_call, fast_number))
        timings.append(Timing(n, slow_s, fast_s))
    return timings


def _fresh_round(bench: Bench, func: Callable[..., Any], n: int, pool_size: int = 20) -> float:
    """Per-call time of ``func`` when every call needs a fresh input (built before timing)."""
    pool = [bench.setup(n) for _ in range(pool_size)]
    start = timeit.default_timer()
    for args in pool:
        func(*args)
    return (timeit.default_timer() - start) / pool_size


def format_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} µs"


def format_table(code: str, results: list[tuple[Bench, list[Timing]]]) -> str:
    lines = [f"{code} (Python {python_version()})", f"{'case':<28} {'n':>7} {'slow':>12} {'fast':>12} {'ratio':>9}"]
    for bench, timings in results:
        for t in timings:
            lines.append(
                f"{bench.name:<28} {t.n:>7,} {format_seconds(t.slow_s):>12} {format_seconds(t.fast_s):>12} {t.ratio:>8.1f}x"
            )
    return "\n".join(lines)


def to_json(code: str, results: list[tuple[Bench, list[Timing]]]) -> dict:
    cases = [
        {"name": b.name, "description": b.description, "sizes": [t.to_json() for t in timings]}
        for b, timings in results
    ]
    first_bench, first_timings = results[0]
    top = max(first_timings, key=lambda t: t.n)
    return {
        "code": code,
        "python": python_version(),
        "implementation": platform.python_implementation(),
        "cases": cases,
        "headline": {"case": first_bench.name, "n": top.n, "ratio": round(top.ratio, 1)},
    }


def run(benches: Sequence[Bench], sizes: Sequence[int] | None = None, repeat: int = DEFAULT_REPEAT,
        write: bool = True, out_dir: Path = RESULTS_DIR) -> dict:
    """Measure every case, print the table, write the JSON; returns the JSON data."""
    codes = {b.code for b in benches}
    if len(codes) != 1:
        raise ValueError(f"one bench module measures one rule, got {sorted(codes)}")
    code = codes.pop()
    results = [(b, measure(b, sizes, repeat)) for b in benches]
    print(format_table(code, results))
    data = to_json(code, results)
    if write:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"{code}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


def main(benches: Sequence[Bench], argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Benchmark {benches[0].code}: slow form vs rewrite")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None,
                        help="comma-separated input sizes (default: each case's own, usually 100,1000)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update results/")
    args = parser.parse_args(argv)
    run(benches, args.sizes, args.repeat, write=not args.no_write)
    return 0


def load_result(code: str, results_dir: Path = RESULTS_DIR) -> dict | None:
    path = results_dir / f"{code}.json"
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run a bench module (python -m benchmarks.rules.bench_hs101) or python -m benchmarks.rules")
