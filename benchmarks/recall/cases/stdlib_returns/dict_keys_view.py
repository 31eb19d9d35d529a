# recall case: `dict.keys()` stored and tested in a loop
# expect: silent
# why: a keys view answers `in` by hash.


def shared(a, b):
    keys = a.keys()
    return [k for k in b if k in keys]
