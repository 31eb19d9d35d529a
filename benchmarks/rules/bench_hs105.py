"""HS105 list-scan-method-in-loop: ``lst.index(x)`` / ``lst.count(x)`` per item vs one pass."""

from collections import Counter

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([f"item{i}" for i in range(n)],)


def slow_index(order):
    return {name: order.index(name) for name in order}


def fast_index(order):
    return {name: i for i, name in enumerate(order)}


def setup_counts(n):
    return ([i % (n // 2 or 1) for i in range(n)],)


def slow_count(items):
    return [items.count(x) for x in items]


def fast_count(items):
    counts = Counter(items)
    return [counts[x] for x in items]


BENCHES = [
    Bench("HS105", "index-per-item", setup, slow_index, fast_index,
          description="position of each of n distinct items: .index() vs enumerate()"),
    Bench("HS105", "count-per-item", setup_counts, slow_count, fast_count,
          description="count of each of n items: .count() vs one Counter"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
