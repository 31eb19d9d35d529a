"""HS402 ndarray-elementwise-loop: element-by-element arithmetic vs whole-array arithmetic."""

from benchmarks.rules._harness import Bench, main

try:
    import numpy as np
except ImportError:  # pragma: no cover - the benchmark needs numpy
    np = None


def _as_list(value):
    return value.tolist() if hasattr(value, "tolist") else value


def setup(n):
    return np.arange(n, dtype=float), np.ones(n)


def slow(a, b):
    c = np.empty(len(a))
    for i in range(len(a)):
        c[i] = a[i] * 2 + b[i]
    return c


def fast(a, b):
    c = np.empty(len(a))
    c[:] = a * 2 + b
    return c


def slow_sum(a, b):
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return round(float(total), 6)


def fast_sum(a, b):
    total = 0.0
    total += (a * b).sum()
    return round(float(total), 6)


BENCHES = [
    Bench("HS402", "element loop vs array expression", setup, slow, fast, description="c[i] = a[i] * 2 + b[i]", normalise=_as_list),
    Bench("HS402", "accumulating loop vs .sum()", setup, slow_sum, fast_sum, description="total += a[i] * b[i]", normalise=_as_list),
]

if __name__ == "__main__":
    if np is None:
        raise SystemExit("HS402 benchmark skipped: numpy is not installed")
    raise SystemExit(main(BENCHES))
