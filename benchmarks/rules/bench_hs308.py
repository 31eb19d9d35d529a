"""HS308 membership-in-literal-sequence: `x in (literal tuple)` vs `x in {literal set}`."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(values):
    return [v for v in values if v in (1, 2, 3, 5, 8)]


def fast(values):
    return [v for v in values if v in {1, 2, 3, 5, 8}]


def setup_words(n):
    words = ["sat", "sun", "mon", "tue", "wed", "thu", "fri"]
    return ([words[i % 7] + ("" if i % 3 else "x") for i in range(n)],)


def slow_words(words):
    return [w for w in words if w in ["sat", "sun", "holiday"]]


def fast_words(words):
    return [w for w in words if w in {"sat", "sun", "holiday"}]


BENCHES = [
    Bench("HS308", "5-int tuple vs set literal", setup, slow, fast, description="n tests, nearly all misses"),
    Bench("HS308", "3-str list vs set literal", setup_words, slow_words, fast_words,
          description="n tests of short strings, mixed hits and misses"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
