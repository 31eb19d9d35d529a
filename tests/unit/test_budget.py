"""A time budget bounds the analysis of a huge file, but never leaves it with nothing: the first
definition is analysed however little time is left (so the result does not depend on how busy
the machine is)."""

from __future__ import annotations

from hasten.analyzers.config import Config
from hasten.analyzers.incremental import IncrementalChecker
from hasten.analyzers.source import Source

FUNCTION = "def f{i}(items, others):\n    known = list(others)\n    return [x for x in items if x in known]\n\n"


def test_an_exhausted_budget_still_gives_the_first_definitions_findings():
    source = Source("".join(FUNCTION.format(i=i) for i in range(200)), "big.py")
    config = Config(preview=True)
    full = IncrementalChecker().check(source, config)
    assert full.complete and len(full.findings) == 200
    # A budget already spent when the walk starts: only the first definition is analysed.
    partial = IncrementalChecker().check(source, config, budget=1e-12)
    assert not partial.complete
    assert any("partial" in note for note in partial.notes)
    assert partial.findings and partial.findings[0] == full.findings[0]
    assert all(f in full.findings for f in partial.findings)
