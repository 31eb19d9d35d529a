"""Every mutation operator rewrites a real-looking function into code that parses and differs."""

from __future__ import annotations

import random

import pytest

from hasten.analyzers.source import Source
from hasten.model.features import CATEGORIES, function_unit_at
from hasten.model.train.mutations import OPERATORS, OPERATORS_BY_NAME, apply_edits, mutate
from hasten.model.train.sites import descendants

CASES = {
    "set_to_list": """
def unique(items):
    seen = set()
    out = []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
""",
    "membership_list_copy": """
def common(a, b):
    return [x for x in a if x in b] + [y for y in b if y in a]

def keep(xs, allowed):
    out = []
    for x in xs:
        if x in allowed:
            out.append(x)
    return out
""",
    "dict_get_to_scan": """
def lookup(keys, table):
    return [table.get(k, 0) for k in keys]
""",
    "deque_to_list": """
from collections import deque

def bfs(start, graph):
    queue = deque([start])
    while queue:
        node = queue.popleft()
        queue.extend(graph[node])
""",
    "min_max_via_sort": """
def spread(values):
    return max(values) - min(values, key=abs)
""",
    "bisect_to_linear": """
import bisect

def rank(sorted_xs, x):
    return bisect.bisect_left(sorted_xs, x)
""",
    "append_to_concat": """
def squares(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out
""",
    "membership_via_count": """
def known(word, text):
    words = text.split()
    return word in words
""",
    "invariant_into_loop": """
def scale(rows, factor):
    out = []
    k = compute(factor)
    for r in rows:
        out.append(r * k)
    return out
""",
    "comprehension_to_loop": """
def evens(xs):
    result = [x for x in xs if x % 2 == 0]
    return result
""",
    "extend_to_append_loop": """
def flatten(groups):
    out = []
    for g in groups:
        out.extend(g)
    return out
""",
    "enumerate_to_range_len": """
def positions(xs, target):
    hits = []
    for i, x in enumerate(xs):
        if x == target:
            hits.append(i)
    return hits
""",
    "join_to_concat": """
def render(cells):
    parts = []
    for c in cells:
        parts.append(str(c))
    return ''.join(parts)
""",
    "set_literal_to_list": """
def is_vowel(ch):
    return ch in {'a', 'e', 'i', 'o', 'u'}
""",
    "uncache": """
from functools import lru_cache

@lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
""",
}


def test_at_least_twelve_documented_operators():
    assert len(OPERATORS) >= 12
    import hasten.model.train.mutations as m

    for op in OPERATORS:
        assert op.category in CATEGORIES
        assert op.name in m.__doc__, f"{op.name} is not documented in the module docstring"


def test_every_operator_has_a_case():
    assert set(CASES) == set(OPERATORS_BY_NAME)


@pytest.mark.parametrize("name", sorted(CASES))
def test_operator_produces_parsing_different_code(name):
    src = Source(CASES[name].lstrip())
    op = OPERATORS_BY_NAME[name]
    applied = 0
    for fn in descendants(src.tree.root_node, "function_definition"):
        m = mutate(src, fn, op, random.Random(0))
        if m is None:
            continue
        new, ranges = apply_edits(src.data, list(m.edits))
        assert new != src.data
        new_src = Source(new.decode())
        assert not new_src.has_syntax_errors, new.decode()
        outer = fn.parent if fn.parent.type == "decorated_definition" else fn
        assert function_unit_at(new_src, outer.start_byte) is not None
        assert ranges
        applied += 1
    assert applied, f"{name} did not apply to its case"


def test_semantics_kept_on_examples():
    """Run original and mutant on an input and compare (for operators whose case is runnable)."""
    inputs = {
        "set_to_list": ("unique", ([3, 1, 3, 2, 1],)),
        "comprehension_to_loop": ("evens", ([1, 2, 3, 4],)),
        "join_to_concat": ("render", ([1, "a", 2.5],)),
        "enumerate_to_range_len": ("positions", ([1, 2, 1], 1)),
        "append_to_concat": ("squares", (5,)),
        "min_max_via_sort": ("spread", ([3, -7, 2],)),
        "bisect_to_linear": ("rank", ([1, 2, 2, 5], 2)),
        "set_literal_to_list": ("is_vowel", ("e",)),
        "extend_to_append_loop": ("flatten", ([[1], [2, 3]],)),
        "membership_via_count": ("known", ("b", "a b c")),
        "dict_get_to_scan": ("lookup", (["a", "z"], {"a": 1})),
        "uncache": ("fib", (15,)),
    }
    for name, (func, args) in inputs.items():
        src = Source(CASES[name].lstrip())
        fn = next(descendants(src.tree.root_node, "function_definition"))
        m = mutate(src, fn, OPERATORS_BY_NAME[name], random.Random(0))
        new, _ = apply_edits(src.data, list(m.edits))
        before, after = {}, {}
        exec(src.text, before)
        exec(new.decode(), after)
        assert before[func](*args) == after[func](*args), name


def test_apply_edits_rejects_overlaps():
    with pytest.raises(ValueError):
        apply_edits(b"abcdef", [(0, 3, "x"), (2, 4, "y")])
