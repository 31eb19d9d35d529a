"""HS403 iterrows-arithmetic: arithmetic in an iterrows() loop vs column arithmetic."""

from benchmarks.rules._harness import Bench, main

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the benchmark needs pandas
    pd = None


def setup(n):
    return (pd.DataFrame({"price": [float(i % 17) for i in range(n)], "quantity": [i % 5 for i in range(n)]}),)


def slow(df):
    total = 0.0
    for _, row in df.iterrows():
        total += row["price"] * row["quantity"]
    return round(total, 6)


def fast(df):
    return round(float((df["price"] * df["quantity"]).sum()), 6)


def slow_column(df):
    values = []
    for _, row in df.iterrows():
        values.append(row["price"] * 2 + 1)
    return values


def fast_column(df):
    return (df["price"] * 2 + 1).tolist()


BENCHES = [
    Bench("HS403", "iterrows sum vs column product", setup, slow, fast, description="sum of price * quantity"),
    Bench("HS403", "iterrows new column vs column arithmetic", setup, slow_column, fast_column,
          description="a derived column"),
]

if __name__ == "__main__":
    if pd is None:
        raise SystemExit("HS403 benchmark skipped: pandas is not installed")
    raise SystemExit(main(BENCHES))
