"""HS116 resort-in-loop: ``append`` + ``sort()`` per item vs ``bisect.insort``."""

import bisect
import random

from benchmarks.rules._harness import Bench, main


def setup(n):
    rng = random.Random(n)
    return ([rng.random() for _ in range(n)],)


def slow(values):
    seen = []
    out = []
    for v in values:
        seen.append(v)
        seen.sort()
        out.append(seen[len(seen) // 2])
    return out


def fast(values):
    seen = []
    out = []
    for v in values:
        bisect.insort(seen, v)
        out.append(seen[len(seen) // 2])
    return out


BENCHES = [Bench("HS116", "running-median", setup, slow, fast, description="running median of n random numbers: append+sort vs bisect.insort")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
