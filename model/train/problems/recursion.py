"""Recursion, queues and copies: problems for the training set (see the package docstring)."""

from __future__ import annotations

from hasten.model.train.problems.base import Variant, _ints, problem


# -- recursion -------------------------------------------------------------------------------

problem(
    "fib", [("n", "int")], lambda r, n: (n,), (18, 22),
    Variant("""
return fib_rec(n)
""", "exponential-recursion", helpers="""
def fib_rec(k):
    if k < 2:
        return k
    return fib_rec(k - 1) + fib_rec(k - 2)  #@
"""),
    Variant("""
a, b = 0, 1
for _ in range(n):
    a, b = b, a + b
return a
"""),
    Variant("""
return fib_memo(n)
""", helpers="""
from functools import lru_cache


@lru_cache(maxsize=None)
def fib_memo(k):
    if k < 2:
        return k
    return fib_memo(k - 1) + fib_memo(k - 2)
"""),
)

problem(
    "count_paths", [("n", "int")], lambda r, n: (n,), (9, 11),
    Variant("""
return paths(n, n)
""", "exponential-recursion", helpers="""
def paths(a, b):
    if a == 0 or b == 0:
        return 1
    return paths(a - 1, b) + paths(a, b - 1)  #@
"""),
    Variant("""
row = [1] * (n + 1)
for _ in range(n):
    for j in range(1, n + 1):
        row[j] += row[j - 1]
return row[n]
"""),
)

problem(
    "stairs", [("n", "int")], lambda r, n: (n,), (16, 20),
    Variant("""
return ways(n)
""", "exponential-recursion", helpers="""
def ways(k):
    if k <= 1:
        return 1
    if k == 2:
        return 2
    return ways(k - 1) + ways(k - 2) + ways(k - 3)  #@
"""),
    Variant("""
dp = [1, 1, 2]
for i in range(3, n + 1):
    dp.append(dp[i - 1] + dp[i - 2] + dp[i - 3])
return dp[n]
"""),
)

problem(
    "sum_recursive", [("xs", "ints")], lambda r, n: (_ints(r, n),), (300, 900),
    Variant("""
return total_of(xs)
""", "slice-copy", helpers="""
def total_of(seq):
    if not seq:
        return 0
    return seq[0] + total_of(seq[1:])  #@
"""),
    Variant("""
return sum(xs)
"""),
    Variant("""
return total_from(xs, 0)
""", helpers="""
def total_from(seq, i):
    t = 0
    while i < len(seq):
        t += seq[i]
        i += 1
    return t
"""),
)

# -- queues and copies -----------------------------------------------------------------------

problem(
    "bfs_order", [("n", "int")], lambda r, n: (n,), (3000, 12000),
    Variant("""
adj = [[(i * 2 + 1) % n, (i * 3 + 2) % n] for i in range(n)]
seen = [False] * n
seen[0] = True
queue = [0]
order = []
while queue:
    v = queue.pop(0)  #@
    order.append(v)
    for w in adj[v]:
        if not seen[w]:
            seen[w] = True
            queue.append(w)
return len(order)
""", "list-queue"),
    Variant("""
adj = [[(i * 2 + 1) % n, (i * 3 + 2) % n] for i in range(n)]
seen = [False] * n
seen[0] = True
queue = deque([0])
order = []
while queue:
    v = queue.popleft()
    order.append(v)
    for w in adj[v]:
        if not seen[w]:
            seen[w] = True
            queue.append(w)
return len(order)
""", helpers="from collections import deque\n"),
    Variant("""
adj = [[(i * 2 + 1) % n, (i * 3 + 2) % n] for i in range(n)]
seen = [False] * n
seen[0] = True
queue = [0]
head = 0
while head < len(queue):
    v = queue[head]
    head += 1
    for w in adj[v]:
        if not seen[w]:
            seen[w] = True
            queue.append(w)
return len(queue)
"""),
)

