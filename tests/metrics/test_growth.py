"""Growth classes on small examples: each function's source and the class it must get."""

from __future__ import annotations

import textwrap

import pytest
from hasten.analyzers.metrics import (
    CONSTANT,
    CUBIC,
    EXPONENTIAL,
    LINEAR,
    LOG,
    N_LOG_N,
    QUADRATIC,
    SQRT,
    Cost,
    analyze_text,
    parse_growth,
)

CASES = {
    "constant": ("def f(a, b):\n    return a + b\n", "O(1)"),
    "fixed_range": ("def f():\n    return [i * i for i in range(10)]\n", "O(1)"),
    "literal_loop": ("def f(c):\n    for v in 'aeiou':\n        if c == v:\n            return True\n", "O(1)"),
    "constant_name": ("def f(s):\n    vowels = 'aeiou'\n    return [c for c in vowels if c in s]\n", "O(1)"),
    "linear_loop": ("def f(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n", "O(n)"),
    "linear_builtin": ("def f(xs):\n    return sum(xs)\n", "O(n)"),
    "generator_once": ("def f(xs):\n    return sum(x * x for x in xs)\n", "O(n)"),
    "nested_range": ("def f(n):\n    for i in range(n):\n        for j in range(i, n):\n            pass\n", "O(n^2)"),
    "list_membership": (
        "def f(xs):\n    seen = []\n    for x in xs:\n        if x not in seen:\n            seen.append(x)\n    return seen\n",
        "O(n^2)",
    ),
    "set_membership": (
        "def f(xs):\n    seen = set()\n    for x in xs:\n        if x not in seen:\n            seen.add(x)\n    return seen\n",
        "O(n)",
    ),
    "index_in_loop": ("def f(xs):\n    return [xs.index(x) for x in xs]\n", "O(n^2)"),
    "count_in_loop": ("def f(xs):\n    return [x for x in xs if xs.count(x) == 1]\n", "O(n^2)"),
    "remove_in_loop": ("def f(xs, ys):\n    for y in ys:\n        xs.remove(y)\n", "O(n^2)"),
    "set_remove": ("def f(ys):\n    xs = set(ys)\n    for y in ys:\n        xs.remove(y)\n", "O(n)"),
    "pop_front": ("def f(q):\n    while q:\n        q.pop(0)\n", "O(n^2)"),
    "pop_back": ("def f(q):\n    while q:\n        q.pop()\n", "O(n)"),
    "insert_front": ("def f(xs):\n    out = []\n    for x in xs:\n        out.insert(0, x)\n    return out\n", "O(n^2)"),
    "sorted": ("def f(xs):\n    return sorted(xs)\n", "O(n log n)"),
    "sort_in_loop": ("def f(xs):\n    for x in xs:\n        xs.sort()\n", "O(n^2 log n)"),
    "slice_in_loop": ("def f(xs):\n    return [xs[i:] for i in range(len(xs))]\n", "O(n^2)"),
    "small_slice_in_loop": ("def f(xs):\n    return [xs[i:i + 2] for i in range(len(xs))]\n", "O(n)"),
    "list_copy_in_loop": ("def f(xs):\n    for x in xs:\n        ys = list(xs)\n", "O(n^2)"),
    "string_concat": ("def f(xs):\n    s = ''\n    for x in xs:\n        s += x\n    return s\n", "O(n^2)"),
    "nested_data": ("def f(words):\n    n = 0\n    for w in words:\n        for c in w:\n            n += 1\n    return n\n", "O(n)"),
    "nested_data_comprehension": ("def f(grid):\n    return [x for row in grid for x in row]\n", "O(n)"),
    "builtin_on_elements": ("def f(grid):\n    return [sum(row) for row in grid]\n", "O(n)"),
    "builtin_on_collection_in_loop": ("def f(xs):\n    return [sum(xs) for x in xs]\n", "O(n^2)"),
    "cubic": ("def f(a):\n    return [(x, y, z) for x in a for y in a for z in a]\n", "O(n^3)"),
    "fib": ("def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n", "O(2^n)"),
    "fib_cached": (
        "import functools\n\n@functools.lru_cache(None)\ndef fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
        "O(n)",
    ),
    "branches_not_fanout": (
        "def f(n):\n    if n <= 0:\n        return 0\n    if n % 2:\n        return f(n - 1)\n    else:\n        return f(n - 2)\n",
        "O(n)",
    ),
    "linear_recursion": ("def f(xs):\n    if not xs:\n        return 0\n    return xs[0] + f(xs[1:])\n", "O(n^2)"),
    "tree_recursion": ("def f(node):\n    if node is None:\n        return 0\n    return f(node.left) + f(node.right) + 1\n", "O(n)"),
    "walk_children": (
        "def f(obj):\n    out = []\n    for name in fields(obj):\n        out.append(f(getattr(obj, name)))\n    return out\n",
        "O(n)",
    ),
    "merge_sort": (
        "def f(a):\n    if len(a) < 2:\n        return a\n    mid = len(a) // 2\n    return merge(f(a[:mid]), f(a[mid:]))\n\n"
        "def merge(a, b):\n    out = []\n    while a and b:\n        out.append(a.pop() if a[-1] > b[-1] else b.pop())\n    return out\n",
        "O(n log n)",
    ),
    "permutations": (
        "def f(xs):\n    if not xs:\n        return [[]]\n    return [[x] + p for i, x in enumerate(xs) for p in f(xs[:i] + xs[i + 1:])]\n",
        "O(2^n)",
    ),
    "binary_search": (
        "def f(a, x):\n    lo, hi = 0, len(a) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n"
        "        if a[mid] < x:\n            lo = mid + 1\n        else:\n            hi = mid - 1\n    return lo\n",
        "O(log n)",
    ),
    "digits": ("def f(n):\n    s = 0\n    while n > 0:\n        s += n % 10\n        n //= 10\n    return s\n", "O(log n)"),
    "divide_by_base": ("def f(x, base):\n    out = []\n    while x > 0:\n        x, r = divmod(x, base)\n        out.append(r)\n    return out\n", "O(log n)"),
    "counter_loop": ("def f(n):\n    i = 0\n    while i < n:\n        i += 1\n    return i\n", "O(n)"),
    "sqrt_loop": ("def f(n):\n    for i in range(2, int(n ** 0.5) + 1):\n        if n % i == 0:\n            return False\n    return True\n", "O(sqrt(n))"),
    "calls_helper": ("def helper(xs):\n    return sorted(xs)\n\ndef f(xs):\n    for x in xs:\n        helper(xs)\n", "O(n^2 log n)"),
    "method_calls_method": (
        "class A:\n    def g(self, xs):\n        return [x for x in xs]\n\n    def f(self, xs):\n        for x in xs:\n            self.g(xs)\n",
        "O(n^2)",
    ),
}


