"""HS113 dict-keys-membership: ``k in d.keys()`` vs ``k in d``."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    table = {i: str(i) for i in range(n)}
    return table, list(range(0, 2 * n, 2))


def slow(table, ids):
    return [i for i in ids if i in table.keys()]


def fast(table, ids):
    return [i for i in ids if i in table]


BENCHES = [Bench("HS113", "membership", setup, slow, fast, description="n tests against an n-key dict: in d.keys() vs in d")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
