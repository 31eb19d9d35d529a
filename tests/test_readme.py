"""README.md stays true: its rule table is the registry's, and its quick-start commands exist."""

from __future__ import annotations

import os
import re
from pathlib import Path

from hasten.server.cli.commands.rule import rules_table_compact

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def test_rule_table_is_current():
    text = README.read_text(encoding="utf-8")
    block = f"{START}\n{rules_table_compact()}\n{END}"
    if os.environ.get("HASTEN_UPDATE_FIXTURES"):
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
        README.write_text(text, encoding="utf-8")
    assert block in text, "README's rule table is stale: run `HASTEN_UPDATE_FIXTURES=1 pytest tests/test_readme.py`"


def test_quick_start_commands():
    text = README.read_text(encoding="utf-8")
    assert "python3 -m pip install . && hasten check examples/" in text
    assert "python3 -m pip install -e '.[test,train]' && python3 -m pytest" in text
    ci = (README.parent / ".ci" / "run").read_text()
    assert "python3 -m pip install -q -e '.[test,train]'" in ci and "python3 -m pytest" in ci
