"""Small problems, each solved several ways, written for hasten's training set.

Every variant of a problem computes the same answer; some pay a known extra cost, some do not.
A variant's ``kind`` names the cost its author put in (``None`` when there is none) and ``#@``
marks the line that drives it. **Neither is a training label for speed**: `measure.py` runs every
variant on growing inputs and the ranking labels come from the measured times. The kind and the
marked line only explain a variant once measurement has shown it to be slow.

A body uses the problem's parameters and ends with one ``return EXPR`` (no other return), so it
can be rendered both as a function and as a module-level script that reads its input from stdin.
``helpers`` are module-level functions the body calls.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable



@dataclass(frozen=True)
class Variant:
    body: str
    kind: str | None = None
    helpers: str = ""


@dataclass(frozen=True)
class Problem:
    name: str
    params: tuple[tuple[str, str], ...]  # (name, type): int, ints, str, words
    make: Callable[[random.Random, int], tuple]
    sizes: tuple[int, int]
    variants: tuple[Variant, ...]
    script: bool = True  # may also be rendered as a module-level script
    tags: tuple[str, ...] = field(default_factory=tuple)


def _ints(rng, n, hi=None):
    hi = hi or max(4, n)
    return [rng.randrange(hi) for _ in range(n)]


def _word(rng, k=5):
    return "".join(rng.choice("abcdefghij") for _ in range(k))


P: list[Problem] = []


def problem(name, params, make, sizes, *variants, script=True):
    P.append(Problem(name, tuple(params), make, sizes, tuple(variants), script))


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

# -- strings ---------------------------------------------------------------------------------

problem(
    "join_words", [("words", "words")], lambda r, n: ([_word(r) for _ in range(n)],), (2000, 8000),
    Variant("""
s = ""
for w in words:
    s = s + w + ","  #@
return s
""", "string-building"),
    Variant("""
return "".join(w + "," for w in words)
"""),
    Variant("""
parts = []
for w in words:
    parts.append(w)
    parts.append(",")
return "".join(parts)
"""),
)

problem(
    "reverse_string", [("text", "str")], lambda r, n: (_word(r, n),), (2000, 8000),
    Variant("""
out = ""
for ch in text:
    out = ch + out  #@
return out
""", "string-building"),
    Variant("""
return text[::-1]
"""),
    Variant("""
return "".join(reversed(text))
"""),
)

problem(
    "caesar", [("text", "str"), ("k", "int")], lambda r, n: (_word(r, n), 3), (3000, 12000),
    Variant("""
out = ""
for ch in text:
    out += chr((ord(ch) - 97 + k) % 26 + 97)  #@
return out
""", "string-building"),
    Variant("""
return "".join(chr((ord(ch) - 97 + k) % 26 + 97) for ch in text)
"""),
    Variant("""
table = {c: chr((ord(c) - 97 + k) % 26 + 97) for c in "abcdefghijklmnopqrstuvwxyz"}
return "".join([table[ch] for ch in text])
"""),
)

problem(
    "count_vowels", [("text", "str")], lambda r, n: (_word(r, n),), (3000, 12000),
    Variant("""
total = 0
for ch in text:
    if ch in "aeiou":
        total += 1
return total
"""),
    Variant("""
return sum(1 for ch in text if ch in "aeiou")
"""),
    Variant("""
total = 0
for ch in text:
    if ch in list("aeiou"):  #@
        total += 1
return total
""", "invariant-in-loop"),
    Variant("""
return sum(text.count(v) for v in "aeiou")
"""),
)

problem(
    "is_palindrome_prefixes", [("text", "str")], lambda r, n: (_word(r, n),), (300, 1200),
    Variant("""
count = 0
for i in range(1, len(text) + 1):
    if text[:i] == text[:i][::-1]:  #@
        count += 1
return count
""", "slice-copy"),
    Variant("""
count = 0
for i in range(1, len(text) + 1):
    lo, hi = 0, i - 1
    ok = True
    while lo < hi:
        if text[lo] != text[hi]:
            ok = False
            break
        lo += 1
        hi -= 1
    if ok:
        count += 1
return count
"""),
)

# -- aggregates ------------------------------------------------------------------------------

problem(
    "prefix_sums", [("xs", "ints")], lambda r, n: (_ints(r, n),), (400, 1600),
    Variant("""
out = []
for i in range(len(xs)):
    out.append(sum(xs[:i + 1]))  #@
return out
""", "recomputed-aggregate"),
    Variant("""
out = []
total = 0
for x in xs:
    total += x
    out.append(total)
return out
"""),
    Variant("""
return list(accumulate(xs))
""", helpers="from itertools import accumulate\n"),
)

problem(
    "above_mean", [("xs", "ints")], lambda r, n: (_ints(r, n),), (400, 1600),
    Variant("""
