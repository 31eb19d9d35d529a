# recall case: `total += x` on an int
# expect: silent
# why: integer addition, not string building.


def total_length(words):
    total = 0
    for w in words:
        total += len(w)
    return total
