# recall case: `xs.sort()` in place, then first and last read and the list returned
# expect: silent
# why: the caller receives the sorted list; the sort is the point.


def normalise(xs):
    xs.sort()
    lo, hi = xs[0], xs[-1]
    return xs, lo, hi
