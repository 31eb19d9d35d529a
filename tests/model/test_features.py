"""The shared feature path: normalization, structure, line mapping, vocabulary, windows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hasten.analyzers.source import Source
from hasten.model.features import (
    ATTR,
    CLS,
    MAX_LEN,
    NAME,
    UNK,
    Vocab,
    batch_arrays,
    extract_units,
    function_unit_at,
    function_units,
    module_unit,
    windows,
)

CODE = '''\
import bisect


class Box:
    def find(self, items, target=10):
        """Docstring is dropped."""
        seen = set()
        for item in items:  # a comment
            if item in seen:
                return items.index(item)
            seen.add(item)
        return len("text") + 3.5 + 0


def outer():
    def inner(x):
        return inner(x - 1)
    return inner


total = 0
for k in range(5):
    total += k
'''


def unit(name: str, code: str = CODE):
    return next(u for u in extract_units(Source(code)) if u.qualname == name)


def test_units_and_qualnames():
    names = [u.qualname for u in extract_units(Source(CODE))]
    assert names == ["Box.find", "outer", "outer.<locals>.inner", "<module>"]


def test_locals_are_renamed_and_renaming_does_not_change_tokens():
    u = unit("Box.find")
    renamed = CODE.replace("items", "xs").replace("seen", "visited").replace("item", "el")
    assert unit("Box.find", renamed).tokens == u.tokens
    assert "v0" in u.tokens and "items" not in " ".join(u.tokens)


def test_builtins_methods_keywords_and_structure_are_kept():
    toks = unit("Box.find").tokens
    for t in ("b:set", "b:len", ".index", ".add", "for", "in", "if", "return", "self", "<block>", "</block>"):
        assert t in toks, t
    assert "." not in toks  # the attribute token carries the dot


def test_literals_are_normalized_but_small_ints_kept():
    toks = unit("Box.find").tokens
    assert "<str>" in toks and "<float>" in toks and "<num>" in toks and "0" in toks
    assert not any("Docstring" in t or "text" in t for t in toks)


def test_recursive_calls_are_marked():
    toks = unit("outer.<locals>.inner").tokens
    assert toks.count("<rec>") == 2  # the def name and the call


def test_loop_depth():
    u = unit("Box.find")
    depth_of = {}
    for t, d, ln in zip(u.tokens, u.token_depths, u.token_lines):
        depth_of.setdefault((t, ln), d)
    assert depth_of[(".index", 10)] == 1
    assert depth_of[("b:set", 7)] == 0


def test_tokens_map_to_their_lines():
    src = Source(CODE)
    u = unit("Box.find")
    for tok, line in zip(u.tokens, u.token_lines):
        if tok.startswith("."):
            assert tok[1:] in src.line_text(line - 1)
    assert (u.start_line, u.end_line) == (5, 12)
    assert min(u.token_lines) == 5 and max(u.token_lines) == 12


def test_module_unit_skips_defs_and_imports():
    m = module_unit(Source(CODE))
    assert m is not None and m.start_line == 21 and m.end_line == 23
    assert "def" not in m.tokens and "import" not in m.tokens
    assert module_unit(Source("import os\nx = 1\n")) is None  # too small to score


def test_function_unit_at_matches_function_units():
    src = Source(CODE)
    for u in function_units(src):
        assert function_unit_at(src, u.start_byte).tokens == u.tokens


def test_decorators_belong_to_the_function():
    u = extract_units(Source("@lru_cache(maxsize=None)\ndef f(n):\n    return f(n - 1) + 1\n"))[0]
    assert u.start_line == 1 and u.tokens[:2] == ["@", "g:lru_cache"]


def test_syntax_errors_do_not_crash():
    assert isinstance(extract_units(Source("def f(:\n    return [\n")), list)


def test_vocab_round_trip_and_fallbacks(tmp_path):
    v = Vocab.build([["v0", ".append", "b:len"], ["v0", ".append"]], min_count=1)
    path = tmp_path / "vocab.json"
    v.save(path)
    w = Vocab.load(path)
    assert w.itos == v.itos
    assert json.loads(path.read_text())["format"] == "hasten-vocab/1"
    assert w.id(".never_seen") == w.stoi[ATTR]
    assert w.id("g:never_seen") == w.stoi[NAME]
    assert w.id("???") == w.stoi[UNK]


def test_windows_cover_long_units():
    body = "\n".join(f"    x{i} = y + {i}" for i in range(300))
    u = extract_units(Source(f"def f(y):\n{body}\n    return 1\n"))[0]
    v = Vocab.build([u.tokens], min_count=1)
    ws = windows(u, v)
    assert len(ws) > 1 and all(len(w.ids) <= MAX_LEN for w in ws)
    assert all(w.ids[0] == v.stoi[CLS] for w in ws)
    assert ws[-1].lines[-1] == u.token_lines[-1]
    ids, depths, mask = batch_arrays(ws)
    assert ids.shape == depths.shape == mask.shape and ids.dtype.name == "int64"


# -- canonical layout: formatting-only edits leave the tokens unchanged --------------------------

_LAYOUT_CASES = [
    ("def f(s):\n    if (s < 0):\n        return (s)\n    return s\n", "def f(s):\n    if s < 0:\n        return s\n    return s\n"),
    ("def f(a, b):\n    a, b = b, a + b\n    return a\n", "def f(a, b):\n    (a, b) = (b, a + b)\n    return a\n"),
    ("def f(xs):\n    return sum(x for x in xs)\n", "def f(xs):\n    return sum((x for x in xs))\n"),
    ("def f(xs):\n    ys = [1, 2, 3,]\n    n = 0; m = 1\n    return ys\n", "def f(xs):\n    ys = [1, 2, 3]\n    n = 0\n    m = 1\n    return ys\n"),
    ("def f():\n    class A():\n        pass\n    return A\n", "def f():\n    class A:\n        pass\n    return A\n"),
    ("def renamed(items):\n    total = 0\n    for item in items:\n        total += item\n    return total\n",
     "def f(xs):\n    acc = 0\n    for x in xs:\n        acc += x\n    return acc\n"),
]


@pytest.mark.parametrize("a,b", _LAYOUT_CASES)
def test_formatting_and_names_do_not_change_tokens(a, b):
    ua, ub = extract_units(Source(a)), extract_units(Source(b))
    assert [u.tokens for u in ua] == [u.tokens for u in ub]


def test_unparse_round_trip_keeps_tokens_on_real_code():
    import ast
    import json as json_module

    text = Path(json_module.__file__).read_text(encoding="utf-8")
    before = [u.tokens for u in extract_units(Source(text))]
    after = [u.tokens for u in extract_units(Source(ast.unparse(ast.parse(text))))]
    assert before == after


def test_one_element_tuple_keeps_its_comma():
    (u,) = extract_units(Source("def f(a):\n    return (a,)\n"))
    assert "," in u.tokens
