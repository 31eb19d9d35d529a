"""HS114 list-copy-for-first-element: ``list(d)[0]`` vs ``next(iter(d))``."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ({f"k{i}": i for i in range(n)},)


def slow(table):
    return list(table.keys())[0]


def fast(table):
    return next(iter(table))


BENCHES = [Bench("HS114", "first-key", setup, slow, fast, description="first key of an n-key dict: list(d.keys())[0] vs next(iter(d))")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
