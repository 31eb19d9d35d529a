# recall case: `dict[str, int]` parameter used with `in`
# expect: silent
# why: `in` on a dict tests keys by hash.


def priced(items, prices: dict[str, int]):
    total = 0
    for item in items:
        if item in prices:
            total += prices[item]
    return total
