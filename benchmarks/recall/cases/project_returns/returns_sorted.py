# recall case: project function returning `sorted(...)`; result scanned with `.count()` in a loop
# expect: HS105@13 "ordered.count(s)"


def ranked(scores):
    return sorted(scores, reverse=True)


def histogram(scores):
    ordered = ranked(scores)
    hist = {}
    for s in set(scores):
        hist[s] = ordered.count(s)
    return hist
