# recall case: per-item `try`/`except` around the append
# expect: silent
# why: a comprehension cannot skip the items that raise.


def parse_ints(tokens):
    out = []
    for tok in tokens:
        try:
            out.append(int(tok))
        except ValueError:
            pass
    return out
