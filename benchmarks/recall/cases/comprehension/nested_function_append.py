# recall case: nested function building a list with an append loop
# expect: HS301@9 "out.append(key(x))"


def grouped(items, key):
    def keys_of(chunk):
        out = []
        for x in chunk:
            out.append(key(x))
        return out

    return {tuple(keys_of(c)) for c in items}
