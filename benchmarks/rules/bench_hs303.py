"""HS303 incorrect-dict-iterator: ``for k, _ in d.items()`` vs ``for k in d.keys()``."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ({f"k{i}": i for i in range(n)},)


def slow(prices):
    total = 0
    for _, price in prices.items():
        total += price
    return total


def fast(prices):
    total = 0
    for price in prices.values():
        total += price
    return total


BENCHES = [Bench("HS303", "items() vs values()", setup, slow, fast, description="sum the values of an n-entry dict")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
