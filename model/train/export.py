"""Export a trained network to ONNX, quantize it to int8 and check it against PyTorch."""

from __future__ import annotations

from pathlib import Path


def export_onnx(net, path: Path, example):
    """Write ``net`` (wrapped to output probabilities) with dynamic batch and token axes."""
    import torch

    from hasten.model.train.models import Probabilities

    wrapped = Probabilities(net).eval()
    ids, depths, mask = example
    torch.onnx.export(
        wrapped,
        (ids, depths, mask),
        str(path),
        input_names=["input_ids", "depth_ids", "attention_mask"],
        output_names=["score", "categories", "tags"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "depth_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "score": {0: "batch"},
            "categories": {0: "batch"},
            "tags": {0: "batch", 1: "tokens"},
        },
        opset_version=17,
        dynamo=False,
    )


def quantize(src: Path, dst: Path):
    """Int8 weights for the embedding tables (the bulk of the parameters). The dense layers stay
    fp32: onnxruntime's dynamic int8 MatMul/Conv kernels measured slower than fp32 on this CPU for
    256-token windows, and they are a small part of the file."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, op_types_to_quantize=["Gather"])


def compare_onnx(net, onnx_path: Path, batches) -> dict:
    """Max absolute difference between ONNX and PyTorch probabilities over ``batches`` of
    (input_ids, depth_ids, attention_mask) tensors."""
    import numpy as np
    import onnxruntime as ort
    import torch

    from hasten.model.train.models import Probabilities

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
    wrapped = Probabilities(net).eval()
    diffs = {"score": 0.0, "categories": 0.0, "tags": 0.0}
    for ids, depths, mask in batches:
        with torch.no_grad():
            ref = [t.numpy() for t in wrapped(ids, depths, mask)]
        got = sess.run(None, {"input_ids": ids.numpy(), "depth_ids": depths.numpy(), "attention_mask": mask.numpy()})
        m = mask.numpy().astype(bool)
        diffs["score"] = max(diffs["score"], float(np.abs(ref[0] - got[0]).max()))
        diffs["categories"] = max(diffs["categories"], float(np.abs(ref[1] - got[1]).max()))
        diffs["tags"] = max(diffs["tags"], float(np.abs(ref[2] - got[2])[m].max()))
    return diffs
