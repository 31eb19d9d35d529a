# recall case: `max(scores)` recomputed per iteration on an annotated parameter
# expect: HS106@6 "max(scores)"


def normalise(scores: list[float]) -> list[float]:
    return [s / max(scores) for s in scores]
