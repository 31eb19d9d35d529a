"""Size facts: evidence that a collection or a loop's iterable can be large, and cold code."""

from __future__ import annotations

import textwrap

import pytest

from hasten.analyzers.source import Source
from hasten.analyzers.syntax.cold import in_cold_code
from hasten.analyzers.syntax.sizes import known_small, loop_size_evidence, size_evidence
from hasten.analyzers.syntax.tree import walk


def node_at(code: str, text: str, marker: str = "TARGET"):
    """The last node spelled ``text`` on the line marked ``# TARGET``."""
    source = Source(textwrap.dedent(code))
    line = next(i for i, t in enumerate(source.text.splitlines()) if marker in t)
    found = [n for n in walk(source.tree.root_node) if n.start_point[0] == line and n.text.decode() == text]
    assert found, f"no {text!r} on the marked line"
    return found[-1]


@pytest.mark.parametrize(
    ("code", "name", "evidence"),
    [
        # a parameter: its size is the caller's
        ("def f(items, names):\n    return [i for i in items if i in names]  # TARGET", "names", "parameter"),
        # input
        ("names = open('f').read().split()\nfor x in y:\n    x in names  # TARGET", "names", "read"),
        ("import sys\nnames = sys.stdin.readlines()\nnames  # TARGET", "names", "readlines"),
        # a comprehension over a parameter
        ("def f(rows):\n    names = [r.name for r in rows]\n    names  # TARGET", "names", "parameter"),
        # a list filled in a loop over a parameter
        ("def f(rows):\n    seen = []\n    for r in rows:\n        seen.append(r)\n    seen  # TARGET", "seen", "filled in a loop"),
        # a dict filled in a loop over a file, then listed
        ("table = {}\nfor line in open('f'):\n    table[line] = 1\nnames = list(table.keys())\nnames  # TARGET", "names", "open"),
        # an attribute filled by a method other than __init__
        ("class C:\n    def __init__(self):\n        self.xs = []\n    def add(self, x):\n        self.xs.append(x)\n"
         "    def f(self):\n        self.xs  # TARGET", "self.xs", "add()"),
        # an annotated local whose value the layer cannot see into
        ("def f(load):\n    names: list[str] = load()\n    names  # TARGET", "names", "annotated"),
    ],
)
def test_evidence(code, name, evidence):
    found = size_evidence(node_at(code, name))
    assert found is not None and evidence in found


@pytest.mark.parametrize(
    "code",
    [
        "names = ['a', 'b', 'c']\nfor x in y:\n    x in names  # TARGET",
        "names = 'a b c'.split()\nfor x in y:\n    x in names  # TARGET",
        "def f(path):\n    names = path.split('/')\n    names  # TARGET",
        "def f(x, names=('a', 'b')):\n    names  # TARGET",
        "def _helper(names):\n    names  # TARGET\n\n_helper(('a', 'b'))",
        "def f(unknown):\n    names = unknown.attribute\n    names  # TARGET",
    ],
)
def test_no_evidence(code):
    assert size_evidence(node_at(code, "names")) is None


def test_private_helper_passed_large_data():
    code = "def _helper(names):\n    names  # TARGET\n\n_helper(open('f').readlines())"
    assert "readlines" in size_evidence(node_at(code, "names"))


def loop_at(code: str):
    source = Source(textwrap.dedent(code))
    line = next(i for i, t in enumerate(source.text.splitlines()) if "TARGET" in t)
    return next(n for n in walk(source.tree.root_node) if n.type in ("for_statement", "while_statement") and n.start_point[0] == line)


@pytest.mark.parametrize(
    ("code", "grows"),
    [
        ("for i in range(1000):  # TARGET\n    pass", True),
        ("for i in range(3):  # TARGET\n    pass", False),
        ("for w in ('a', 'b'):  # TARGET\n    pass", False),
        ("n = int(input())\nfor i in range(n):  # TARGET\n    pass", True),
        ("def f(xs):\n    for i in range(len(xs)):  # TARGET\n        pass", True),
        ("def f(q):\n    while q:  # TARGET\n        q.pop()", True),
        ("i = 0\nwhile i < 5:  # TARGET\n    i += 1", False),
    ],
)
def test_loops(code, grows):
    assert (loop_size_evidence(loop_at(code)) is not None) is grows


@pytest.mark.parametrize(
    ("code", "small"),
    [
        ("names = ['a', 'b']\nfor x in y:\n    names  # TARGET", True),
        ("cols = ['a', 'b']\ncols = [c for c in cols if c]\ncols  # TARGET", True),
        ("def f(p):\n    names = list(p.split('/'))\n    names  # TARGET", True),
        ("names = ['a']\nfor x in y:\n    names.append(x)\nnames  # TARGET", False),
        ("def f(names):\n    names  # TARGET", False),
    ],
)
def test_known_small(code, small):
    name = "cols" if "cols  #" in code else "names"
    assert known_small(node_at(code, name)) is small


@pytest.mark.parametrize(
    ("code", "cold"),
    [
        # a competitive-programming loop reads data with a bare input(): hot code
        ("for _ in range(int(input())):\n    x = input()\n    print(x)  # TARGET", False),
        # an interactive prompt loop asks a person: cold
        ("while True:\n    cmd = input('> ')\n    print(cmd)  # TARGET", True),
        ("def main():\n    name = input('Name? ')\n    for c in name:\n        print(c)  # TARGET", True),
        ("def __repr__(self):\n    return 1\ndef show(xs):\n    for x in xs:\n        print(x)  # TARGET", True),
    ],
)
def test_cold_code(code, cold):
    assert in_cold_code(node_at(code, "print")) is cold
