# recall case: `collections.Counter` used with `in`
# expect: silent
# why: Counter is a dict.
import collections


def frequent(words, corpus):
    counts = collections.Counter(corpus)
    return [w for w in words if w in counts and counts[w] > 3]
