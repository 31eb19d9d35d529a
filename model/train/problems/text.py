"""Strings, aggregates and joins: problems for the training set (see the package docstring)."""

from __future__ import annotations

from hasten.model.train.problems.base import Variant, _ints, _word, problem


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
