# recall case: keeping a list sorted with `bisect.insort`
# expect: silent
# why: already the rewrite of a re-sort in a loop.
import bisect


def running_median(stream):
    window = []
    out = []
    for x in stream:
        bisect.insort(window, x)
        out.append(window[len(window) // 2])
    return out
