"""HS102 list-pop-front-in-loop: draining a list with pop(0) vs a deque with popleft()."""

import collections

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def setup_deque(n):
    return (collections.deque(range(n)),)


def slow_pop(queue):
    total = 0
    while queue:
        total += queue.pop(0)
    return total


def fast_pop(queue):
    queue = collections.deque(queue)  # the fix builds the deque where the list was built
    total = 0
    while queue:
        total += queue.popleft()
    return total


def slow_insert(items):
    out = []
    for x in items:
        out.insert(0, x)
    return out


def fast_insert(items):
    out = collections.deque()
    for x in items:
        out.appendleft(x)
    return out


BENCHES = [
    Bench("HS102", "pop(0) vs popleft()", setup, slow_pop, fast_pop, consumes_input=True,
          description="drain an n-element queue; the rewrite includes building the deque from the list"),
    Bench("HS102", "insert(0, x) vs appendleft", setup, slow_insert, fast_insert, normalise=list,
          description="prepend n items one at a time"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