def growth_of(code: str, name: str = "f"):
    metrics = analyze_text(textwrap.dedent(code))
    for fn in metrics.functions:
        if fn.name == name or fn.qualname == name:
            return fn.growth
    raise AssertionError(f"no function {name}")


@pytest.mark.parametrize("case", sorted(CASES))
def test_growth_class(case):
    code, expected = CASES[case]
    name = "fib" if "def fib" in code else "f"
    growth = growth_of(code, name)
    assert growth.label(ascii=True) == expected, growth.explanation()


@pytest.mark.parametrize(
    "code",
    [
        "def f():\n    while True:\n        if poll():\n            break\n",
        "def f(x):\n    while check(x):\n        x = step(x)\n",
        "def f(x):\n    return f(transform(x))\n",
    ],
)
def test_unknown_rather_than_guess(code):
    growth = growth_of(code)
    assert growth.cost is None
    assert growth.label() == "unknown"
    assert growth.unknown_because, "an unknown estimate names its reason"


def test_unknown_keeps_a_lower_bound():
    growth = growth_of("def f(xs):\n    for x in xs:\n        for y in xs:\n            pass\n    while True:\n        break\n")
    assert growth.cost is None
    assert growth.at_least == QUADRATIC


def test_justification_names_the_lines():
    code = "def f(xs):\n    out = []\n    for x in xs:\n        if x in out:\n            continue\n        out.append(x)\n"
    growth = growth_of(code)
    assert [r.line for r in growth.reasons] == [3, 4]
    assert "loop over `xs`" in growth.reasons[0].text
    assert "scans a list" in growth.reasons[1].text
    assert "line 4" in growth.explanation()


def test_nested_functions_are_measured_on_their_own():
    code = "def outer(xs):\n    def inner(ys):\n        return [y for y in ys for z in ys]\n    return len(xs)\n"
    metrics = analyze_text(code)
    by_name = {f.qualname: f for f in metrics.functions}
    assert by_name["outer"].growth.label() == "O(1)"
    assert by_name["outer.<locals>.inner"].growth.label() == "O(n²)"


def test_cost_order_and_labels():
    order = [CONSTANT, LOG, SQRT, LINEAR, N_LOG_N, QUADRATIC, CUBIC, EXPONENTIAL]
    assert order == sorted(order)
    assert [c.label() for c in order] == ["O(1)", "O(log n)", "O(√n)", "O(n)", "O(n log n)", "O(n²)", "O(n³)", "O(2ⁿ)"]
    assert QUADRATIC * LINEAR == CUBIC
    assert Cost(degree=4).label() == "O(n⁴)"


@pytest.mark.parametrize("text,cost", [("O(n^2)", QUADRATIC), ("O(n²)", QUADRATIC), ("n log n", N_LOG_N), ("O(2ⁿ)", EXPONENTIAL), ("O(1)", CONSTANT)])
def test_parse_growth(text, cost):
    assert parse_growth(text) == cost


def test_parse_growth_rejects_garbage():
    assert parse_growth("fast") is None
