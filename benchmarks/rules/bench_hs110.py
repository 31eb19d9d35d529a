"""HS110 recursion-on-slice: recursing on ``xs[1:]`` vs passing an index."""

import sys

from benchmarks.rules._harness import Bench, main

sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))


def setup(n):
    return (list(range(n)),)


def slow(xs):
    if not xs:
        return 0
    return xs[0] + slow(xs[1:])


def fast(xs, start=0):
    if start == len(xs):
        return 0
    return xs[start] + fast(xs, start + 1)


BENCHES = [
    Bench("HS110", "sum-recursive", setup, slow, fast, sizes=(100, 900),
          description="recursive sum of n items: on xs[1:] vs with an index (900: below the recursion limit)"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
