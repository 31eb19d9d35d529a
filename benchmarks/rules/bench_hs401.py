"""HS401 numpy-grow-in-loop: np.append in a loop vs a list and one np.array."""

from benchmarks.rules._harness import Bench, main

try:
    import numpy as np
except ImportError:  # pragma: no cover - the benchmark needs numpy
    np = None


def _as_list(value):
    return value.tolist() if hasattr(value, "tolist") else value


def setup(n):
    return (list(range(n)),)


def slow(values):
    out = np.empty(0)
    for v in values:
        out = np.append(out, v)
    return out


def fast(values):
    pieces = []
    for v in values:
        pieces.append(v)
    return np.array(pieces, dtype=float)


def setup_rows(n):
    return ([np.arange(3.0) + i for i in range(n)],)


def slow_vstack(rows):
    grid = np.zeros((0, 3))
    for row in rows:
        grid = np.vstack([grid, row])
    return grid


def fast_vstack(rows):
    pieces = []
    for row in rows:
        pieces.append(row)
    return np.vstack(pieces)


BENCHES = [
    Bench("HS401", "np.append in a loop vs list + np.array", setup, slow, fast, description="n scalars", normalise=_as_list),
    Bench("HS401", "np.vstack in a loop vs one np.vstack", setup_rows, slow_vstack, fast_vstack,
          description="n rows of 3", normalise=_as_list),
]

if __name__ == "__main__":
    if np is None:
        raise SystemExit("HS401 benchmark skipped: numpy is not installed")
    raise SystemExit(main(BENCHES))
