"""HS205 global-lookup-in-loop: a global read three times per inner iteration vs a local alias."""

from benchmarks.rules._harness import Bench, main

SCALE = 3


def setup(n):
    side = max(1, int(n ** 0.5))
    return ([list(range(side)) for _ in range(side)],)


def slow(grid):
    total = 0
    for row in grid:
        for v in row:
            total += v * SCALE + SCALE - SCALE // 2
    return total


def fast(grid):
    scale = SCALE
    total = 0
    for row in grid:
        for v in row:
            total += v * scale + scale - scale // 2
    return total


BENCHES = [
    Bench("HS205", "nested-loop", setup, slow, fast, sizes=(1_000, 10_000),
          description="sqrt(n) x sqrt(n) grid reading a global three times per cell vs a local"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
