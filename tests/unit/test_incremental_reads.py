"""The editor's incremental checker against a whole-file check, for facts that cross definitions.

A method's findings may depend on its class's other methods (``self.x`` is a list because
``__init__`` assigns one), on a module-level function's returns, on names bound anywhere in the
file (a shadowed builtin) and on imports anywhere. The checker re-checks a cached definition when
one of the facts it read outside itself changed; random edits aimed at exactly those facts must
never make it disagree with ``check()``.
"""

from __future__ import annotations

import random

import pytest

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config, ModelConfig
from hasten.analyzers.incremental import IncrementalChecker
from hasten.analyzers.source import Source

BASE = '''\
import pandas as pd


def load_words():
    return [line.strip() for line in open("words.txt")]


def load_set():
    return {line.strip() for line in open("words.txt")}


class Registry:
    def __init__(self):
        self.names = [n.strip() for n in open("names.txt")]
        self.seen = set()

    def reset(self):
        self.other = 1

    def listed(self):
        return [1, 2, 3]

    def known(self, items):
        return [i for i in items if i in self.names]

    def fresh(self, items):
        return [i for i in items if i in self.seen]

    def via_method(self, items):
        known = self.listed()
        return [i for i in items if i in known]


class Child(Registry):
    def grow(self):
        self.flag = 0


def uses_project(items):
    words = load_words()
    return [i for i in items if i in words]


def copies(rows):
    out = []
    for r in rows:
        out.append(r)
    return out


def scans(rows, x):
    return any([r == x for r in rows])


def frames(frame):
    total = 0
    for i in range(len(frame)):
        total += frame.iloc[i]["a"]
    return total
'''

# (old, new) replacements, each changing a fact that definitions other than the edited one read.
EDITS = [
    ('self.names = [n.strip() for n in open("names.txt")]', 'self.names = {n.strip() for n in open("names.txt")}'),
    ("self.other = 1", "self.names = set()"),
    ("self.other = 1", "self.seen = []"),
    ("self.flag = 0", "self.names = {}"),
    ("self.flag = 0", "setattr(self, 'names', 1)"),
    ("class Child(Registry):", "class Child(object):"),
    ("return [1, 2, 3]", "return {1, 2, 3}"),
    ("def listed(self):", "@staticmethod\n    def listed(self):"),
    ("return [line.strip() for line in open(\"words.txt\")]", "return {line.strip() for line in open(\"words.txt\")}"),
    ("def load_words():", "def load_words_renamed():"),
    ("def load_set():", "def load_words():"),
    ("    total = 0\n", "    total = 0\n    list = dict\n"),
    ("    out = []\n", "    out = []\n    any = all\n"),
    ("def copies(rows):", "def copies(rows, list=None):"),
    ("import pandas as pd\n", ""),
    ("import pandas as pd\n", "import numpy as pd\n"),
    ("    return total\n", "    return total\n\n\ndef later():\n    import pandas\n    pd = 1\n"),
    ("    total = 0\n", "    total = 0\n    from pandas import DataFrame as range\n"),
    ("def reset(self):", "def reset(self, items):\n        for self.seen in items:\n            pass\n\n    def reset2(self):"),
]

CONFIGS = [
    Config(model=ModelConfig(enable=False)),
    Config(model=ModelConfig(enable=False), preview=True),
]


def _key(findings):
    return [(f.code, f.start, f.end, f.message, f.severity, f.fix) for f in findings]


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "preview"])
@pytest.mark.parametrize("seed", range(12))
def test_edits_to_facts_read_across_definitions(config, seed):
    rng = random.Random(seed)
    checker = IncrementalChecker()
    text = BASE
    checker.check(Source(text), config)
    for step in range(10):
        applicable = [e for e in EDITS if e[0] in text]
        if rng.random() < 0.3 or not applicable:
            text = BASE  # undo everything: cached entries from earlier revisions come back
        else:
            old, new = rng.choice(applicable)
            text = text.replace(old, new, 1)
        got = checker.check(Source(text), config)
        expected = check(Source(text), config)
        assert _key(got.findings) == _key(expected.findings), f"seed {seed} step {step}:\n{text}"


