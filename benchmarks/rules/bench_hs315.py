"""HS315 bin-count-ones: bin(v).count("1") vs v.bit_count()."""

import random

from benchmarks.rules._harness import Bench, main


def setup(n):
    rng = random.Random(0)
    return ([rng.randrange(2**20) for _ in range(n)],)


def slow(values):
    return [bin(v).count("1") for v in values]


def fast(values):
    return [v.bit_count() for v in values]


def slow_key(values):
    return sorted(values, key=lambda v: bin(v)[2:].count("1"))


def fast_key(values):
    return sorted(values, key=lambda v: v.bit_count())


def setup_big(n):
    return (random.Random(0).getrandbits(10 * n),)


def slow_big(value):
    return bin(value).count("1")


def fast_big(value):
    return value.bit_count()


BENCHES = [
    Bench("HS315", "ints below 2**20", setup, slow, fast, description="n ints, each counted"),
    Bench("HS315", "sort key", setup, slow_key, fast_key, description="n ints sorted by their set bits"),
    Bench("HS315", "one large int", setup_big, slow_big, fast_big, description="one int of 10·n bits"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
