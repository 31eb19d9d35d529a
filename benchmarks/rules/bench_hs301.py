"""HS301 manual-list-comprehension: a loop that appends vs a comprehension / extend."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(numbers):
    result = []
    for n in numbers:
        result.append(n * n)
    return result


def fast(numbers):
    result = [n * n for n in numbers]
    return result


def slow_filter(numbers):
    result = []
    for n in numbers:
        if n % 2:
            result.append(n * n)
    return result


def fast_filter(numbers):
    result = [n * n for n in numbers if n % 2]
    return result


def slow_extend(numbers):
    result = [0]
    for n in numbers:
        result.append(n + 1)
    return result


def fast_extend(numbers):
    result = [0]
    result.extend([n + 1 for n in numbers])
    return result


BENCHES = [
    Bench("HS301", "append loop vs comprehension", setup, slow, fast, description="map n numbers"),
    Bench("HS301", "filtered loop vs comprehension", setup, slow_filter, fast_filter,
          description="filter and map n numbers (half are kept)"),
    Bench("HS301", "append loop vs extend([...])", setup, slow_extend, fast_extend,
          description="the extend form, used when the list is not freshly built"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
