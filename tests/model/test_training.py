"""Training-side checks; skipped when the `train` extra (torch, transformers, onnx) is absent."""

from __future__ import annotations

import json
import random

import pytest

torch = pytest.importorskip("torch", reason="the 'train' extra (torch==2.13.0) is not installed")
pytest.importorskip("transformers", reason="the 'train' extra (transformers) is not installed")
pytest.importorskip("onnx", reason="the 'train' extra (onnx) is not installed")

# The tolerance the model card states: fp32 export matches PyTorch to 1e-4; int8 to 0.05.
FP32_TOLERANCE = 1e-4
INT8_TOLERANCE = 0.05


def _windows(n=24):
    from hasten.analyzers.source import Source
    from hasten.model.features import Vocab, extract_units, windows

    code = "\n\n".join(
        f"def f{i}(xs, k={i}):\n    out = []\n    for x in xs:\n        if x in out:\n            out.append(x + k)\n    return ''.join(map(str, out))\n"
        for i in range(n)
    )
    units = extract_units(Source(code))
    vocab = Vocab.build((u.tokens for u in units), min_count=1)
    ws = [w for u in units for w in windows(u, vocab)]
    rng = random.Random(0)
    rows = [(w.ids, w.depths, [rng.randint(0, 1) for _ in w.ids], 1, 0) for w in ws]
    return vocab, rows


def test_onnx_export_matches_torch_within_tolerance(tmp_path):
    from hasten.model.train.__main__ import batches, compare_onnx, export_onnx, quantize
    from hasten.model.train.models import Student

    torch.manual_seed(0)
    vocab, rows = _windows()
    student = Student(len(vocab)).eval()
    example = next(batches(rows[:4], 4, random.Random(0), shuffle=False))
    fp32 = tmp_path / "s.onnx"
    export_onnx(student, fp32, example[1:4])
    int8 = tmp_path / "s8.onnx"
    quantize(fp32, int8)
    d32 = compare_onnx(student, fp32, rows)
    d8 = compare_onnx(student, int8, rows)
    assert max(d32.values()) < FP32_TOLERANCE, d32
    assert max(d8.values()) < INT8_TOLERANCE, d8
    assert int8.stat().st_size < fp32.stat().st_size


def test_teacher_and_student_shapes():
    from hasten.model.features import CATEGORIES
    from hasten.model.train.models import Student, Teacher

    vocab, rows = _windows(2)
    ids = torch.tensor([rows[0][0]])
    depths = torch.tensor([rows[0][1]])
    mask = torch.ones_like(ids)
    for net in (Teacher(len(vocab), hidden=32, layers=1, heads=2), Student(len(vocab))):
        s, c, t = net.eval()(ids, depths, mask)
        assert s.shape == (1,) and c.shape == (1, len(CATEGORIES)) and t.shape == ids.shape


@pytest.mark.slow
def test_smoke_training_end_to_end(tmp_path):
    from hasten.model.runtime import Scorer
    from hasten.analyzers.source import Source
    from hasten.model.train.__main__ import main

    out = tmp_path / "out"
    assert main(["--smoke", "--output", str(out), "--workdir", str(tmp_path / "work")]) == 0
    model = out / "hasten-student.onnx"
    assert model.is_file() and model.stat().st_size < 3 * 1024 * 1024
    metrics = json.loads((out / "training-metrics.json").read_text())
    assert metrics["smoke"] is True
    assert max(metrics["onnx_max_abs_diff"]["fp32"].values()) < FP32_TOLERANCE
    scorer = Scorer(model, out / "hasten-vocab.json")
    assert scorer.score_source(Source("def f(xs):\n    return [x for x in xs if x in xs]\n"))
