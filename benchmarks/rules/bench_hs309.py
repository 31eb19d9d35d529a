"""HS309 list-comprehension-in-any-all: any([...]) vs any(generator)."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return list(range(n)), n // 2


def slow(values, limit):
    return any([v > limit for v in values])


def fast(values, limit):
    return any(v > limit for v in values)


def setup_none(n):
    return list(range(n)), n


BENCHES = [
    Bench("HS309", "first match in the middle", setup, slow, fast,
          description="any() over n comparisons, first True halfway"),
    Bench("HS309", "no match (worst case)", setup_none, slow, fast,
          description="any() over n comparisons, none True: the generator cannot stop early"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
