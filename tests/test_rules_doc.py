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
