# recall case: fixed-size tuple annotation `tuple[int, int]`
# expect: silent
# why: a 2-tuple scan is two comparisons; a set would be slower to build than to scan.


def on_edge(points, bounds: tuple[int, int]):
    return [p for p in points if p in bounds]
