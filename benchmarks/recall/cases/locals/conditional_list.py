# recall case: a local that is a list on every path (two list comprehensions), scanned in a loop
# expect: HS101@13 "if k in keys"


def project(rows, spec, strict):
    if strict:
        keys = [s.name for s in spec if s.required]
    else:
        keys = [s.name for s in spec]
    total = 0
    for row in rows:
        for k in row:
            if k in keys:
                total += 1
    return total
