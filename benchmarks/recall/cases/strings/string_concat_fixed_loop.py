# recall case: `+=` in a loop over a fixed two-item tuple
# expect: silent
# why: the loop runs twice, whatever the input.


def label(first, last):
    out = ""
    for part in (first, last):
        out += part.capitalize()
    return out
