# recall case: a cached helper returns a frozenset, used in a loop
# expect: silent
# why: the helper returns a frozenset.
import functools


@functools.lru_cache(maxsize=None)
def keywords(lang):
    with open(f"{lang}.kw") as fh:
        return frozenset(fh.read().split())


def highlight(tokens, lang):
    kw = keywords(lang)
    return [(t, t in kw) for t in tokens]
