# recall case: `sorted(x)[1]`: second smallest
# expect: silent
# why: not an end of the order; min/max do not apply.


def runner_up(times):
    return sorted(times)[1]
