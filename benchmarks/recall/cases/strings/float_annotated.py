# recall case: `acc: float` accumulated in a loop
# expect: silent
# why: numeric addition.


def mean(values) -> float:
    acc: float = 0.0
    for v in values:
        acc += v
    return acc / len(values)
