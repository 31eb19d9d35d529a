# recall case: list used as a queue through a moving head index
# expect: silent
# why: nothing is removed from the front; reading `queue[head]` is O(1).


def bfs_order(graph, start):
    queue = [start]
    seen = {start}
    head = 0
    while head < len(queue):
        node = queue[head]
        head += 1
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return queue
