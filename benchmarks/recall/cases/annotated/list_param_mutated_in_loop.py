# recall case: annotated list parameter that the loop itself changes (a cycle check on a path)
# expect: silent
# why: `path` grows and shrinks inside the loop, so a set built before the loop would be stale; the HS101 rewrite would be wrong.


def has_cycle(graph, node, path: list[str], explore) -> bool:
    for nxt in graph.get(node, ()):
        if nxt in path:
            return True
        path.append(nxt)
        found = explore(graph, nxt, path)
        path.pop()
        if found:
            return True
    return False
