# recall case: loop that appends until a sentinel and breaks
# expect: silent
# why: `break` has no comprehension equivalent.


def until_blank(lines):
    out = []
    for line in lines:
        if not line.strip():
            break
        out.append(line.rstrip())
    return out