def test_a_method_edit_rechecks_that_method_only():
    """An edit inside one method of a large class, which changes no fact another method reads."""
    config = CONFIGS[1]
    methods = "".join(
        f"    def m{i}(self, items):\n        return [x for x in items if x in self.names]\n\n" for i in range(40)
    )
    text = "class Big:\n    def __init__(self):\n        self.names = [n for n in open(\"f\")]\n\n" + methods
    checker = IncrementalChecker()
    first = checker.check(Source(text), config)
    assert len([f for f in first.findings if f.code == "HS101"]) == 40
    edited = text.replace("    def m7(self, items):\n", "    def m7(self, items):\n        y = 1\n", 1)
    got = checker.check(Source(edited), config)
    assert checker.checked == 1
    assert _key(got.findings) == _key(check(Source(edited), config).findings)
    # __init__ decides what self.names is: every method that reads it is checked again.
    changed = edited.replace("self.names = [n for n in open(\"f\")]", "self.names = {n for n in open(\"f\")}", 1)
    got = checker.check(Source(changed), config)
    assert checker.checked == 41
    assert _key(got.findings) == _key(check(Source(changed), config).findings)


def test_a_class_with_a_syntax_error_in_one_member():
    """A comment line between a decorator and its ``def`` is a syntax error to tree-sitter: the
    class's other methods are still cached one by one, and the answer is the whole-file check's."""
    config = CONFIGS[1]
    methods = "".join(
        f"    @property\n    def p{i}(self):\n        return [x for x in self.items if x in self.names]\n\n" for i in range(6)
    )
    text = "class Big:\n    def __init__(self):\n        self.names = [n for n in open('f')]\n\n" + methods
    checker = IncrementalChecker()
    checker.check(Source(text), config)
    broken = text.replace("    @property\n    def p3", "    @property\n# edit\n    def p3", 1)
    assert Source(broken).tree.root_node.has_error
    for revision in (broken, broken.replace("def p5(self):\n", "def p5(self):\n        y = 1\n", 1), text):
        got = checker.check(Source(revision), config)
        assert _key(got.findings) == _key(check(Source(revision), config).findings)
    checker.check(Source(broken), config)
    checker.check(Source(broken.replace("def p5(self):\n", "def p5(self):\n        z = 2\n", 1)), config)
    assert checker.checked == 1


SIZES = '''\
WORDS = ["a", "b"]


def _scan(items, known):
    out = []
    for x in items:
        if x in known:
            out.append(x)
    return out


def caller():
    return _scan(["x"], ["y"])


class Box:
    def __init__(self):
        self.names = ["a"]

    def fill(self, rows):
        pass

    def find(self, items):
        return [x for x in items if x in self.names]


def scan_words(items):
    return [x for x in items if x in WORDS]
'''

# Each edit changes a size fact read outside the definition that reports: a private helper's
# call sites, what another method adds to self.x, a module-level binding.
SIZE_EDITS = [
    ('return _scan(["x"], ["y"])', 'return _scan(open("f").read().split(), open("g").read().split())'),
    ("    def fill(self, rows):\n        pass", "    def fill(self, rows):\n        for r in rows:\n            self.names.append(r)"),
    ('WORDS = ["a", "b"]', 'WORDS = open("w").read().split()'),
]


@pytest.mark.parametrize("seed", range(8))
def test_size_facts_read_across_definitions(seed):
    """The size facts (is the data large?) may come from other definitions too: the incremental
    answer stays the whole-file check's when only those other definitions change."""
    config = CONFIGS[1]
    rng = random.Random(seed)
    checker = IncrementalChecker()
    text = SIZES
    checker.check(Source(text), config)
    for step in range(8):
        applicable = [e for e in SIZE_EDITS if e[0] in text] + [(e[1], e[0]) for e in SIZE_EDITS if e[1] in text]
        old, new = rng.choice(applicable)
        text = text.replace(old, new, 1)
        got = checker.check(Source(text), config)
        assert _key(got.findings) == _key(check(Source(text), config).findings), f"seed {seed} step {step}:\n{text}"


def test_size_edits_change_findings():
    """The cases above are not vacuous: each edit changes what the whole-file check reports."""
    config = CONFIGS[1]
    before = _key(check(Source(SIZES), config).findings)
    for old, new in SIZE_EDITS:
        assert _key(check(Source(SIZES.replace(old, new, 1)), config).findings) != before, old
