# recall case: BFS with a list queue and `while queue:` (the shape the rules already prove)
# expect: HS102@9 "node = queue.pop(0)"


def reachable(graph, start):
    seen = {start}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
