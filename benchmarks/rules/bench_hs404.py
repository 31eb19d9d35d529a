"""HS404 pandas-grow-in-loop: pd.concat in a loop vs one pd.concat of a list."""

from benchmarks.rules._harness import Bench, main

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the benchmark needs pandas
    pd = None


def setup(n):
    return ([pd.DataFrame({"a": [i], "b": [float(i)]}) for i in range(n)],)


def slow(frames):
    df = pd.DataFrame({"a": [], "b": []})
    for frame in frames:
        df = pd.concat([df, frame])
    return df["b"].tolist()


def fast(frames):
    pieces = [pd.DataFrame({"a": [], "b": []})]
    for frame in frames:
        pieces.append(frame)
    return pd.concat(pieces)["b"].tolist()


BENCHES = [
    Bench("HS404", "concat in a loop vs one concat", setup, slow, fast, description="n one-row frames",
          sizes=(100, 1_000)),
]

if __name__ == "__main__":
    if pd is None:
        raise SystemExit("HS404 benchmark skipped: pandas is not installed")
    raise SystemExit(main(BENCHES))
