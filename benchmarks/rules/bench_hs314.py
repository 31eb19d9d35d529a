"""HS314 collection-call-in-loop: dict()/list() calls in a loop vs literals."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(rows):
    out = []
    for row in rows:
        out.append(dict())
    return out


def fast(rows):
    out = []
    for row in rows:
        out.append({})
    return out


def slow_keywords(rows):
    return [dict(key=row, items=list()) for row in rows]


def fast_keywords(rows):
    return [{"key": row, "items": []} for row in rows]


BENCHES = [
    Bench("HS314", "dict() vs {} in a loop", setup, slow, fast, description="n empty dicts"),
    Bench("HS314", "dict(k=...) vs {...} in a comprehension", setup, slow_keywords, fast_keywords,
          description="n two-key dicts with an empty list"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