out = []
for x in xs:
    if x > sum(xs) / len(xs):  #@
        out.append(x)
return out
""", "recomputed-aggregate"),
    Variant("""
mean = sum(xs) / len(xs)
out = []
for x in xs:
    if x > mean:
        out.append(x)
return out
"""),
    Variant("""
mean = sum(xs) / len(xs)
return [x for x in xs if x > mean]
"""),
)

problem(
    "normalise", [("xs", "ints")], lambda r, n: ([x + 1 for x in _ints(r, n)],), (400, 1600),
    Variant("""
return [x / max(xs) for x in xs]  #@
""", "recomputed-aggregate"),
    Variant("""
top = max(xs)
return [x / top for x in xs]
"""),
)

problem(
    "range_sums", [("xs", "ints"), ("qs", "ints")], lambda r, n: (_ints(r, n), _ints(r, n, n)), (300, 1200),
    Variant("""
res = []
for q in qs:
    res.append(sum(xs[:q]))  #@
return res
""", "recomputed-aggregate"),
    Variant("""
pre = [0]
for x in xs:
    pre.append(pre[-1] + x)
res = []
for q in qs:
    res.append(pre[q])
return res
"""),
    Variant("""
res = []
for q in qs:
    t = 0
    for i in range(q):  #@
        t += xs[i]
    res.append(t)
return res
""", "recomputed-aggregate"),
)

problem(
    "count_greater_after", [("xs", "ints")], lambda r, n: (_ints(r, n),), (200, 800),
    Variant("""
res = []
for i in range(len(xs)):
    res.append(max(xs[i:]))  #@
return res
""", "recomputed-aggregate"),
    Variant("""
res = [0] * len(xs)
best = -1
for i in range(len(xs) - 1, -1, -1):
    best = max(best, xs[i])
    res[i] = best
return res
"""),
)

# -- joins -----------------------------------------------------------------------------------

problem(
    "join_tables", [("xs", "ints"), ("ys", "ints")], lambda r, n: (list(range(n)), _ints(r, n, n)), (300, 1200),
    Variant("""
pairs = []
for a in xs:
    for b in ys:
        if a == b:  #@
            pairs.append((a, b))
return len(pairs)
""", "nested-loop-join"),
    Variant("""
by_key = {}
for b in ys:
    by_key.setdefault(b, []).append(b)
pairs = []
for a in xs:
    for b in by_key.get(a, ()):
        pairs.append((a, b))
return len(pairs)
"""),
    Variant("""
counts = Counter(ys)
return sum(counts[a] for a in xs)
""", helpers="from collections import Counter\n"),
)

problem(
    "group_by_mod", [("xs", "ints"), ("m", "int")], lambda r, n: (_ints(r, n), 37), (400, 1600),
    Variant("""
groups = []
for r in range(m):
    groups.append([x for x in xs if x % m == r])  #@
return [len(g) for g in groups]
"""),
    Variant("""
groups = [[] for _ in range(m)]
for x in xs:
    groups[x % m].append(x)
return [len(g) for g in groups]
"""),
)

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

# -- numbers ---------------------------------------------------------------------------------

problem(
    "count_primes", [("n", "int")], lambda r, n: (n,), (1500, 6000),
    Variant("""
count = 0
for k in range(2, n):
    ok = True
    for d in range(2, k):  #@
        if k % d == 0:
            ok = False
            break
    if ok:
        count += 1
return count
""", "brute-force"),
    Variant("""
count = 0
for k in range(2, n):
    ok = True
    d = 2
    while d * d <= k:
        if k % d == 0:
            ok = False
            break
        d += 1
    if ok:
        count += 1
return count
"""),
    Variant("""
sieve = [True] * n
sieve[:2] = [False] * min(2, n)
for i in range(2, int(n ** 0.5) + 1):
    if sieve[i]:
        sieve[i * i::i] = [False] * len(range(i * i, n, i))
return sum(sieve)
"""),
)

problem(
    "divisor_sum", [("n", "int")], lambda r, n: (n * 50,), (2000, 8000),
    Variant("""
total = 0
for d in range(1, n + 1):  #@
    if n % d == 0:
        total += d
return total
""", "brute-force"),
    Variant("""
total = 0
d = 1
while d * d <= n:
    if n % d == 0:
        total += d
        if d * d != n:
            total += n // d
    d += 1
return total
"""),
)

problem(
    "gcd_all", [("xs", "ints")], lambda r, n: ([x + 1 for x in _ints(r, n, 10 ** 6)],), (300, 1200),
    Variant("""
g = xs[0]
for x in xs[1:]:
    a = min(g, x)
    while a > 1 and (g % a or x % a):  #@
        a -= 1
    g = a
return g
""", "brute-force"),
    Variant("""
g = 0
for x in xs:
    g = gcd(g, x)
