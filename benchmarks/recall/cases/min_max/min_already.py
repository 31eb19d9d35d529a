# recall case: `min(..., key=...)`
# expect: silent
# why: already the rewrite.


def cheapest(offers):
    return min(offers, key=lambda o: o.price)
