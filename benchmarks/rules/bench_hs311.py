"""HS311 comprehension-copy: [x for x in items] vs list(items)."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(items):
    return [x for x in items]


def fast(items):
    return list(items)


def slow_set(items):
    return {x for x in items}


def fast_set(items):
    return set(items)


BENCHES = [
    Bench("HS311", "list comprehension vs list()", setup, slow, fast, description="copy n items"),
    Bench("HS311", "set comprehension vs set()", setup, slow_set, fast_set, description="copy n items into a set"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
