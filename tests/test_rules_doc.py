"""docs/rules.md is generated from the registry and the benchmark results; it must not go stale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hasten.analyzers.registry import all_rules
from hasten.server.commands.rule import REGENERATE, rules_markdown

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
    """A rule whose judged precision on real code is below 80% stays in preview (issue #3)."""
    import json

    from hasten.analyzers.registry import rules_by_code
    from hasten.server.commands.rule import PRECISION_RESULTS

    if not PRECISION_RESULTS.exists():
        return
    data = json.loads(PRECISION_RESULTS.read_text(encoding="utf-8"))
    table = rules_by_code()
    low = [
        code for code, row in data.get("rules", {}).items()
        if row.get("precision") is not None and row["precision"] < 0.8
        and code in table and table[code].status.value != "preview"
    ]
    assert not low, f"judged precision below 80% but not preview: {low}"
