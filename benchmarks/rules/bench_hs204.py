"""HS204 dotted-lookup-in-loop: ``os.path.basename`` per call vs a local alias."""

import os

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([f"/srv/data/file{i}.txt" for i in range(n)],)


def slow(paths):
    return [os.path.basename(p) for p in paths]


def fast(paths):
    basename = os.path.basename
    return [basename(p) for p in paths]


BENCHES = [Bench("HS204", "basename", setup, slow, fast, description="os.path.basename on n paths: dotted lookup vs local alias")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
