# recall case: helper returning a module-level frozenset constant
# expect: silent
# why: the value is a frozenset.
_RESERVED = frozenset({"class", "def", "return"})


def reserved():
    return _RESERVED


def rename(words):
    res = reserved()
    return [w + "_" if w in res else w for w in words]
