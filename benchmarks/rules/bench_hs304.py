"""HS304 sorted-for-min-max: ``sorted(x)[0]`` vs ``min(x)``."""

import random

from benchmarks.rules._harness import Bench, main


def setup(n):
    rng = random.Random(n)
    return ([rng.random() for _ in range(n)],)


def slow(values):
    return sorted(values)[0]


def fast(values):
    return min(values)


def slow_key(values):
    return sorted(values, key=abs)[-1]


def fast_key(values):
    return max(values, key=abs)


BENCHES = [
    Bench("HS304", "sorted()[0] vs min()", setup, slow, fast, description="smallest of n random floats"),
    Bench("HS304", "sorted(key)[-1] vs max(key)", setup, slow_key, fast_key, description="with a key function"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
