# recall case: `self.queue = deque()` consumed with `popleft()`
# expect: silent
# why: deque pops from the left in O(1).
from collections import deque


class Scheduler:
    def __init__(self):
        self.queue = deque()

    def run(self):
        while self.queue:
            task = self.queue.popleft()
            task()
