# recall case: nested loops that only append
# expect: HS301@9 "pairs.append((a, b))"


def pairs_of(xs, ys):
    pairs = []
    for a in xs:
        for b in ys:
            pairs.append((a, b))
    return pairs
