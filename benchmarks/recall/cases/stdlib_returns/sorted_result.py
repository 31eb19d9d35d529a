# recall case: `sorted()` result scanned in a comprehension
# expect: HS101@7 "if x in ordered"


def common(a, b):
    ordered = sorted(b)
    return [x for x in a if x in ordered]
