"""analyze(): radon's figures per function, names and lines, files with syntax errors."""

from __future__ import annotations

import textwrap

from hasten.analyzers.metrics import (
    analyze,
    analyze_text,
    cc_rank,
    metrics_for,
)
from hasten.analyzers.source import Source
from hasten.server.metrics_presentation import hover_markdown

CODE = textwrap.dedent(
    """\
    import functools


    class Shop:
        def total(self, items):
            # sum the prices
            return sum(i.price for i in items if i.price > 0)

        @functools.cache
        def dedupe(self, items):
            out = []
            for item in items:
                if item not in out:
                    out.append(item)
            return out


    def outer(xs):
        def inner(x):
            return -x if x < 0 else x
        return [inner(x) for x in xs]
    """
)


def test_functions_methods_and_nested_functions():
    metrics = analyze_text(CODE, "shop.py")
    assert [(f.qualname, f.line) for f in metrics.functions] == [
        ("Shop.total", 5),
        ("Shop.dedupe", 10),
        ("outer", 18),
        ("outer.<locals>.inner", 19),
    ]
    by_name = {f.qualname: f for f in metrics.functions}
    assert by_name["Shop.total"].complexity == 3  # 1 + comprehension + its if
    assert by_name["Shop.dedupe"].complexity == 3
    assert by_name["outer.<locals>.inner"].complexity == 2
    assert all(f.complexity_source == "radon" for f in metrics.functions)
    assert by_name["Shop.total"].is_method and not by_name["outer"].is_method
    assert by_name["Shop.dedupe"].growth.label() == "O(n²)"
    assert by_name["Shop.total"].halstead is not None and by_name["Shop.total"].halstead.volume > 0
    assert by_name["Shop.total"].loc.loc == 3 and by_name["Shop.total"].loc.comments == 1
    assert metrics.maintainability is not None and 0 <= metrics.maintainability <= 100
    assert metrics.maintainability_rank in ("A", "B", "C")
    assert by_name["Shop.total"].maintainability is not None
    assert metrics.notes == []


def test_name_positions_point_at_the_name():
    source = Source(CODE, "shop.py")
    metrics = analyze(source)
    for fn in metrics.functions:
        assert source.slice(fn.name_start, fn.name_end) == fn.name
        assert metrics.function_at(fn.name_start) is fn


def test_ranks():
    assert [cc_rank(c) for c in (1, 5, 6, 10, 11, 20, 21, 30, 31, 40, 41)] == list("AABBCCDDEEF")


def test_syntax_error_file_gets_tree_sitter_metrics_and_a_note():
    code = textwrap.dedent(
        """\
        def broken(xs):
            for x in xs:
                if x in xs.index(3) and x
                    pass

        def fine(xs, ys):
            return [x for x in xs for y in ys if x == y or x > y]
        """
    )
    metrics = analyze_text(code, "broken.py")
    assert metrics.maintainability is None
    assert len(metrics.notes) == 1 and "broken.py:3" in metrics.notes[0] and "tree-sitter" in metrics.notes[0]
    by_name = {f.name: f for f in metrics.functions}
    assert set(by_name) == {"broken", "fine"}
    fine = by_name["fine"]
    assert fine.complexity_source == "tree-sitter"
    assert fine.complexity == 5  # 1 + two for-clauses + if + or
    assert fine.growth.label() == "O(n²)"
    assert fine.halstead is None and fine.loc.loc == 2
    assert by_name["broken"].growth.known


def test_never_raises_on_garbage():
    for text in ("", "def", "def f(:\n", "class A:\n  def", "\x00\x01", "def f():\n" + "  " * 50 + "(" * 300, "λ = 1\n"):
        metrics = analyze_text(text, "g.py")
        assert isinstance(metrics.functions, list)


def test_metrics_for_is_cached_per_source():
    source = Source(CODE, "shop.py")
    assert metrics_for(source) is metrics_for(source)


def test_hover_markdown_lists_everything():
    metrics = analyze_text(CODE, "shop.py")
    fn = metrics.functions[1]
    text = hover_markdown(fn, metrics)
    for needle in ("Shop.dedupe", "complexity 3 (A)", "Halstead volume", "Halstead difficulty", "maintainability", "O(n²)", "line 12"):
        assert needle in text, needle
