"""docs/rules.md is generated from the registry and the benchmark results; it must not go stale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hasten.analyzers.registry import all_rules
from hasten.server.cli.commands.rule import REGENERATE, rules_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_rules_doc_is_current():
    assert DOC.exists(), f"docs/rules.md is missing: run `{REGENERATE}`"
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), f"docs/rules.md is stale: run `{REGENERATE}`"


def test_every_rule_is_in_the_doc():
    text = rules_markdown()
    for rule in all_rules():
        assert f'<a id="{rule.code.lower()}"></a>' in text
        assert f"({rule.code})" in text


def test_cli_prints_the_same_markdown():
    out = subprocess.run(
        [sys.executable, "-m", "hasten", "rule", "--all", "--output-format", "markdown"],
        capture_output=True, text=True, check=True, encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    ).stdout
    assert out == rules_markdown()


def test_rules_below_the_precision_bar_are_preview():
    """A rule whose judged precision on real code is below 80% stays in preview (issue #3); where
    it was also judged on fresh code, the pooled figure (tuned corpus and every fresh set) counts
    (issue 18), the size-facts corpus's splits included."""
    import json

    from hasten.analyzers.registry import rules_by_code
    from hasten.server.cli.commands.rule import PRECISION_RESULTS, fresh_sets, pooled_precision

    if not PRECISION_RESULTS.exists():
        return
    data = json.loads(PRECISION_RESULTS.read_text(encoding="utf-8"))
    fresh = fresh_sets()
    table = rules_by_code()
    codes = set(data.get("rules", {})) | {code for f in fresh for code in f.get("rules", {})}
    low = []
    for code in sorted(codes):
        value = pooled_precision(code, data, fresh)
        if value is not None and value < 0.8 and code in table and table[code].status.value != "preview":
            low.append(f"{code} ({value:.0%})")
    assert not low, f"judged precision below 80% but not preview: {low}"


def _benchmarks():
    import sys

    root = str(DOC.parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.rules import _harness

    return _harness


def test_every_rule_has_a_microbenchmark():
    """Issue #3: each rule's figure comes from benchmarks/rules/bench_hsNNN.py and its results."""
    root = DOC.parent.parent
    missing = []
    for rule in all_rules():
        if rule.family in ("metrics", "model"):
            continue
        if not (root / "benchmarks" / "rules" / f"bench_{rule.code.lower()}.py").exists():
            missing.append(f"{rule.code}: no benchmarks/rules/bench_{rule.code.lower()}.py")
        elif not (root / "benchmarks" / "results" / "rules" / f"{rule.code}.json").exists():
            missing.append(f"{rule.code}: run `python -m benchmarks.rules {rule.code}`")
    assert not missing, missing


def test_bench_harness_compares_before_timing(capsys):
    import pytest

    harness = _benchmarks()
    good = harness.Bench("HS000", "sum", lambda n: (list(range(n)),), lambda xs: sum(list(xs)), sum, sizes=(10,))
    data = harness.run([good], repeat=1, write=False)
    assert data["headline"]["n"] == 10 and data["cases"][0]["sizes"][0]["ratio"] > 0
    assert "HS000" in capsys.readouterr().out
    bad = harness.Bench("HS000", "wrong", lambda n: (list(range(n)),), sum, len, sizes=(10,))
    with pytest.raises(AssertionError, match="disagree"):
        harness.run([bad], repeat=1, write=False)
