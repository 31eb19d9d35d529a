"""HS312 map-lambda: list(map(lambda ...)) vs a list comprehension."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(values):
    return list(map(lambda v: v + 1, values))


def fast(values):
    return [v + 1 for v in values]


def setup_words(n):
    return ([f"Word{i}" for i in range(n)],)


def slow_set(words):
    return set(map(lambda w: w.lower(), words))


def fast_set(words):
    return {w.lower() for w in words}


def setup_signed(n):
    return ([(-1) ** i * i for i in range(n)],)


def slow_filter(values):
    return list(filter(lambda v: v < 0, values))


def fast_filter(values):
    return [v for v in values if v < 0]


BENCHES = [
    Bench("HS312", "list(map(lambda)) vs comprehension", setup, slow, fast, description="n additions"),
    Bench("HS312", "set(map(lambda)) vs set comprehension", setup_words, slow_set, fast_set,
          description="n method calls"),
    Bench("HS312", "list(filter(lambda)) vs comprehension", setup_signed, slow_filter, fast_filter,
          description="n comparisons, half kept"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
