"""HS101 list-membership-in-loop: ``x in list`` in a loop vs a set built once."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    items = list(range(n))
    queries = list(range(0, 2 * n, 2))  # half hit, half miss
    return items, queries


def slow(items, queries):
    return [q for q in queries if q in items]


def fast(items, queries):
    items_set = set(items)
    return [q for q in queries if q in items_set]


BENCHES = [
    Bench("HS101", "membership", setup, slow, fast,
          description="n lookups in an n-element list vs a set built once (half hits)"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
