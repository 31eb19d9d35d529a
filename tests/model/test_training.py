"""Training-side checks; skipped when the `train` extra (torch, onnx) is absent."""

from __future__ import annotations

import json
import random

import pytest

torch = pytest.importorskip("torch", reason="the 'train' extra (torch==2.13.0) is not installed")
pytest.importorskip("onnx", reason="the 'train' extra (onnx) is not installed")

# The tolerance the model card states: fp32 export matches PyTorch to 1e-4; int8 to 0.05.
FP32_TOLERANCE = 1e-4
INT8_TOLERANCE = 0.05


def _batches(n=12):
    from hasten.analyzers.source import Source
    from hasten.model.features import Vocab, extract_units
    from hasten.model.train.rank import UnitEx, unit_window, window_batch

    code = "\n\n".join(
        f"def f{i}(xs, k={i}):\n    out = []\n    for x in xs:\n        if x in out:\n            out.append(x + k)\n    return ''.join(map(str, out))\n"
        for i in range(n)
    )
    units = extract_units(Source(code))
    vocab = Vocab.build((u.tokens for u in units), min_count=1)
    rng = random.Random(0)
    wins = [unit_window(UnitEx(u.tokens, u.token_depths, u.token_lines), vocab, rng) for u in units]
    return vocab, [window_batch(wins[i : i + 4]) for i in range(0, len(wins), 4)]


def test_onnx_export_matches_torch_within_tolerance(tmp_path):
    from hasten.model.train.export import compare_onnx, export_onnx, quantize
    from hasten.model.train.models import Ranker

    torch.manual_seed(0)
    vocab, batches = _batches()
    net = Ranker(len(vocab), dim=32, layers=1).eval()
    fp32 = tmp_path / "s.onnx"
    export_onnx(net, fp32, batches[0])
    int8 = tmp_path / "s8.onnx"
    quantize(fp32, int8)
    d32 = compare_onnx(net, fp32, batches)
    d8 = compare_onnx(net, int8, batches)
    assert max(d32.values()) < FP32_TOLERANCE, d32
    assert max(d8.values()) < INT8_TOLERANCE, d8


def test_ranker_shapes_and_learned_aggregate():
    from hasten.model.features import CATEGORIES
    from hasten.model.train.models import Ranker

    vocab, batches = _batches(2)
    ids, depths, mask = batches[0]
    net = Ranker(len(vocab), dim=32, layers=1).eval()
    s, c, t = net(ids, depths, mask)
    assert s.shape == (ids.shape[0],) and c.shape == (ids.shape[0], len(CATEGORIES)) and t.shape == ids.shape
    owner = torch.tensor([0] * (ids.shape[0] - 1) + [1])
    files = net.aggregate(s, owner, 2)
    assert files.shape == (2,)
    files.sum().backward()  # the temperature, count weight and bias are learned
    assert net.raw_temperature.grad is not None and net.count_weight.grad is not None


def test_pairs_come_from_measured_times_not_from_kinds():
    from hasten.model.train.rank import FileEx, Instance, make_pairs

    inst = Instance("p", "function")
    # Variant 0 was written as the slow one, but measured fast: the pair follows the measurement.
    inst.files = [FileEx([], 0.001, "a"), FileEx([], 0.010, "b"), FileEx([], 0.0011, "c")]
    inst.small = [0.0005, 0.004, 0.0005]
    pairs = make_pairs([inst])
    ordered = {(a, b) for _, a, b, target, _ in pairs if target == 1}
    ties = {(a, b) for _, a, b, target, _ in pairs if target == 0}
    assert ordered == {(1, 0), (1, 2)}
    assert ties == {(0, 2)}


def test_leakage_shingles_find_near_duplicates():
    from hasten.model.train.rank import file_tokens, shingles

    a = shingles(file_tokens("def f(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n"))
    b = shingles(file_tokens("def g(items):\n    res = []\n    for it in items:\n        if (it not in res):\n            res.append(it)\n    return res\n"))
    assert a == b  # renaming and parentheses do not hide a copy


@pytest.mark.slow
def test_smoke_training_end_to_end(tmp_path):
    from hasten.analyzers.source import Source
    from hasten.model.runtime import Scorer
    from hasten.model.train.__main__ import main

    out = tmp_path / "out"
    assert main(["--smoke", "--output", str(out), "--workdir", str(tmp_path / "work"), "--workers", "1"]) == 0
    model = out / "hasten-student.onnx"
    assert model.is_file() and model.stat().st_size < 3 * 1024 * 1024
    metrics = json.loads((out / "training-metrics.json").read_text())
    assert max(metrics["onnx_max_abs_diff"]["fp32"].values()) < FP32_TOLERANCE
    scorer = Scorer(model, out / "hasten-vocab.json")
    scores = scorer.score_source(Source("def f(xs):\n    return [x for x in xs if x in xs]\n"))
    assert scores and 0.0 <= scorer.file_score(scores) <= 1.0
