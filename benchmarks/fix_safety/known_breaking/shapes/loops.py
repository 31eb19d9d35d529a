"""Loops whose comprehension rewrite would change behaviour."""

from contextlib import suppress


def zeros(graph):
    degree = {}
    for n in graph:
        degree[n] = 0
    del n
    return degree


def sample(population, k):
    reservoir = []
    feed = iter(population)
    with suppress(StopIteration):
        for _ in range(k):
            reservoir.append(next(feed))
    return reservoir


def known(rows, queries):
    table = [list(r) for r in rows]
    return [q for q in queries if q in table]


def copy_then_del(stream):
    out = []
    for x in stream:
        out.append(x)
    del x
    return out


def seen_then_del(stream):
    seen = set()
    for x in stream:
        seen.add(x)
    del x
    return seen
