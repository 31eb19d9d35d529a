# recall case: `parts += [x]` on a list
# expect: silent
# why: `+=` extends a list in place, amortised O(1) per item.


def collect(words):
    parts = []
    for w in words:
        parts += [w.strip()]
    return " ".join(parts)
