"""Meta-tests over the registry: every rule documented, codes and names unique, examples parse."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hasten.analyzers.registry import FAMILY_BY_DIGIT, all_rules, select_rules
from hasten.analyzers.rule import FAMILIES, FixAvailability, Status

RULES = all_rules()
RULES_DIR = Path(__file__).resolve().parent.parent / "analyzers" / "rules"


def test_codes_and_names_unique():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


def test_every_rules_file_is_registered():
    modules = {p.stem for p in RULES_DIR.glob("*.py") if not p.name.startswith("_")}
    registered = {r.__module__.rsplit(".", 1)[-1] for r in RULES}
    assert modules == registered, f"unregistered rule files: {sorted(modules - registered)}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    assert re.fullmatch(r"HS[0-9]{3}", rule.code)
    assert FAMILY_BY_DIGIT[rule.code[2]] == rule.family, f"{rule.code}: family {rule.family} does not match its code"
    assert rule.family in FAMILIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    module = rule.__module__.rsplit(".", 1)[-1]
    assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}", f"{rule.code}: module should be named {rule.code.lower()}_{rule.name.replace('-', '_')}"
    for field in ("summary", "what", "why", "example", "use_instead", "fix_safety"):
        assert getattr(rule, field, "").strip(), f"{rule.code} lacks {field}"
    ast.parse(rule.example)
    ast.parse(rule.use_instead)
    if rule.family not in ("model", "metrics"):
        assert re.search(r"\d", rule.why), f"{rule.code}: 'why' must give a measured figure"
        assert "3.1" in rule.why, f"{rule.code}: 'why' must name the Python version it was measured on"
    assert isinstance(rule.fix_availability, FixAvailability)
    assert isinstance(rule.status, Status)


def test_default_selection_is_stable_only():
    for rule in select_rules(None):
        assert rule.status is Status.STABLE


def test_preview_rule_needs_exact_code_or_preview():
    preview = [r for r in RULES if r.status is Status.PREVIEW]
    for rule in preview:
        assert rule not in select_rules(["HS"])
        assert rule in select_rules([rule.code])
        assert rule in select_rules(["HS"], preview=True) or not getattr(rule, "default_enabled", True)
