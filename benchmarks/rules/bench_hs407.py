"""HS407 series-apply-arithmetic: Series.apply(lambda x: arithmetic) vs column arithmetic."""

from benchmarks.rules._harness import Bench, main

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the benchmark needs pandas
    pd = None


def setup(n):
    return (pd.DataFrame({"price": [float(i % 97) for i in range(n)]}),)


def slow(df):
    return df["price"].apply(lambda p: p * 2 + 1).tolist()


def fast(df):
    return (df["price"] * 2 + 1).tolist()


BENCHES = [
    Bench("HS407", "apply(lambda) vs column arithmetic", setup, slow, fast, description="p * 2 + 1 per element",
          sizes=(100, 1_000, 10_000)),
]

if __name__ == "__main__":
    if pd is None:
        raise SystemExit("HS407 benchmark skipped: pandas is not installed")
    raise SystemExit(main(BENCHES))