return g
""", helpers="from math import gcd\n"),
)

problem(
    "power_mod", [("n", "int")], lambda r, n: (n * 20,), (2000, 8000),
    Variant("""
res = 1
for _ in range(n):  #@
    res = res * 3 % 1000000007
return res
""", "brute-force"),
    Variant("""
return pow(3, n, 1000000007)
"""),
)

problem(
    "sum_squares", [("n", "int")], lambda r, n: (n * 20,), (2000, 8000),
    Variant("""
total = 0
for i in range(1, n + 1):
    total += i * i
return total
"""),
    Variant("""
return sum(i * i for i in range(1, n + 1))
"""),
    Variant("""
return n * (n + 1) * (2 * n + 1) // 6
"""),
    Variant("""
total = 0
i = 1
while i <= n:
    total = total + i ** 2
    i += 1
return total
"""),
)

problem(
    "digit_sum", [("xs", "ints")], lambda r, n: (_ints(r, n, 10 ** 9),), (2000, 8000),
    Variant("""
total = 0
for x in xs:
    total += sum(int(c) for c in str(x))
return total
"""),
    Variant("""
total = 0
for x in xs:
    while x:
        total += x % 10
        x //= 10
return total
"""),
    Variant("""
total = 0
for x in xs:
    total += sum(map(int, str(x)))
return total
"""),
)

problem(
    "matrix_trace_power", [("n", "int")], lambda r, n: (n,), (30, 60),
    Variant("""
a = [[(i + j) % 7 for j in range(n)] for i in range(n)]
c = [[0] * n for _ in range(n)]
for i in range(n):
    for j in range(n):
        for k in range(n):
            c[i][j] += a[i][k] * a[k][j]
return sum(c[i][i] for i in range(n))
"""),
    Variant("""
a = [[(i + j) % 7 for j in range(n)] for i in range(n)]
return sum(a[i][k] * a[k][i] for i in range(n) for k in range(n))
"""),
)

problem(
    "lis_length", [("xs", "ints")], lambda r, n: (_ints(r, n),), (300, 1200),
    Variant("""
best = [1] * len(xs)
for i in range(len(xs)):
    for j in range(i):  #@
        if xs[j] < xs[i] and best[j] + 1 > best[i]:
            best[i] = best[j] + 1
return max(best) if best else 0
""", "brute-force"),
    Variant("""
tails = []
for x in xs:
    i = bisect_left(tails, x)
    if i == len(tails):
        tails.append(x)
    else:
        tails[i] = x
return len(tails)
""", helpers="from bisect import bisect_left\n"),
)

# -- neutral rewrites: equally fast variants ----------------------------------------------------

problem(
    "squares_even", [("xs", "ints")], lambda r, n: (_ints(r, n),), (3000, 12000),
    Variant("""
out = []
for x in xs:
    if x % 2 == 0:
        out.append(x * x)
return out
"""),
    Variant("""
return [x * x for x in xs if x % 2 == 0]
"""),
    Variant("""
out = []
for x in xs:
    if x % 2:
        continue
    out.append(x * x)
return out
"""),
)

problem(
    "max_value", [("xs", "ints")], lambda r, n: (_ints(r, n),), (3000, 12000),
    Variant("""
best = xs[0]
for x in xs:
    if x > best:
        best = x
return best
"""),
    Variant("""
return max(xs)
"""),
    Variant("""
best = xs[0]
for i in range(1, len(xs)):
    best = max(best, xs[i])
return best
"""),
)

problem(
    "word_lengths", [("words", "words")], lambda r, n: ([_word(r, r.randrange(1, 8)) for _ in range(n)],), (3000, 12000),
    Variant("""
lengths = {}
for w in words:
    lengths[w] = len(w)
return len(lengths)
"""),
    Variant("""
return len({w: len(w) for w in words})
"""),
    Variant("""
lengths = dict()
for w in words:
    if w not in lengths:
        lengths[w] = len(w)
return len(lengths)
"""),
)

problem(
    "any_negative", [("xs", "ints")], lambda r, n: ([x + 1 for x in _ints(r, n)],), (3000, 12000),
    Variant("""
found = False
for x in xs:
    if x < 0:
        found = True
        break
return found
"""),
    Variant("""
return any(x < 0 for x in xs)
"""),
    Variant("""
return min(xs) < 0
"""),
)

problem(
    "histogram", [("xs", "ints")], lambda r, n: (_ints(r, n, 10),), (3000, 12000),
    Variant("""
bins = [0] * 10
for x in xs:
    bins[x] += 1
return bins
"""),
    Variant("""
c = Counter(xs)
return [c[i] for i in range(10)]
""", helpers="from collections import Counter\n"),
    Variant("""
return [xs.count(i) for i in range(10)]
"""),
)


def problems() -> list[Problem]:
    return list(P)


def by_name() -> dict[str, Problem]:
    return {p.name: p for p in P}
