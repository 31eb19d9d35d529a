"""HS405 row-wise-apply: DataFrame.apply(lambda row: ..., axis=1) vs column arithmetic."""

from benchmarks.rules._harness import Bench, main

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the benchmark needs pandas
    pd = None


def setup(n):
    return (pd.DataFrame({"price": [float(i % 17) for i in range(n)], "quantity": [i % 5 for i in range(n)]}),)


def slow(df):
    return df.apply(lambda row: row["price"] * row["quantity"], axis=1).tolist()


def fast(df):
    return (df["price"] * df["quantity"]).tolist()


BENCHES = [
    Bench("HS405", "apply(axis=1) vs column product", setup, slow, fast, description="price * quantity per row"),
]

if __name__ == "__main__":
    if pd is None:
        raise SystemExit("HS405 benchmark skipped: pandas is not installed")
    raise SystemExit(main(BENCHES))
