"""Membership, search and sorting: problems for the training set (see the package docstring)."""

from __future__ import annotations

from hasten.model.train.problems.base import Variant, _ints, _word, problem


# -- membership and search --------------------------------------------------------------------

problem(
    "dedupe", [("xs", "ints")], lambda r, n: (_ints(r, n, n // 2 + 2),), (400, 1600),
    Variant("""
out = []
for x in xs:
    if x not in out:  #@
        out.append(x)
return out
""", "linear-search"),
    Variant("""
seen = set()
out = []
for x in xs:
    if x not in seen:
        seen.add(x)
        out.append(x)
return out
"""),
    Variant("""
return list(dict.fromkeys(xs))
"""),
    Variant("""
out = []
for i, x in enumerate(xs):
    if xs.index(x) == i:  #@
        out.append(x)
return out
""", "linear-search"),
)

problem(
    "common", [("xs", "ints"), ("ys", "ints")], lambda r, n: (_ints(r, n, 2 * n), _ints(r, n, 2 * n)), (400, 1600),
    Variant("""
res = 0
for x in xs:
    if x in ys:  #@
        res += 1
return res
""", "linear-search"),
    Variant("""
lookup = set(ys)
res = 0
for x in xs:
    if x in lookup:
        res += 1
return res
"""),
    Variant("""
lookup = set(ys)
return sum(1 for x in xs if x in lookup)
"""),
    Variant("""
res = 0
for x in xs:
    if ys.count(x) > 0:  #@
        res += 1
return res
""", "linear-search"),
    Variant("""
res = 0
for x in xs:
    if x in set(ys):  #@
        res += 1
return res
""", "invariant-in-loop"),
)

problem(
    "two_sum", [("xs", "ints"), ("target", "int")], lambda r, n: (_ints(r, n, 10 * n), -1), (300, 1200),
    Variant("""
found = 0
for i in range(len(xs)):
    for j in range(i + 1, len(xs)):
        if xs[i] + xs[j] == target:  #@
            found += 1
return found
""", "nested-loop-join"),
    Variant("""
counts = {}
found = 0
for x in xs:
    found += counts.get(target - x, 0)
    counts[x] = counts.get(x, 0) + 1
return found
"""),
)

problem(
    "count_freq", [("xs", "ints")], lambda r, n: (_ints(r, n, 50),), (500, 2000),
    Variant("""
freq = {}
for x in xs:
    freq[x] = xs.count(x)  #@
return sorted(freq.items())
""", "linear-search"),
    Variant("""
freq = {}
for x in xs:
    freq[x] = freq.get(x, 0) + 1
return sorted(freq.items())
"""),
    Variant("""
freq = {}
for x in xs:
    if x in freq:
        freq[x] += 1
    else:
        freq[x] = 1
return sorted(freq.items())
"""),
)

problem(
    "max_count", [("words", "words")], lambda r, n: ([_word(r, 2) for _ in range(n)],), (400, 1600),
    Variant("""
best = None
best_n = -1
for w in words:
    c = words.count(w)  #@
    if c > best_n or (c == best_n and w < best):
        best, best_n = w, c
return best
""", "linear-search"),
    Variant("""
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
best = None
best_n = -1
for w, c in counts.items():
    if c > best_n or (c == best_n and w < best):
        best, best_n = w, c
return best
"""),
)

problem(
    "rank_lookup", [("xs", "ints"), ("qs", "ints")], lambda r, n: (sorted(set(_ints(r, n, 4 * n))), _ints(r, n, 4 * n)), (400, 1600),
    Variant("""
res = []
for q in qs:
    k = 0
    for x in xs:  #@
        if x < q:
            k += 1
    res.append(k)
return res
""", "brute-force"),
    Variant("""
res = []
for q in qs:
    res.append(bisect_left(xs, q))
return res
""", helpers="from bisect import bisect_left\n"),
    Variant("""
res = []
for q in qs:
    res.append(len([x for x in xs if x < q]))  #@
return res
""", "brute-force"),
)

problem(
    "index_of", [("xs", "ints"), ("qs", "ints")], lambda r, n: (list(range(n)), _ints(r, n, n)), (400, 1600),
    Variant("""
res = []
for q in qs:
    res.append(xs.index(q))  #@
return res
""", "linear-search"),
    Variant("""
pos = {x: i for i, x in enumerate(xs)}
res = []
for q in qs:
    res.append(pos[q])
return res
"""),
    Variant("""
pos = {}
for i, x in enumerate(xs):
    pos[x] = i
return [pos[q] for q in qs]
"""),
)

# -- sorting ---------------------------------------------------------------------------------

problem(
    "running_median", [("xs", "ints")], lambda r, n: (_ints(r, n),), (300, 1200),
    Variant("""
res = []
seen = []
for x in xs:
    seen.append(x)
    seen.sort()  #@
    res.append(seen[len(seen) // 2])
return res
""", "repeated-sort"),
    Variant("""
res = []
seen = []
for x in xs:
    insort(seen, x)
    res.append(seen[len(seen) // 2])
return res
""", helpers="from bisect import insort\n"),
    Variant("""
res = []
seen = []
for x in xs:
    seen.append(x)
    ordered = sorted(seen)  #@
    res.append(ordered[len(ordered) // 2])
return res
""", "repeated-sort"),
)

problem(
    "top_k", [("xs", "ints"), ("k", "int")], lambda r, n: (_ints(r, n), 5), (2000, 8000),
    Variant("""
rest = list(xs)
out = []
for _ in range(k):
    m = max(rest)
    out.append(m)
    rest.remove(m)
return out
"""),
    Variant("""
return sorted(xs, reverse=True)[:k]
"""),
    Variant("""
return nlargest(k, xs)
""", helpers="from heapq import nlargest\n"),
)

problem(
    "smallest_each_round", [("xs", "ints")], lambda r, n: (_ints(r, n),), (300, 1200),
    Variant("""
rest = list(xs)
out = []
while rest:
    m = min(rest)  #@
    rest.remove(m)
    out.append(m)
return out
""", "recomputed-aggregate"),
    Variant("""
return sorted(xs)
"""),
    Variant("""
heap = list(xs)
heapify(heap)
out = []
while heap:
    out.append(heappop(heap))
return out
""", helpers="from heapq import heapify, heappop\n"),
)

problem(
    "min_gap", [("xs", "ints")], lambda r, n: (_ints(r, n, 100 * n),), (300, 1200),
    Variant("""
best = 10 ** 18
for i in range(len(xs)):
    for j in range(len(xs)):
        if i != j and abs(xs[i] - xs[j]) < best:  #@
            best = abs(xs[i] - xs[j])
return best
""", "brute-force"),
    Variant("""
ys = sorted(xs)
best = 10 ** 18
for a, b in zip(ys, ys[1:]):
    best = min(best, b - a)
return best
"""),
    Variant("""
ys = sorted(xs)
return min(ys[i + 1] - ys[i] for i in range(len(ys) - 1))
"""),
)
