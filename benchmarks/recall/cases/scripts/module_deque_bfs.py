# recall case: module-level BFS with a deque
# expect: silent
# why: deque.popleft is O(1).
import sys
from collections import deque

data = sys.stdin.read().split()
n = int(data[0])
adj = {i: [] for i in range(1, n + 1)}
queue = deque([1])
dist = {1: 0}
while queue:
    v = queue.popleft()
    for w in adj[v]:
        if w not in dist:
            dist[w] = dist[v] + 1
            queue.append(w)
print(dist)
