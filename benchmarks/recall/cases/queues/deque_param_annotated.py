# recall case: parameter annotated `deque[int]` consumed with `popleft()`
# expect: silent
# why: deque operations at both ends are O(1).
from collections import deque


def drain(q: deque[int]) -> int:
    total = 0
    while q:
        total += q.popleft()
    return total