problem(
    "rotate_many", [("xs", "ints"), ("k", "int")], lambda r, n: (_ints(r, n), n // 2), (2000, 8000),
    Variant("""
ys = list(xs)
for _ in range(k):
    ys.insert(0, ys.pop())  #@
return ys
""", "list-queue"),
    Variant("""
k2 = k % len(xs)
return xs[-k2:] + xs[:-k2] if k2 else list(xs)
"""),
    Variant("""
d = deque(xs)
d.rotate(k)
return list(d)
""", helpers="from collections import deque\n"),
)

problem(
    "drain", [("xs", "ints")], lambda r, n: (_ints(r, n),), (3000, 12000),
    Variant("""
total = 0
while xs:
    total += xs.pop(0)  #@
return total
""", "list-queue"),
    Variant("""
total = 0
while xs:
    total += xs.pop()
return total
"""),
    Variant("""
total = 0
for x in xs:
    total += x
return total
"""),
)

problem(
    "window_sums", [("xs", "ints"), ("w", "int")], lambda r, n: (_ints(r, n), n // 4), (600, 2400),
    Variant("""
out = []
for i in range(len(xs) - w + 1):
    out.append(sum(xs[i:i + w]))  #@
return out
""", "slice-copy"),
    Variant("""
out = []
cur = sum(xs[:w])
out.append(cur)
for i in range(w, len(xs)):
    cur += xs[i] - xs[i - w]
    out.append(cur)
return out
"""),
)

problem(
    "pairs_after", [("xs", "ints")], lambda r, n: (_ints(r, n, 50),), (300, 1200),
    Variant("""
total = 0
for i, x in enumerate(xs):
    rest = xs[i + 1:]  #@
    total += len([y for y in rest if y == x])
return total
""", "slice-copy"),
    Variant("""
seen = {}
total = 0
for x in reversed(xs):
    total += seen.get(x, 0)
    seen[x] = seen.get(x, 0) + 1
return total
"""),
)

problem(
    "copy_then_read", [("xs", "ints")], lambda r, n: (_ints(r, n),), (300, 1200),
    Variant("""
total = 0
for i in range(len(xs)):
    snapshot = list(xs)  #@
    total += snapshot[i]
return total
""", "needless-copy"),
    Variant("""
total = 0
for i in range(len(xs)):
    total += xs[i]
return total
"""),
    Variant("""
return sum(xs)
"""),
)

problem(
    "first_sorted", [("xs", "ints"), ("qs", "ints")], lambda r, n: (_ints(r, n), _ints(r, 50, 2)), (2000, 8000),
    Variant("""
res = 0
for q in qs:
    res += sorted(xs)[0] + q  #@
return res
""", "invariant-in-loop"),
    Variant("""
lo = min(xs)
res = 0
for q in qs:
    res += lo + q
return res
"""),
)

problem(
    "grow_list", [("xs", "ints")], lambda r, n: (_ints(r, n),), (1500, 6000),
    Variant("""
out = []
for x in xs:
    out = out + [x * 2]  #@
return out
""", "list-concatenation"),
    Variant("""
out = []
for x in xs:
    out.append(x * 2)
return out
"""),
    Variant("""
return [x * 2 for x in xs]
"""),
    Variant("""
out = []
for x in xs:
    out += [x * 2]
return out
"""),
)

problem(
    "flatten", [("n", "int")], lambda r, n: (n,), (600, 2400),
    Variant("""
rows = [[i, i + 1, i + 2] for i in range(n)]
flat = []
for row in rows:
    flat = flat + row  #@
return len(flat)
""", "list-concatenation"),
    Variant("""
rows = [[i, i + 1, i + 2] for i in range(n)]
flat = []
for row in rows:
    flat.extend(row)
return len(flat)
"""),
    Variant("""
rows = [[i, i + 1, i + 2] for i in range(n)]
return len([v for row in rows for v in row])
"""),
    Variant("""
rows = [[i, i + 1, i + 2] for i in range(n)]
return len(sum(rows, []))  #@
""", "list-concatenation"),
)
