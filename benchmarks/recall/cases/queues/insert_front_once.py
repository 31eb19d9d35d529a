# recall case: `insert(0, x)` once before a loop
# expect: silent
# why: the front insert runs once.


def with_header(rows, header):
    rows = list(rows)
    rows.insert(0, header)
    return [",".join(map(str, r)) for r in rows]
