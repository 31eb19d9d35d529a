# recall case: DFS path list pushed and popped by the loop, tested for cycles
# expect: silent
# why: the list changes inside the loop (push/pop), so the HS101 rewrite (a set built once) would be wrong; `path.index` runs once, right before returning.


def find_cycle(graph, start):
    path = [start]
    stack = [iter(graph[start])]
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            path.pop()
        elif nxt in path:
            return path[path.index(nxt):]
        else:
            path.append(nxt)
            stack.append(iter(graph[nxt]))
    return None
