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


@pytest.mark.slow  # not yet seen to finish on the shared machine: see the report
def test_regex_flags_nested_thousands_deep():
    from hasten.analyzers.rules.hs202_regex_compile_in_loop import flags_value
    from hasten.analyzers.source import parse_bytes

    for flags in (" | ".join(["re.I"] * 5000), "(" * 3000 + "re.I | re.M" + ")" * 3000):
        tree = parse_bytes(f"import re\nre.compile('a', {flags})\n".encode())
        call = tree.root_node.children[1].children[0]
        argument = call.child_by_field_name("arguments").named_children[1]
        assert flags_value(argument) in (2, 10)


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
