# recall case: list used as a stack, `pop()` from the end
# expect: silent
# why: popping the last item is O(1).


def dfs(graph, start):
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
