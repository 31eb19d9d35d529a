# recall case: `sum(values, 0)` on numbers
# expect: silent
# why: numeric sum.


def total(values):
    return sum(values, 0)
