"""HS203 invariant-deepcopy-in-loop: deep copy per iteration of data only read vs one copy."""

import copy

from benchmarks.rules._harness import Bench, main


def setup(n):
    defaults = {f"k{i}": [i, i + 1, {"x": i}] for i in range(100)}
    defaults["scale"] = 2
    return list(range(n)), defaults


def slow(rows, defaults):
    out = []
    for row in rows:
        settings = copy.deepcopy(defaults)
        out.append(row * settings["scale"])
    return out


def fast(rows, defaults):
    out = []
    settings = copy.deepcopy(defaults)
    for row in rows:
        out.append(row * settings["scale"])
    return out


BENCHES = [
    Bench("HS203", "deepcopy-100-entries", setup, slow, fast, sizes=(10, 100),
          description="n iterations reading a deep copy of a 100-entry dict: copy per iteration vs once"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
