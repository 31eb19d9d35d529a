"""The type-fact layer: what kind of value a name or ``self.x`` holds, and why."""

from __future__ import annotations

import textwrap

import pytest

from hasten.analyzers.source import Source
from hasten.analyzers.syntax.facts import fact_of
from hasten.analyzers.syntax.tree import walk


def fact_at(code: str, marker: str = "TARGET"):
    """The fact for the expression right before ``# TARGET`` (the membership container)."""
    source = Source(textwrap.dedent(code))
    line = next(i for i, text in enumerate(source.text.splitlines()) if marker in text)
    found = None
    for node in walk(source.tree.root_node):
        if node.type == "comparison_operator" and node.start_point[0] == line:
            found = node.named_children[-1]
    assert found is not None
    return fact_of(found)


@pytest.mark.parametrize(
    ("annotation", "kind"),
    [
        ("list[int]", "list"), ("List[str]", "list"), ("Optional[list[str]]", "list"),
        ("list[str] | None", "list"), ("Sequence[str]", "sequence"), ("tuple[str, ...]", "tuple"),
        ("set[str]", "set"), ("dict[str, int]", "dict"), ("str", "str"), ("np.ndarray", "ndarray"),
        ("tuple[int, int]", None), ("Iterable[str]", None), ("Collection[str]", None),
        ("list[int] | set[int]", None),
    ],
)
def test_annotations(annotation, kind):
    fact = fact_at(f"""
        def f(a, b: {annotation}):
            return [x for x in a if x in b]  # TARGET
    """)
    assert (fact.kind if fact else None) == kind
    if fact:
        assert fact.source == f"`b` is annotated `{annotation}`" and not fact.proven


def test_local_bindings_must_agree():
    assert fact_at("""
        def f(a):
            b = [1, 2]
            b = sorted(a)
            return [x for x in a if x in b]  # TARGET
    """).kind == "list"
    assert fact_at("""
        def f(a):
            b = [1, 2]
            b = set(a)
            return [x for x in a if x in b]  # TARGET
    """) is None
    assert fact_at("""
        def f(a):
            for b in a:
                pass
            b = []
            return [x for x in a if x in b]  # TARGET
    """) is None


def test_self_attribute_and_subclass():
    fact = fact_at("""
        class A:
            def __init__(self):
                self.names = []
            def f(self, a):
                return [x for x in a if x in self.names]  # TARGET
    """)
    assert fact.kind == "list" and fact.source == "`self.names` is assigned a list in `__init__`"
    assert fact_at("""
        class A:
            def __init__(self):
                self.names = []
            def f(self, a):
                return [x for x in a if x in self.names]  # TARGET
        class B(A):
            def __init__(self):
                self.names = set()
    """) is None


def test_project_returns_and_stdlib_calls():
    fact = fact_at("""
        def load():
            return [line for line in open("f")]
        def f(a):
            known = load()
            return [x for x in a if x in known]  # TARGET
    """)
    assert fact.kind == "list" and "`load()` returns a list" in fact.source
    assert fact_at("""
        def load():
            if x:
                return []
            return set()
        def f(a):
            known = load()
            return [x for x in a if x in known]  # TARGET
    """) is None
    assert fact_at("""
        import os
        def f(a):
            names = os.listdir(".")
            return [x for x in a if x in names]  # TARGET
    """).kind == "list"
    assert fact_at("""
        def f(a, d):
            keys = d.keys()
            return [x for x in a if x in keys]  # TARGET
    """) is None


def test_small_literals_and_cycles():
    assert fact_at("""
        def f(a):
            b = ["x", "y"]
            return [x for x in a if x in b]  # TARGET
    """).small
    assert not fact_at("""
        def f(a):
            b = ["x", "y"]
            b.append(a)
            return [x for x in a if x in b]  # TARGET
    """).small
    # `self.x = self.x + ...` gives no fact instead of recursing forever
    assert fact_at("""
        class A:
            def __init__(self):
                self.x = self.x + self.y
            def f(self, a):
                return [i for i in a if i in self.x]  # TARGET
    """) is None
