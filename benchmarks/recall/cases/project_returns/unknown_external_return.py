# recall case: result of a function from another module (type unknown)
# expect: silent
# why: nothing in this file says what `load_names()` returns; it may well be a set.
from registry import load_names


def unknown(users):
    names = load_names()
    return [u for u in users if u not in names]
