# recall case: sorted once and several positions read
# expect: silent
# why: the sorted list is reused for the median; sorting once is needed.


def summary(values):
    ordered = sorted(values)
    return ordered[0], ordered[len(ordered) // 2], ordered[-1]
