# recall case: `sorted(x)[:3]`: top three
# expect: silent
# why: a slice, not one end (heapq.nsmallest is a different rewrite).


def podium(times):
    return sorted(times)[:3]
