"""`hasten score`: per-function rows in text and JSON; a clear error without the model."""

from __future__ import annotations

import argparse
import json

import pytest

from hasten.model import loader
from hasten.model.loader import MODEL_FILE
from hasten.server.cli.commands import score

CODE = "def f(xs):\n    out = ''\n    for x in xs:\n        out += str(x)\n    return out\n"


def _run(argv, capsys):
    parser = argparse.ArgumentParser()
    score.register(parser.add_subparsers(dest="command"))
    code = score.run(parser.parse_args(["score", *argv]))
    return code, capsys.readouterr()


@pytest.mark.skipif(not MODEL_FILE.is_file(), reason="the committed model file is missing")
def test_json_and_text_output(tmp_path, capsys):
    loader.reset_loaded()
    path = tmp_path / "m.py"
    path.write_text(CODE)
    code, out = _run([str(path), "--output-format", "json"], capsys)
    assert code == 0
    rows = json.loads(out.out)
    assert len(rows) == 1
    row = rows[0]
    assert row["filename"] == str(path) and row["qualname"] == "f"
    assert (row["start_line"], row["end_line"]) == (1, 5)
    assert 0 <= row["score"] <= 1 and len(row["categories"]) == 3 and row["top_lines"]
    code, out = _run([str(path)], capsys)
    assert code == 0 and f"{path}:1-5 f  score" in out.out


def test_missing_model_is_an_error(tmp_path, capsys):
    loader.reset_loaded()
    path = tmp_path / "m.py"
    path.write_text(CODE)
    code, out = _run([str(path), "--model", str(tmp_path / "missing.onnx")], capsys)
    assert code == 2 and "not available" in out.err
