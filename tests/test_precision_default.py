"""The default-tier precision figures agree with the committed samples and judgments (no network)."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import precision  # noqa: E402
from benchmarks import precision_default as pd

KEYS = ("judged", "true_positives", "negligible", "false_alarms")


def _result() -> dict:
    return json.loads(pd.RESULT.read_text(encoding="utf-8"))


def test_results_match_a_fresh_summary_of_the_committed_files():
    assert _result() == json.loads(json.dumps(pd.summarise()))


def test_counts_add_up_per_rule_and_in_total():
    result = _result()
    for block in (result, result["held_out"]):
        for code, row in block["rules"].items():
            assert row["judged"] == row["true_positives"] + row["negligible"] + row["false_alarms"], code
            assert row["judged"] <= row["sampled"] <= row["hits"], code
        for key in ("hits",) + KEYS:
            assert block["all_rules"][key] == sum(r[key] for r in block["rules"].values()), key
    for code in pd.CODES:
        assert sum(c["hits"].get(code, 0) for c in result["corpora"]) == result["rules"][code]["hits"]
        for key in ("hits",) + KEYS:
            assert result["held_out"]["rules"][code][key] <= result["rules"][code][key]


def test_every_judgment_is_on_a_sampled_line_and_every_sampled_line_is_judged():
    for code in pd.CODES:
        path = pd.SAMPLES / f"{code}.json"
        sample = json.loads(path.read_text(encoding="utf-8"))["sample"] if path.exists() else []
        by_line = {(h["file"], h["line"]): h for h in sample}
        judged = pd.load_judgments(code)
        for j in judged:
            hit = by_line.get((j["file"], j["line"]))
            assert hit is not None, (code, j["file"], j["line"])
            assert j["corpus"] == hit["corpus"] and j["held_out"] == hit["held_out"] == pd.held_out(hit["corpus"], code)
            assert j["verdict"] in precision.VERDICTS
        assert set(by_line) == {(j["file"], j["line"]) for j in judged}, code


def test_pie_code_is_quoted_only_by_its_flagged_line():
    for code in pd.CODES:
        path = pd.SAMPLES / f"{code}.json"
        if path.exists():
            for hit in json.loads(path.read_text(encoding="utf-8"))["sample"]:
                if hit["corpus"] == "pie":
                    assert "context" not in hit


def test_held_out_flags_follow_the_corpora():
    assert pd.held_out("scripts", "HS101") and pd.held_out("pie", "HS105")
    assert pd.held_out("fresh2-held-out", "HS301") and not pd.held_out("fresh2-held-out", "HS105")
    assert not pd.held_out("stdlib", "HS101") and not pd.held_out("facts", "HS103")
