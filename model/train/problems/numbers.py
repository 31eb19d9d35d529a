"""Numbers and neutral rewrites (equally fast variants): problems for the training set (see the package docstring)."""

from __future__ import annotations

from hasten.model.train.problems.base import Variant, _ints, _word, problem


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
