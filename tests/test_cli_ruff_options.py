"""`hasten check` the way ruff users expect it (issue 17), through the real entry point."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from hasten.analyzers.registry import RULES_DOC_URL, rule_url
from tests.test_cli import SLOW, hasten

REPO = Path(__file__).resolve().parents[1]

TRY_IN_LOOP = textwrap.dedent(
    """\
    def parse(texts):
        out = []
        for t in texts:
            try:
                out.append(int(t))
            except ValueError:
                return None
        return out
    """
)


@pytest.fixture
def proj(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "slow.py").write_text(SLOW, encoding="utf-8")
    (tmp_path / "pkg" / "clean.py").write_text("def f(x):\n    return x + 1\n", encoding="utf-8")
    return tmp_path


def enabled(result) -> list[str]:
    line = next(l for l in result.stdout.splitlines() if l.startswith("enabled rules"))
    return [c for c in line.split(":", 1)[1].replace(",", " ").split()]


# -- never "All checks passed." when something was not checked ------------------------------------


def test_missing_path_is_an_error_not_a_pass(proj):
    result = hasten("check", "nonexist.py", cwd=proj)
    assert result.returncode == 2
    assert "All checks passed." not in result.stdout
    assert "nonexist.py: no such file or directory" in result.stderr
    # Beside a clean file, the missing one still makes the run an error.
    result = hasten("check", "nonexist.py", "pkg/clean.py", cwd=proj)
    assert result.returncode == 2
    assert "All checks passed." not in result.stdout


def test_undecodable_only_file_is_not_a_pass(tmp_path):
    (tmp_path / "bad.py").write_bytes(b"x = '\xff\xfe'\n")
    result = hasten("check", "bad.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "All checks passed." not in result.stdout
    assert "bad.py" in result.stderr and "decode" in result.stderr


def test_fix_that_cannot_be_written_is_not_a_pass(tmp_path):
    # A read-only file is fixed in memory but left alone: its findings stand and the run fails.
    path = tmp_path / "old.py"
    path.write_text(SLOW, encoding="utf-8")
    path.chmod(0o444)
    before = path.read_bytes()
    result = hasten("check", "--select", "HS301", "--preview", "--fix", "old.py", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "All checks passed." not in result.stdout
    assert "findings remain" in result.stderr
    assert path.read_bytes() == before


# -- alias prefixes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["PERF", "FURB", "C4", "SIM", "W82"])
def test_alias_prefix_selects_every_rule_aliased_under_it(proj, prefix):
    from hasten.analyzers.registry import all_rules

    under = {r.code for r in all_rules() if any(a.startswith(prefix) for a in r.aliases)}
    stable = {r.code for r in all_rules() if r.code in under and r.status.value == "stable"}
    assert under, prefix
    result = hasten("check", "--show-settings", "--select", prefix, "--preview", "pkg", cwd=proj)
    assert result.returncode == 0, result.stderr
    assert set(enabled(result)) == under
    result = hasten("check", "--show-settings", "--select", prefix, "pkg", cwd=proj)
    assert set(enabled(result)) == stable  # preview rules still need --preview, as with HS prefixes


def test_alias_prefix_in_pyproject(proj):
    (proj / "pyproject.toml").write_text('[tool.hasten]\nselect = ["PERF"]\npreview = true\n')
    result = hasten("check", "--show-settings", "pkg", cwd=proj)
    assert "HS301" in enabled(result) and "HS206" in enabled(result)
    assert all(c in {"HS206", "HS301", "HS302", "HS303", "HS305", "HS306"} for c in enabled(result))
    result = hasten("check", "--no-source", "pkg", cwd=proj)
    assert result.returncode == 1 and " HS301 " in result.stdout and "HS101" not in result.stdout


def test_unknown_selector_is_still_an_error(proj):
    result = hasten("check", "--select", "PERFX", "pkg", cwd=proj)
    assert result.returncode == 2 and "unknown rule selector 'PERFX'" in result.stderr


# -- the new options --------------------------------------------------------------------------------


def test_statistics(proj):
    (proj / "pkg" / "more.py").write_text(SLOW, encoding="utf-8")
    result = hasten("check", "--select", "HS101,HS301", "--statistics", "pkg", cwd=proj)
    assert result.returncode == 1
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows == [["2", "HS101", "[ ] list-membership-in-loop"], ["2", "HS301", "[*] manual-list-comprehension"]]
    data = json.loads(hasten("check", "--select", "HS101,HS301", "--statistics", "--output-format", "json", "pkg", cwd=proj).stdout)
    assert {"code": "HS101", "name": "list-membership-in-loop", "count": 2, "fixable": False} in data


def test_show_fixes_in_text_output_and_after_fix(proj):
    result = hasten("check", "--select", "HS301", "--show-fixes", "pkg", cwd=proj)
    assert "= help: Build `out` with a list comprehension (safe fix)" in result.stdout
    assert "  6 -             out.append(e)" in result.stdout
    assert "  3 +     out = [e for e in events if e.user in names]  # keep this comment" in result.stdout
    result = hasten("check", "--select", "HS301", "--fix", "--show-fixes", "pkg", cwd=proj)
    assert result.returncode == 0
    assert "Fixed 1 finding:" in result.stdout
    assert "1 × HS301 (manual-list-comprehension)" in result.stdout


def test_output_format_concise(proj):
    result = hasten("check", "--select", "HS101,HS301", "--output-format", "concise", "pkg", cwd=proj)
    lines = result.stdout.splitlines()
    assert lines[0].endswith("slow.py:5:12: HS101 `names` is a list: each `in` test scans it; build a set once before the loop")
    assert lines[1].endswith("slow.py:6:13: HS301 [*] This loop only appends to `out`: build it with a list comprehension")
    assert lines[2].startswith("Found 2 findings.")
    assert len(lines) == 3


def test_add_noqa_silences_todays_findings(proj):
    path = proj / "pkg" / "slow.py"
    path.write_text(SLOW + 'S = str([x for x in [1]]) + """a\nb"""\n', encoding="utf-8")
    result = hasten("check", "--select", "HS101,HS301,HS311", "--add-noqa", "pkg", cwd=proj)
    assert result.returncode == 0, result.stderr
    assert "Added 2 noqa directives. 1 finding left" in result.stderr
    text = path.read_text(encoding="utf-8")
    assert "        if e.user in names:  # keep this comment  # noqa: HS101\n" in text
    assert "            out.append(e)  # noqa: HS301\n" in text
    assert 'S = str([x for x in [1]]) + """a\n' in text  # a comment cannot go inside the string
    result = hasten("check", "--select", "HS101,HS301", "pkg", cwd=proj)
    assert result.returncode == 0 and "All checks passed." in result.stdout
    # Run again: nothing more to add, nothing changes.
    again = hasten("check", "--select", "HS101,HS301", "--add-noqa", "pkg", cwd=proj)
    assert "Added 0 noqa directives." in again.stderr and path.read_text(encoding="utf-8") == text


