"""HS302 unnecessary-list-cast: ``for x in list(seq)`` vs ``for x in seq``."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(names):
    total = 0
    for x in list(names):
        total += x
    return total


def fast(names):
    total = 0
    for x in names:
        total += x
    return total


BENCHES = [Bench("HS302", "list(seq) in for", setup, slow, fast, description="sum an n-element list")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
