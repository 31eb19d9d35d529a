"""HS313 any-equality-scan: any(x == v for x in items) vs v in items."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return list(range(n)), n // 2


def slow(items, value):
    return any(x == value for x in items)


def fast(items, value):
    return value in items


def setup_words(n):
    return [f"w{i}" for i in range(n)], "absent"


BENCHES = [
    Bench("HS313", "value in the middle", setup, slow, fast, description="n integers, found halfway"),
    Bench("HS313", "strings, value absent", setup_words, slow, fast, description="n strings, full scan"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
