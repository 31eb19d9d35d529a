# recall case: list grown in a loop and sorted once afterwards
# expect: silent
# why: one sort after the loop.


def collect_sorted(stream):
    items = [x for x in stream if x is not None]
    items.sort()
    return items
