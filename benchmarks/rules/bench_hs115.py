"""HS115 dedupe-with-list: ``if x not in seen: seen.append(x)`` vs a set alongside."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([i % (n // 2 or 1) for i in range(n)] + list(range(n)),)


def slow(items):
    seen = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return seen


def fast(items):
    seen = []
    seen_set = set(seen)
    for x in items:
        if x not in seen_set:
            seen.append(x)
            seen_set.add(x)
    return seen


BENCHES = [Bench("HS115", "dedupe", setup, slow, fast, description="dedupe 2n items (n distinct): list membership vs a set alongside")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
