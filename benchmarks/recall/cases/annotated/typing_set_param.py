# recall case: `Set[int]` parameter tested in a loop
# expect: silent
# why: `Set[int]` is a hash set; nothing to rewrite.
from typing import Set


def count_taken(ids, taken: Set[int]) -> int:
    n = 0
    for i in ids:
        if i in taken:
            n += 1
    return n
