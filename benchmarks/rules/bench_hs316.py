"""HS316 manual-sum-loop: a loop adding items to a counter vs sum()."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(items):
    total = 0
    for item in items:
        total += item
    return total


def fast(items):
    total = sum(items)
    return total


def setup_words(n):
    return ([f"w{i % 97}" * (i % 7 + 1) for i in range(n)],)


def slow_len(words):
    total = 0
    for word in words:
        total += len(word)
    return total


def fast_len(words):
    total = sum(map(len, words))
    return total


BENCHES = [
    Bench("HS316", "ints", setup, slow, fast, description="n ints added up"),
    Bench("HS316", "lengths", setup_words, slow_len, fast_len, description="the lengths of n strings added up"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
