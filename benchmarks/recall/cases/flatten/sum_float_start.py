# recall case: `sum(weights, start=0.0)`
# expect: silent
# why: numeric sum.


def total_weight(weights):
    return sum(weights, start=0.0)
