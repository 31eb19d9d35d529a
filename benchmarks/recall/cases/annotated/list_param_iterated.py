# recall case: annotated list parameter iterated, not searched
# expect: silent
# why: the loop iterates `items` once; `x in items` as a for target is not a membership test.


def total(items: list[float]) -> float:
    acc = 0.0
    for x in items:
        acc += x
    return acc
