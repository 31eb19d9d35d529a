"""HS111 uncached-overlapping-recursion: naive ``fib(n)`` vs ``functools.cache`` (fresh cache per run)."""

import functools

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (n,)


def slow(n):
    def fib(k):
        return k if k < 2 else fib(k - 1) + fib(k - 2)

    return fib(n)


def fast(n):
    @functools.cache
    def fib(k):
        return k if k < 2 else fib(k - 1) + fib(k - 2)

    return fib(n)


BENCHES = [
    Bench("HS111", "fib", setup, slow, fast, sizes=(15, 20), description="fib(n): naive recursion vs functools.cache, new cache per call"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
