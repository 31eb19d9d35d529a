# recall case: `total += len(w)` on an int: not string building (HS103 stays silent), but a
# manual sum that `sum(map(len, words))` does in C
# expect: HS316@8 "for w in words:"


def total_length(words):
    total = 0
    for w in words:
        total += len(w)
    return total
