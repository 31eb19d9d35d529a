"""HS106 recomputed-aggregate-in-loop: ``max(data)`` per iteration vs computed once."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([(i * 7919) % n for i in range(n)],)


def slow(scores):
    return [s for s in scores if s > max(scores) * 0.9]


def fast(scores):
    max_scores = max(scores)
    return [s for s in scores if s > max_scores * 0.9]


def slow_sorted(scores):
    return [sorted(scores)[len(scores) // 2] + s for s in scores]


def fast_sorted(scores):
    sorted_scores = sorted(scores)
    return [sorted_scores[len(scores) // 2] + s for s in scores]


BENCHES = [
    Bench("HS106", "max-per-item", setup, slow, fast,
          description="filter n numbers against max() recomputed per item vs once"),
    Bench("HS106", "sorted-per-item", setup, slow_sorted, fast_sorted,
          description="median from sorted() recomputed per item vs once"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