def test_config_and_isolated(proj):
    (proj / "pyproject.toml").write_text('[tool.hasten]\nselect = ["HS101"]\n')
    (proj / "other.toml").write_text('select = ["HS301"]\npreview = true\n')
    own = hasten("check", "--no-source", "pkg", cwd=proj)
    assert " HS101 " in own.stdout and " HS301 " not in own.stdout
    other = hasten("check", "--no-source", "--config", "other.toml", "pkg", cwd=proj)
    assert " HS301 " in other.stdout and " HS101 " not in other.stdout
    isolated = hasten("check", "--show-settings", "--isolated", "pkg", cwd=proj)
    assert "settings file: none (--isolated)" in isolated.stdout
    assert "HS101" not in enabled(isolated)  # a preview rule: off by default
    missing = hasten("check", "--config", "nope.toml", "pkg", cwd=proj)
    assert missing.returncode == 2 and "--config nope.toml: no such file" in missing.stderr
    both = hasten("check", "--config", "other.toml", "--isolated", "pkg", cwd=proj)
    assert both.returncode == 2


def test_show_settings_says_where_each_value_came_from(proj):
    (proj / "pyproject.toml").write_text('[tool.hasten]\nselect = ["HS1"]\ntarget-version = "py311"\n')
    result = hasten("check", "--show-settings", "--ignore", "HS104", "pkg", cwd=proj)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert f"settings file: {proj / 'pyproject.toml'}" in lines
    assert f'select = ["HS1"]  # {proj / "pyproject.toml"}' in lines
    assert 'target-version = "py311"  # ' + str(proj / "pyproject.toml") in lines
    assert 'ignore = ["HS104"]  # --ignore' in lines
    assert "preview = false  # default" in lines
    assert "HS104" not in enabled(result)


def test_show_files_exclude_and_extend_exclude(proj):
    (proj / "pkg" / "gen").mkdir()
    (proj / "pkg" / "gen" / "made.py").write_text("x = 1\n")
    (proj / "pyproject.toml").write_text('[tool.hasten]\nexclude = ["clean.py"]\n')
    files = lambda *a: sorted(Path(l).name for l in hasten("check", "--show-files", *a, "pkg", cwd=proj).stdout.splitlines())
    assert files() == ["made.py", "slow.py"]
    assert files("--exclude", "gen") == ["clean.py", "slow.py"]  # replaces the project's patterns
    assert files("--extend-exclude", "gen") == ["slow.py"]  # adds to them


