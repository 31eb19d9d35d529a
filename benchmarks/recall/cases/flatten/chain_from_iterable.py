# recall case: flattening with `itertools.chain.from_iterable`
# expect: silent
# why: already the linear rewrite.
import itertools


def all_tags(posts):
    return list(itertools.chain.from_iterable(p.tags for p in posts))
