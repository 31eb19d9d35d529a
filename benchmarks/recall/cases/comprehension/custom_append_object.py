# recall case: `.append` on an object that is not a list (a CSV writer wrapper)
# expect: silent
# why: `sink` is an unknown object with an `append` method; calls are side effects.


def export(rows, sink):
    for row in rows:
        sink.append(row.as_tuple())
