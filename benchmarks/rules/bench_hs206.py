"""HS206 try-except-in-loop: ``try`` inside the loop vs around it (matters before Python 3.11).

Run it under 3.10 and 3.11 to see the difference; results are written for the running version.
"""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([str(i) for i in range(n)],)


def slow(texts):
    total = 0
    for t in texts:
        try:
            total += len(t)
        except TypeError:
            return None
    return total


def fast(texts):
    total = 0
    try:
        for t in texts:
            total += len(t)
    except TypeError:
        return None
    return total


BENCHES = [Bench("HS206", "try-per-iteration", setup, slow, fast, description="n additions with try inside vs around the loop")]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
