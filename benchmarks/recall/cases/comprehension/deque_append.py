# recall case: appending transformed items to a bounded deque
# expect: silent
# why: the target is a deque with maxlen, not a list; a list comprehension is not a rewrite.
from collections import deque


def last_lengths(lines, n):
    window = deque(maxlen=n)
    for line in lines:
        window.append(len(line))
    return window
