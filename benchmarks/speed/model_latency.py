"""The model's per-function latency: each function of a few standard-library files scored alone
(no cache, batch of one unit), in this process.

    python -m benchmarks.speed.model_latency [--rounds 3]

Prints the median and p95 per file, and for all functions together; the MODEL_CARD's latency line
quotes the p95. A function longer than one window is scored as several windows, which is most of
the tail.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import sysconfig
import time
from pathlib import Path

FILES = ("_pydecimal.py", "typing.py", "argparse.py")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from hasten.analyzers.source import Source
    from hasten.model.features import function_units
    from hasten.model.loader import load_scorer

    scorer = load_scorer()
    if scorer is None:
        print("the model is not available", file=sys.stderr)
        return 2
    lib = Path(sysconfig.get_paths()["stdlib"])
    every: list[float] = []
    for name in FILES:
        units = function_units(Source((lib / name).read_text(), str(lib / name)))
        times = []
        for unit in units:
            best = float("inf")
            for _ in range(args.rounds):
                scorer.clear_cache()
                start = time.perf_counter()
                scorer.score_units([unit])
                best = min(best, time.perf_counter() - start)
            times.append(best * 1000)
        every += times
        print(f"{name}: {len(times)} functions, median {statistics.median(times):.2f} ms, p95 {percentile(times, 0.95):.2f} ms")
    print(f"all: {len(every)} functions, median {statistics.median(every):.2f} ms, p95 {percentile(every, 0.95):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
