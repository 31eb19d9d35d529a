"""HS406 positional-row-loop: df.at[i, ...] per row vs column arithmetic."""

from benchmarks.rules._harness import Bench, main

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the benchmark needs pandas
    pd = None


def setup(n):
    return (pd.DataFrame({"price": [float(i % 17) for i in range(n)], "quantity": [float(i % 5) for i in range(n)]}),)


def slow(df):
    df = df.copy()
    df["total"] = 0.0
    for i in range(len(df)):
        df.at[i, "total"] = df.at[i, "price"] * df.at[i, "quantity"]
    return df["total"].tolist()


def fast(df):
    df = df.copy()
    df["total"] = df["price"] * df["quantity"]
    return df["total"].tolist()


def slow_iloc(df):
    total = 0.0
    for i in range(len(df)):
        row = df.iloc[i]
        total += row["price"]
    return total


def fast_iloc(df):
    return float(df["price"].sum())


BENCHES = [
    Bench("HS406", "df.at per row vs column product", setup, slow, fast, description="a derived column"),
    Bench("HS406", "df.iloc[i] per row vs column sum", setup, slow_iloc, fast_iloc, description="sum of a column"),
]

if __name__ == "__main__":
    if pd is None:
        raise SystemExit("HS406 benchmark skipped: pandas is not installed")
    raise SystemExit(main(BENCHES))
