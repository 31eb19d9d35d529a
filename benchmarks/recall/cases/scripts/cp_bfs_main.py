# recall case: BFS under `if __name__ == "__main__":` reading edges from stdin
# expect: HS102@17 "v = queue.pop(0)"
import sys

if __name__ == "__main__":
    data = sys.stdin.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    for i in range(m):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        adj[u].append(v)
        adj[v].append(u)
    dist = [-1] * (n + 1)
    dist[1] = 0
    queue = [1]
    while queue:
        v = queue.pop(0)
        for w in adj[v]:
            if dist[w] < 0:
                dist[w] = dist[v] + 1
                queue.append(w)
    print(" ".join(map(str, dist[1:])))
