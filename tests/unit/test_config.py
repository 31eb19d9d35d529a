from __future__ import annotations

import textwrap

from hasten.analyzers.config import Config, config_from_table, load_config, parse_target_version
from hasten.analyzers.finding import Severity
from hasten.analyzers.registry import select_rules


def write(tmp_path, body: str):
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(body), encoding="utf-8")
    sub = tmp_path / "pkg"
    sub.mkdir(exist_ok=True)
    (sub / "mod.py").write_text("x = 1\n")
    return sub / "mod.py"


def test_defaults_without_pyproject(tmp_path):
    (tmp_path / "m.py").write_text("")
    config, messages = load_config(tmp_path / "m.py")
    assert config == Config()
    assert messages == []


def test_nearest_pyproject_is_used(tmp_path):
    path = write(
        tmp_path,
        """
        [tool.hasten]
        select = ["HS1"]
        ignore = ["HS102"]
        preview = true
        target-version = "py312"
        severity = { HS101 = "error" }
        per-file-ignores = { "tests/*" = ["HS101"] }
        exclude = ["generated"]
        """,
    )
    config, messages = load_config(path)
    assert messages == []
    assert config.select == ("HS1",)
    assert config.ignore == ("HS102",)
    assert config.preview is True
    assert config.target_version == (3, 12)
    assert config.severity_for("HS101") is Severity.ERROR
    assert config.exclude == ("generated",)
    assert config.ignores_for(str(tmp_path / "tests" / "test_x.py")) == ("HS101",)
    assert config.ignores_for(str(tmp_path / "pkg" / "mod.py")) == ()


def test_unknown_keys_and_bad_values_are_reported_and_defaulted(tmp_path):
    path = write(
        tmp_path,
        """
        [tool.hasten]
        selct = ["HS1"]
        preview = "yes"
        target-version = "python2"
        severity = { HS101 = "loud" }

        [tool.hasten.metrics]
        complexity-max = -3
        colour = 1
        """,
    )
    config, messages = load_config(path)
    text = "\n".join(str(m) for m in messages)
    assert "pyproject.toml" in text
    assert "selct" in text and "did you mean 'select'" in text
    assert "preview" in text and "expected true or false" in text
    assert "target-version" in text
    assert "severity.HS101" in text
    assert "metrics.complexity-max" in text
    assert "metrics.colour" in text
    assert config.preview is False
    assert config.target_version == Config().target_version
    assert config.metrics.complexity_max == 15


def test_unreadable_toml_is_reported(tmp_path):
    path = write(tmp_path, "[tool.hasten\nselect = \n")
    config, messages = load_config(path)
    assert config == Config()
    assert messages and "cannot read" in str(messages[0])


def test_target_version_forms():
    assert parse_target_version("py311") == (3, 11)
    assert parse_target_version("3.9") == (3, 9)
    assert parse_target_version("py2") is None


def test_table_must_be_a_table():
    config, messages = config_from_table(["x"], "pyproject.toml")
    assert messages and config == Config()


def test_selection_by_prefix_alias_and_ignore():
    codes = {r.code for r in select_rules(["HS1"])}
    assert "HS111" in codes
    assert "HS101" not in codes, "a prefix does not enable a preview rule"
    assert "HS101" in {r.code for r in select_rules(["HS1"], preview=True)}
    assert "HS101" in {r.code for r in select_rules(["HS101"])}, "an exact code does"
    assert "HS101" in {r.code for r in select_rules(["HS1"], extend_select=["HS101"])}
    assert "HS104" not in {r.code for r in select_rules(["HS1"], ignore=["HS104"])}
    assert "HS104" in {r.code for r in select_rules(["PERF"], extend_select=["RUF017"])}
    assert all(not c.startswith("HS1") for c in {r.code for r in select_rules(["HS3"])})


def test_model_false_turns_the_model_off(tmp_path):
    path = write(tmp_path, "[tool.hasten]\nmodel = false\n")
    config, messages = load_config(path)
    assert messages == []
    assert config.model.enable is False
