# recall case: `pop(0)` on a dict: removes key 0
# expect: silent
# why: `cache` is annotated dict; `dict.pop(0)` is a hash delete.


def evict(cache: dict[int, str], n):
    for _ in range(n):
        cache.pop(0, None)
        cache = {k - 1: v for k, v in cache.items()}
    return cache
