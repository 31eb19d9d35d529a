# recall case: BFS with `collections.deque` and `popleft()`
# expect: silent
# why: deque pops from the left in O(1).
from collections import deque


def reachable(graph, start):
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
