"""HS112 invariant-conversion-in-loop: ``x in set(data)`` per iteration vs a set built once."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    words = [f"w{i}" for i in range(n)]
    queries = [f"w{i}" for i in range(0, 2 * n, 2)]
    return words, queries


def slow(words, queries):
    return [q for q in queries if q in set(words)]


def fast(words, queries):
    words_set = set(words)
    return [q for q in queries if q in words_set]


def slow_iter(words, queries):
    total = 0
    for q in queries[:10]:
        for w in list(words):
            total += w == q
    return total


def fast_iter(words, queries):
    total = 0
    words_list = list(words)
    for q in queries[:10]:
        for w in words_list:
            total += w == q
    return total


BENCHES = [
    Bench("HS112", "membership", setup, slow, fast, description="n tests against set(words) rebuilt per test vs built once"),
    Bench("HS112", "iterate-copy", setup, slow_iter, fast_iter, description="10 passes over list(words) copied per pass vs once"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
