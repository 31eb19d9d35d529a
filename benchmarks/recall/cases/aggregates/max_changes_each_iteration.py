# recall case: `max(values)` inside a loop that appends to `values`
# expect: silent
# why: the loop changes `values`, so the aggregate cannot be hoisted.


def grow(values, steps):
    for _ in range(steps):
        values.append(max(values) + 1)
    return values
