"""Deeply nested source does not overflow Python's stack (issue 19, item 13)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hasten.analyzers.source import Source


def test_model_features_walk_a_thousand_term_expression():
    from hasten.model.features import extract_units

    text = "x = " + " + ".join(["a"] * 1000) + "\n" + "y = " + "(" * 3000 + "a" + ")" * 3000 + "\n"
    units = extract_units(Source(text, path="deep.py"))
    assert units and len(units[0].tokens) > 1000


def test_regex_flags_nested_thousands_deep():
    from hasten.analyzers.rules.hs202_regex_compile_in_loop import flags_value
    from hasten.analyzers.source import parse_bytes

    for flags in (" | ".join(["re.I"] * 5000), "(" * 3000 + "re.I | re.M" + ")" * 3000):
        tree = parse_bytes(f"import re\nre.compile('a', {flags})\n".encode())
        call = tree.root_node.children[1].children[0]
        argument = call.child_by_field_name("arguments").named_children[1]
        assert flags_value(argument) in (2, 10)


def test_regex_flags_fifty_thousand_terms_in_check(monkeypatch):
    """``check`` with HS202 on a 50,000-term flags expression: a finding with its fix, no note.
    Whether an operand names the ``re`` module is answered from the flags' scope, found once:
    walking up from an operand 50,000 levels down costs the depth squared (``Node.parent``
    costs the depth), which took minutes."""
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.fixes import apply_edits
    from hasten.analyzers.syntax import imports
    from hasten.analyzers.syntax.tree import SCOPE_TYPES

    asked = []
    real_root_of = imports.root_of

    def root_of(node):
        asked.append(node.type)
        return real_root_of(node)

    monkeypatch.setattr(imports, "root_of", root_of)
    flags = "|".join(f"re.{name}" for name in ["I", "M", "S"] * 16_667)
    text = f"import re\n\ndef f(lines):\n    for line in lines:\n        re.compile('a', flags={flags}).match(line)\n"
    result = check(Source(text, "deep.py"), Config(select=("HS202",), preview=True))
    assert not result.notes, result.notes
    [finding] = result.findings
    assert finding.code == "HS202" and finding.fix is not None
    assert asked and set(asked) <= SCOPE_TYPES, set(asked)  # never from a deep operand
    fixed = apply_edits(text.encode(), finding.fix.edits).decode()
    assert "pattern = re.compile('a', re.I|re.M|re.S|" in fixed and "pattern.match(line)" in fixed


def test_score_reports_a_file_it_cannot_score_and_scores_the_others(tmp_path):
    from hasten.model.loader import MODEL_FILE

    if not MODEL_FILE.is_file():
        import pytest

        pytest.skip("the bundled model is not present")
    (tmp_path / "big.py").write_text("x = " + " + ".join(["a"] * 1000) + "\n")
    (tmp_path / "ok.py").write_text("def g(items):\n    out = []\n    for x in items:\n        out.append(x)\n    return out\n")
    done = subprocess.run([sys.executable, "-m", "hasten", "score", "big.py", "ok.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    assert "big.py:" in done.stdout and "ok.py:1-5 g" in done.stdout
