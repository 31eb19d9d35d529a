"""The recall benchmark (benchmarks/recall/): its cases are well-formed and its harness runs.

The structural tests do not assert today's recall; the slow test states the target of issue 15
(recall >= 90% and no finding on the look-alikes, default settings).
"""

import subprocess
import sys
from collections import Counter

import pytest

from benchmarks.recall.run import CASES, CaseError, code_fingerprint, evaluate, load_cases, parse_case, write_docs

MIN_POSITIVE = 60


@pytest.fixture(scope="module")
def cases():
    return load_cases()


def test_cases_parse_and_are_enough(cases):
    positive = [c for c in cases if not c.silent]
    silent = [c for c in cases if c.silent]
    assert len(positive) >= MIN_POSITIVE
    assert len(silent) >= len(positive), "at least as many look-alikes as positive cases"


def test_every_label_points_at_its_line(cases):
    for case in cases:
        lines = (CASES / case.path).read_text(encoding="utf-8").splitlines()
        for label in case.labels:
            assert 1 <= label.line <= len(lines), f"{case.path}: {label}"
            assert label.anchor in lines[label.line - 1], f"{case.path}: line {label.line} lacks {label.anchor!r}"


def test_silent_cases_say_why(cases):
    assert all(c.why for c in cases if c.silent)


def test_no_duplicate_cases(cases):
    prints = Counter(code_fingerprint(CASES / c.path) for c in cases)
    repeated = [c.path for c in cases if prints[code_fingerprint(CASES / c.path)] > 1]
    assert not repeated, f"cases with the same code: {repeated}"


def test_labels_name_existing_rules(cases):
    listing = subprocess.run([sys.executable, "-m", "hasten", "rule", "--all"], capture_output=True, text=True, check=True).stdout
    known = {line.split()[0] for line in listing.splitlines() if line.strip()}
    used = {label.code for c in cases for label in c.labels}
    assert used <= known, f"unknown codes: {sorted(used - known)}"


def test_malformed_cases_are_reported(tmp_path):
    shape = tmp_path / "shape"
    shape.mkdir()
    bad = {
        "no_label.py": "# recall case: x\nx = 1\n",
        "wrong_line.py": '# recall case: x\n# expect: HS104@9 "sum("\nx = 1\n',
        "wrong_anchor.py": '# recall case: x\n# expect: HS104@3 "sum("\nx = 1\n',
        "silent_no_why.py": "# recall case: x\n# expect: silent\nx = 1\n",
        "not_python.py": "# recall case: x\n# expect: silent\n# why: y\ndef (:\n",
    }
    for name, text in bad.items():
        (shape / name).write_text(text)
        with pytest.raises(CaseError, match=name):
            parse_case(shape / name, tmp_path)


def test_harness_scores_a_small_run(tmp_path):
    shape = tmp_path / "flatten"
    shape.mkdir()
    (shape / "hit.py").write_text('# recall case: fibonacci\n# expect: HS111@4 "def fib(n):"\n\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n')
    (shape / "quiet.py").write_text("# recall case: numbers\n# expect: silent\n# why: numeric sum\n\n\ndef f(values):\n    return sum(values, 0)\n")
    cases = load_cases(tmp_path)
    result = evaluate(cases, {"default": ["--select", "HS111"]}, root=tmp_path)
    default = result["variants"]["default"]
    assert result["cases"] == {"positive": 1, "silent": 1}
    assert default["per_rule"] == {"HS111": {"labels": 1, "found": 1}}
    assert default["silent_with_findings"] == 0


def test_write_docs_replaces_only_its_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Recall\n\nold\n\n## Later\n\nkept\n")
    write_docs("## Recall\n\nnew\n", doc)
    assert doc.read_text() == "# Benchmarks\n\n## Recall\n\nnew\n\n## Later\n\nkept\n"
    other = tmp_path / "other.md"
    other.write_text("# Benchmarks\n")
    write_docs("## Recall\n\nnew\n", other)
    assert other.read_text() == "# Benchmarks\n\n## Recall\n\nnew\n"


@pytest.mark.slow
@pytest.mark.xfail(reason="the rules that find these shapes (HS101, HS102, HS103, HS105, HS115, HS301, HS304) stay in "
                   "preview: their judged precision on real code, with the size facts, is below 80% (docs/rules.md, "
                   "benchmarks/precision/README.md)", strict=True)
def test_recall_target_with_default_settings(cases):
    result = evaluate(cases, {"default": []})["variants"]["default"]
    assert result["recall"] >= 0.90, result["missed"]
    assert result["silent_with_findings"] == 0, result["silent_hits"]


@pytest.mark.slow
def test_recall_of_the_rules_with_preview_on(cases):
    """Every rule but the model's (HS900): what the rules and their facts find."""
    result = evaluate(cases, {"rules": ["--preview", "--ignore", "HS900"]})["variants"]["rules"]
    assert result["recall"] >= 0.90, result["missed"]
    assert result["silent_with_findings"] == 0, result["silent_hits"]
