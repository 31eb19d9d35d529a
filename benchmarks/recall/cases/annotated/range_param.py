# recall case: `range` parameter tested with `in`
# expect: silent
# why: `int in range` is arithmetic, O(1).


def in_window(values, window: range):
    return [v for v in values if v in window]
