"""HS104 quadratic-list-summation: ``sum(lists, [])`` vs a flattening comprehension."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([[i, i + 1, i + 2] for i in range(n)],)


def slow(groups):
    return sum(groups, [])


def fast(groups):
    return [item for items in groups for item in items]


BENCHES = [Bench("HS104", "sum(lists, [])", setup, slow, fast, description="flatten n lists of 3 elements")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
