"""HS305 loop-copies-into-list: a loop that only appends items vs list() / extend()."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(rows):
    out = []
    for row in rows:
        out.append(row)
    return out


def fast(rows):
    out = list(rows)
    return out


def slow_existing(rows):
    out = [0]
    for row in rows:
        out.append(row)
    return out


def fast_existing(rows):
    out = [0]
    out.extend(rows)
    return out


BENCHES = [
    Bench("HS305", "copy loop vs list()", setup, slow, fast, description="copy n items into a new list"),
    Bench("HS305", "copy loop vs extend()", setup, slow_existing, fast_existing,
          description="append n items to an existing list"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
