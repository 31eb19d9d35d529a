# recall case: `sum([a, b, c], [])` over a literal of three lists
# expect: silent
# why: the number of copies is fixed by the literal (rule design of HS104).


def merged(a, b, c):
    return sum([a, b, c], [])
