# recall case: Kahn's topological sort with a list of ready nodes popped from the front
# expect: HS102@13 "n = ready.pop(0)"


def topo_order(deps):
    indeg = {n: 0 for n in deps}
    for n, targets in deps.items():
        for t in targets:
            indeg[t] = indeg.get(t, 0) + 1
    ready = [n for n, d in indeg.items() if d == 0]
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for t in deps.get(n, ()):
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
    return order
