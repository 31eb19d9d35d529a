"""HS201 loop-invariant-expression: invariant arithmetic recomputed per iteration vs hoisted."""

import math

from benchmarks.rules._harness import Bench, main


def setup(n):
    return [float(i) for i in range(n)], 3.0, 4.0


def slow(xs, a, b):
    return [x * math.sqrt(a * a + b * b) for x in xs]


def fast(xs, a, b):
    norm = math.sqrt(a * a + b * b)
    return [x * norm for x in xs]


def setup_ints(n):
    return list(range(n)), 3, 5, 7


def slow_ints(xs, w, h, d):
    return [x + w * h * d for x in xs]


def fast_ints(xs, w, h, d):
    volume = w * h * d
    return [x + volume for x in xs]


BENCHES = [
    Bench("HS201", "math-expression", setup, slow, fast, description="x * sqrt(a*a + b*b) per item vs the norm hoisted"),
    Bench("HS201", "int-product", setup_ints, slow_ints, fast_ints, description="x + w*h*d on small ints per item vs hoisted"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
