"""Per-rule fixtures: ``tests/fixtures/rules/HSxxx*.py``.

Each line that must produce a finding of the fixture's rule ends with ``# expect: HSxxx``; every
other line must produce none. The committed ``.expected`` file beside each fixture holds the
rendered findings and the diff of all fixes (safe and unsafe); regenerate it with
``HASTEN_UPDATE_FIXTURES=1 pytest tests/test_rule_fixtures.py`` and review the change.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.finding import Applicability
from hasten.analyzers.fixes import apply_edits, fix_text
from hasten.analyzers.registry import rules_by_code
from hasten.analyzers.rule import FixAvailability
from hasten.analyzers.source import Source

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "rules"
FIXTURES = sorted(FIXTURE_DIR.glob("HS*.py"))
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")


def fixture_code(path: Path) -> str:
    return re.match(r"(HS[0-9]{3})", path.name).group(1)


def fixture_config(path: Path) -> Config:
    text = path.read_text(encoding="utf-8")
    version = re.search(r"#\s*target-version:\s*(py3\d+)", text)
    config = Config(select=(fixture_code(path),))
    if version:
        from hasten.analyzers.config import parse_target_version

        config = config.with_overrides(target_version=parse_target_version(version.group(1)))
    return config


def render(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    source = Source(text, path.name)
    config = fixture_config(path)
    result = check(source, config)
    out = []
    for f in result.findings:
        line, col = source.byte_to_cli(f.start)
        end_line, end_col = source.byte_to_cli(f.end)
        fix = f"  fix[{f.fix.applicability.value}]: {f.fix.title}" if f.fix else "  (no fix)"
        out.append(f"{line}:{col}-{end_line}:{end_col} {f.code} {f.message}\n{fix}")
    fixed = fix_text(text, config, path=path.name, unsafe=True)
    diff = "".join(
        difflib.unified_diff(text.splitlines(True), fixed.text.splitlines(True), "original", "fixed")
    )
    return "\n".join(out) + "\n\n--- fixes (safe and unsafe) ---\n" + diff


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_findings_match_markers(path):
    text = path.read_text(encoding="utf-8")
    code = fixture_code(path)
    assert code in rules_by_code(), f"{path.name}: no rule {code} is registered"
    source = Source(text, path.name)
    expected = set()
    for i, line in enumerate(text.splitlines(), start=1):
        m = EXPECT.search(line)
        if m and code in [c.strip() for c in m.group(1).split(",")]:
            expected.add(i)
    assert expected, f"{path.name} has no '# expect: {code}' line: a fixture must have must-fire cases"
    found = {source.byte_to_cli(f.start)[0] for f in check(source, fixture_config(path)).findings}
    missing = sorted(expected - found)
    extra = sorted(found - expected)
    assert not missing and not extra, f"{path.name}: missing findings on lines {missing}, unexpected on {extra}"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_expected_output(path):
    expected_path = path.with_suffix(".expected")
    actual = render(path)
    if os.environ.get("HASTEN_UPDATE_FIXTURES"):
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"{expected_path.name} missing: run with HASTEN_UPDATE_FIXTURES=1"
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fix_harness(path):
    """Apply every fix, re-check to a fixed point; no new syntax errors; availability honoured."""
    text = path.read_text(encoding="utf-8")
    code = fixture_code(path)
    rule = rules_by_code()[code]
    config = fixture_config(path)
    source = Source(text, path.name)
    findings = check(source, config).findings
    fixes = [f.fix for f in findings if f.fix]
    if rule.fix_availability is FixAvailability.NEVER:
        assert not fixes, f"{code} declares fix availability 'never' but offered a fix"
    if rule.fix_availability is FixAvailability.ALWAYS:
        assert len(fixes) == len(findings), f"{code} declares fix availability 'always' but a finding has no fix"
    if rule.fix_availability is not FixAvailability.NEVER:
        assert fixes, f"{code} offers fixes but none appear in its fixture"
    # Each fix on its own keeps the file parseable.
    for fix in fixes:
        fixed = Source(apply_edits(source.data, list(fix.edits)).decode("utf-8"))
        assert not fixed.has_syntax_errors, f"{code}: fix '{fix.title}' introduces a syntax error"
        compile(fixed.text, path.name, "exec")
    # All fixes together, repeated until nothing changes.
    result = fix_text(text, config, path=path.name, unsafe=True)
    assert result.converged, f"{code}: fixing did not converge in {result.passes} passes"
    compile(result.text, path.name, "exec")
    assert not Source(result.text).has_syntax_errors
    leftover_fixable = [f for f in result.remaining if f.fix and f.fix.applicability is not Applicability.DISPLAY_ONLY]
    assert not leftover_fixable, f"{code}: fixable findings remain after fixing: {leftover_fixable}"