def test_target_version_option_and_message(proj):
    (proj / "pkg" / "loop.py").write_text(TRY_IN_LOOP)
    default = hasten("check", "--select", "HS206", "--no-source", "pkg/loop.py", cwd=proj)
    assert "assuming Python 3.10, hasten's default; set `target-version` in [tool.hasten] or pass --target-version" in default.stdout
    option = hasten("check", "--select", "HS206", "--no-source", "--target-version", "py39", "pkg/loop.py", cwd=proj)
    assert "assuming Python 3.9 from --target-version" in option.stdout
    newer = hasten("check", "--select", "HS206", "--target-version", "3.11", "pkg/loop.py", cwd=proj)
    assert newer.returncode == 0 and "All checks passed." in newer.stdout
    (proj / "pyproject.toml").write_text('[tool.hasten]\ntarget-version = "py39"\n')
    project = hasten("check", "--select", "HS206", "--no-source", "pkg/loop.py", cwd=proj)
    assert "assuming Python 3.9 from `target-version` in pyproject.toml" in project.stdout
    bad = hasten("check", "--target-version", "2.7", "pkg", cwd=proj)
    assert bad.returncode == 2 and "--target-version: invalid version '2.7'" in bad.stderr


def test_diff_prints_a_summary(proj):
    result = hasten("check", "--select", "HS101,HS301", "--diff", "pkg", cwd=proj)
    assert result.returncode == 1
    assert "+    out = [e for e in events if e.user in names]  # keep this comment" in result.stdout
    assert "Would fix 1 finding (1 more with --unsafe-fixes)." in result.stderr
    both = hasten("check", "--select", "HS101,HS301", "--diff", "--unsafe-fixes", "pkg", cwd=proj)
    assert "Would fix 2 findings." in both.stderr
    assert (proj / "pkg" / "slow.py").read_text() == SLOW


def test_help_documents_the_new_options():
    result = hasten("check", "--help")
    for option in ("--statistics", "--show-fixes", "--add-noqa", "--config", "--isolated", "--show-settings",
                   "--show-files", "--exclude", "--extend-exclude", "--target-version", "concise", "PERF"):
        assert option in result.stdout, option


# -- rule documentation addresses -----------------------------------------------------------------


def test_rule_urls_point_at_the_generated_anchors(proj):
    from hasten.analyzers.registry import all_rules

    doc = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        url = rule_url(rule.code)
        assert url.startswith(RULES_DOC_URL + "#")
        assert f'<a id="{url.rsplit("#", 1)[1]}"></a>' in doc
    shown = hasten("rule", "PERF401")
    assert shown.stdout.rstrip().endswith(f"Documentation: {rule_url('HS301')}")
    assert json.loads(hasten("rule", "HS101", "--output-format", "json").stdout)["url"] == rule_url("HS101")
    sarif = json.loads(hasten("check", "--select", "HS101", "--output-format", "sarif", "pkg", cwd=proj).stdout)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"] == rule_url("HS101")


def test_verify_prints_each_fix_and_a_summary_when_not_a_terminal(tmp_path):
    (tmp_path / "mod.py").write_text("S = str([x for x in [1, 2]])\n")
    result = hasten("verify", "mod.py", "--preview", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert re.match(r"mod\.py:1:9: HS311 ", lines[0]), result.stdout
    assert lines[1].startswith("  cannot-verify: ")
    assert lines[-1] == "Verified 1 fix: 1 cannot-verify."
    data = hasten("verify", "mod.py", "--preview", "--output-format", "json", cwd=tmp_path)
    assert json.loads(data.stdout)[0]["kind"] == "cannot-verify"
    assert "[1/1] mod.py:1:9: HS311 cannot-verify: " in data.stderr
    assert data.stderr.rstrip().endswith("Verified 1 fix: 1 cannot-verify.")


def test_output_file_short_flags_and_exit_non_zero_on_fix(proj):
    result = hasten("check", "--select", "HS301", "-n", "-e", "-o", "report.json", "--output-format", "json", "pkg", cwd=proj)
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads((proj / "report.json").read_text())[0]["code"] == "HS301"
    fixed = hasten("check", "--select", "HS301", "--fix", "--exit-non-zero-on-fix", "pkg", cwd=proj)
    assert fixed.returncode == 1 and "All checks passed." in fixed.stdout


def test_fix_only_reports_no_findings(proj):
    result = hasten("check", "--select", "HS101,HS301", "--fix-only", "pkg", cwd=proj)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Fixed 1 finding.\n"  # HS101 (an unsafe fix) remains but is not reported
    assert "out = [e for e in events if e.user in names]" in (proj / "pkg" / "slow.py").read_text()
