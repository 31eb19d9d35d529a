"""Our cyclomatic figures equal radon's on a sample of the CPython standard library.

Two checks per function radon reports: the figure ``analyze`` publishes, and the count taken from
the tree-sitter tree alone (what a file with syntax errors gets)."""

from __future__ import annotations

import ast
import random
import sysconfig
from pathlib import Path

import pytest
from hasten.analyzers.metrics import (
    _radon_blocks,
    analyze,
    iter_functions,
    tree_sitter_complexity,
)
from hasten.analyzers.source import Source
from radon.complexity import cc_visit_ast

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLE_SIZE = 25


def _sample() -> list[Path]:
    modules = sorted(p for p in STDLIB.glob("*.py") if 2_000 < p.stat().st_size < 150_000 and "def " in p.read_text(encoding="utf-8", errors="replace"))
    # A fixed sample, plus modules known for match statements, try/else and comprehensions.
    chosen = random.Random(6).sample(modules, min(SAMPLE_SIZE, len(modules)))
    for name in ("dataclasses.py", "ast.py", "argparse.py"):
        if (STDLIB / name).exists() and STDLIB / name not in chosen:
            chosen.append(STDLIB / name)
    return sorted(chosen)


MODULES = _sample()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_cyclomatic_matches_radon(path):
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        pytest.skip("not parseable by this Python")
    expected: dict[tuple[str, int], int] = {}
    _radon_blocks(cc_visit_ast(tree), expected)
    source = Source(text, str(path))
    metrics = analyze(source)
    published = {(f.name, f.line): f.complexity for f in metrics.functions}
    from_tree = {
        (node.child_by_field_name("name").text.decode(), node.start_point[0] + 1): tree_sitter_complexity(node)
        for node, _, _ in iter_functions(source.tree.root_node)
    }
    assert expected, f"{path.name}: radon found no functions"
    mismatched = {k: (published.get(k), v) for k, v in expected.items() if published.get(k) != v}
    assert not mismatched, f"published figures differ from radon's (ours, radon's): {mismatched}"
    tree_mismatched = {k: (from_tree.get(k), v) for k, v in expected.items() if from_tree.get(k) != v}
    assert not tree_mismatched, f"tree-sitter counts differ from radon's (ours, radon's): {tree_mismatched}"
