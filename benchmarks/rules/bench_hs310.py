"""HS310 join-on-generator: str.join(generator) vs str.join(list comprehension)."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([f"item{i}" for i in range(n)],)


def slow(words):
    return ",".join(w for w in words)


def fast(words):
    return ",".join([w for w in words])


def setup_numbers(n):
    return (list(range(n)),)


def slow_str(values):
    return ",".join(str(v) for v in values)


def fast_str(values):
    return ",".join([str(v) for v in values])


BENCHES = [
    Bench("HS310", "join generator vs list", setup, slow, fast, description="join n short strings"),
    Bench("HS310", "join str(v) generator vs list", setup_numbers, slow_str, fast_str,
          description="join n numbers converted with str()"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
