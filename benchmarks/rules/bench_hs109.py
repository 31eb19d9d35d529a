"""HS109 list-delete-front-in-loop: ``del lst[0]`` / ``lst = lst[1:]`` vs ``deque.popleft()``."""

from collections import deque

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow_del(items):
    pending = list(items)
    total = 0
    while pending:
        total += pending[0]
        del pending[0]
    return total


def fast_deque(items):
    pending = deque(items)
    total = 0
    while pending:
        total += pending.popleft()
    return total


def slow_reslice(items):
    rest = list(items)
    total = 0
    while rest:
        total += rest[0]
        rest = rest[1:]
    return total


BENCHES = [
    Bench("HS109", "del-front", setup, slow_del, fast_deque, description="drain n items: del lst[0] vs deque.popleft()"),
    Bench("HS109", "reslice", setup, slow_reslice, fast_deque, description="drain n items: lst = lst[1:] vs deque.popleft()"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
