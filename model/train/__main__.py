"""Rebuild the dataset and the model from scratch: ``python -m hasten.model.train``.

Steps: collect the corpus (stdlib + optional package dirs) -> build samples (mutations, rule
teacher) -> vocabulary -> train the BERT teacher -> distill into the student on labeled and
unlabeled functions -> export to ONNX -> quantize int8 -> check ONNX against PyTorch -> write the
model, the vocabulary and metrics.json.

``--smoke`` runs the whole path on a handful of files for one short epoch and writes into a
temporary directory; it never touches the committed model.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger("hasten.model.train")

MODEL_DIR = Path(__file__).resolve().parent.parent
PACKAGES = ("requests", "rich", "click", "jinja2", "attrs")


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m hasten.model.train", description=__doc__.split("\n")[0])
    p.add_argument("--smoke", action="store_true", help="tiny data, one short epoch, temp output dir")
    p.add_argument("--output", type=Path, help="where to write the model (default: the package's model dir; temp dir with --smoke)")
    p.add_argument("--workdir", type=Path, help="scratch dir for downloaded packages (default: system temp dir)")
    p.add_argument("--packages-dir", type=Path, action="append", default=[], help="extra corpus directory (repeatable); default: pip-install %s into the workdir" % ", ".join(PACKAGES))
    p.add_argument("--no-packages", action="store_true", help="stdlib only")
    p.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1: the machine is shared)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-files", type=int, default=None)
    p.add_argument("--teacher-minutes", type=float, default=10.0, help="wall-clock budget for the teacher")
    p.add_argument("--student-minutes", type=float, default=10.0, help="wall-clock budget for the student")
    p.add_argument("--epochs", type=int, default=4, help="upper bound; the time budgets usually stop earlier")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--negatives-per-positive", type=float, default=4.0, help="untouched functions kept per injected one (the rest go to the unlabeled pool)")
    p.add_argument("--max-unlabeled", type=int, default=12000, help="cap on unlabeled functions used for distillation")
    return p.parse_args(argv)


def ensure_packages(workdir: Path) -> Path | None:
    target = workdir / "packages"
    if (target / "requests").exists():
        return target
    log.info("installing %s into %s (scratch, never committed)", ", ".join(PACKAGES), target)
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), *PACKAGES]
    if subprocess.run(cmd).returncode != 0:
        log.warning("pip install failed; training on the standard library only")
        return None
    return target


# -- tensors ---------------------------------------------------------------------------------


def make_windows(samples, vocab, rng):
    """One window per sample: around the first tagged token for positives, random otherwise."""
    from hasten.model.features import MAX_LEN, Unit, window_covering

    out = []
    for s in samples:
        unit = Unit(s.qualname, "function", 0, 0, 0, 0, s.tokens, s.lines, s.depths)
        if 1 in s.tags:
            idx = s.tags.index(1)
        else:
            idx = rng.randrange(len(s.tokens)) if len(s.tokens) > MAX_LEN - 1 else 0
        w = window_covering(unit, vocab, idx)
        tags = [0] + s.tags[w.token_start : w.token_start + len(w.ids) - 1]
        if s.label == 1 and 1 not in tags:
            continue  # the injected site fell outside the window
        out.append((w.ids, w.depths, tags, s.label, s.category))
    return out


def batches(windows, batch_size, rng, shuffle=True):
    """Length-bucketed batches: sort chunks by length so padding stays small."""
    import torch

    idx = list(range(len(windows)))
    if shuffle:
        rng.shuffle(idx)
    chunk = batch_size * 50
    groups = []
    for i in range(0, len(idx), chunk):
        part = sorted(idx[i : i + chunk], key=lambda j: len(windows[j][0]))
        groups.extend(part[k : k + batch_size] for k in range(0, len(part), batch_size))
    if shuffle:
        rng.shuffle(groups)
    for g in groups:
        width = max(len(windows[j][0]) for j in g)
        ids = torch.zeros(len(g), width, dtype=torch.long)
        depths = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        tags = torch.zeros(len(g), width)
        labels = torch.tensor([windows[j][3] for j in g], dtype=torch.float)
        cats = torch.tensor([windows[j][4] for j in g], dtype=torch.long)
        for r, j in enumerate(g):
            w = windows[j]
            n = len(w[0])
            ids[r, :n] = torch.tensor(w[0])
            depths[r, :n] = torch.tensor(w[1])
            mask[r, :n] = 1
            tags[r, :n] = torch.tensor(w[2], dtype=torch.float)
        yield g, ids, depths, mask, tags, labels, cats


def hard_loss(outputs, mask, tags, labels, cats):
    import torch
    import torch.nn.functional as F

    score, cat, tag = outputs
    labeled = labels >= 0
    loss = torch.zeros(())
    if labeled.any():
        loss = loss + F.binary_cross_entropy_with_logits(score[labeled], labels[labeled])
        tok_mask = mask[labeled].float()
        tok_mask[:, 0] = 0
        tl = F.binary_cross_entropy_with_logits(tag[labeled], tags[labeled], reduction="none", pos_weight=torch.tensor(4.0))
        loss = loss + (tl * tok_mask).sum() / tok_mask.sum().clamp(min=1)
    pos = (labels == 1) & (cats >= 0)
    if pos.any():
        loss = loss + F.cross_entropy(cat[pos], cats[pos])
    return loss


def train_loop(model, windows, args, minutes, loss_fn, rng, name):
    import torch

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    deadline = time.monotonic() + minutes * 60
    steps = 0
    start = time.monotonic()
    for epoch in range(args.epochs):
        model.train()
        total, n = 0.0, 0
        for batch in batches(windows, args.batch_size, rng):
            out = model(batch[1], batch[2], batch[3])
            loss = loss_fn(out, batch)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            total += loss.item()
            n += 1
            steps += 1
            if steps % 100 == 0:
                log.info("%s epoch %d step %d loss %.4f (%.0fs)", name, epoch, steps, total / n, time.monotonic() - start)
            if time.monotonic() > deadline:
                log.info("%s: time budget reached after %d steps (epoch %d)", name, steps, epoch)
                return steps
        log.info("%s epoch %d done, mean loss %.4f", name, epoch, total / max(n, 1))
    return steps


def predict(model, windows, batch_size=64):
    """Probabilities per window, in input order: (scores, categories, tags)."""
    import torch

    model.eval()
    scores = [0.0] * len(windows)
    cats = [None] * len(windows)
    tags = [None] * len(windows)
    with torch.no_grad():
        for g, ids, depths, mask, *_ in batches(windows, batch_size, random.Random(0), shuffle=False):
            s, c, t = model(ids, depths, mask)
            s, c, t = torch.sigmoid(s), torch.softmax(c, -1), torch.sigmoid(t)
            for r, j in enumerate(g):
                n = len(windows[j][0])
                scores[j] = float(s[r])
                cats[j] = c[r].tolist()
                tags[j] = t[r, :n].tolist()
    return scores, cats, tags


def evaluate(windows, preds, threshold=0.5):
    """Binary P/R/F1 and AUC, per-category P/R/F1 (predicted = score >= t and argmax category),
    and token-tag precision/recall on positives."""
    from hasten.model.features import CATEGORIES

    scores, cats, tags = preds
    labeled = [i for i, w in enumerate(windows) if w[3] >= 0]
    y = [windows[i][3] for i in labeled]
    p = [scores[i] for i in labeled]

    def prf(tp, fp, fn):
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": tp + fn}

    tp = sum(1 for yi, pi in zip(y, p) if yi == 1 and pi >= threshold)
    fp = sum(1 for yi, pi in zip(y, p) if yi == 0 and pi >= threshold)
    fn = sum(1 for yi, pi in zip(y, p) if yi == 1 and pi < threshold)
    result = {"overall": prf(tp, fp, fn), "auc": round(auc(y, p), 4), "n": len(y)}
    per = {}
    for ci, cname in enumerate(CATEGORIES):
        ctp = cfp = cfn = 0
        for i in labeled:
            w = windows[i]
            truth = w[3] == 1 and w[4] == ci
            pred = scores[i] >= threshold and max(range(len(cats[i])), key=cats[i].__getitem__) == ci
            ctp += truth and pred
            cfp += (not truth) and pred
            cfn += truth and not pred
        per[cname] = prf(ctp, cfp, cfn)
    result["categories"] = per
    # line pointing: is the highest-tagged token on a true tagged line?
    hits = total = 0
    for i in labeled:
        w = windows[i]
        if w[3] != 1 or 1 not in w[2]:
            continue
        t = tags[i]
        best = max(range(1, len(t)), key=t.__getitem__) if len(t) > 1 else 0
        hits += w[2][best] == 1
        total += 1
    result["top_token_on_tagged_line"] = round(hits / total, 4) if total else None
    return result


def auc(y, p):
    pos = [pi for yi, pi in zip(y, p) if yi == 1]
    neg = [pi for yi, pi in zip(y, p) if yi == 0]
    if not pos or not neg:
        return float("nan")
    order = sorted((v, lab) for v, lab in [(v, 1) for v in pos] + [(v, 0) for v in neg])
    # rank-sum with ties averaged
    ranks = {}
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and order[j + 1][0] == order[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks.setdefault(k, (i + j) / 2 + 1)
        i = j + 1
    rsum = sum(ranks[k] for k, (_, lab) in enumerate(order) if lab == 1)
    return (rsum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def time_per_window(model, windows, n=200):
    import torch

    model.eval()
    sample = windows[:n]
    start = time.perf_counter()
    with torch.no_grad():
        for _, ids, depths, mask, *_ in batches(sample, 1, random.Random(0), shuffle=False):
            model(ids, depths, mask)
    return (time.perf_counter() - start) / max(len(sample), 1) * 1000


# -- export ----------------------------------------------------------------------------------


def export_onnx(student, path: Path, example):
    import torch

    from hasten.model.train.models import Probabilities

    wrapped = Probabilities(student).eval()
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
    256-token windows (about 10-19 ms against 4 ms), and they are a small part of the file."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, op_types_to_quantize=["Gather"])


def compare_onnx(student, onnx_path: Path, windows, n=64):
    """Max absolute difference between ONNX and PyTorch probabilities on real windows."""
    import numpy as np
    import onnxruntime as ort
    import torch

    from hasten.model.train.models import Probabilities

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
    wrapped = Probabilities(student).eval()
    diffs = {"score": 0.0, "categories": 0.0, "tags": 0.0}
    for _, ids, depths, mask, *_ in batches(windows[:n], 16, random.Random(0), shuffle=False):
        with torch.no_grad():
            ref = [t.numpy() for t in wrapped(ids, depths, mask)]
        got = sess.run(None, {"input_ids": ids.numpy(), "depth_ids": depths.numpy(), "attention_mask": mask.numpy()})
        m = mask.numpy().astype(bool)
        diffs["score"] = max(diffs["score"], float(np.abs(ref[0] - got[0]).max()))
        diffs["categories"] = max(diffs["categories"], float(np.abs(ref[1] - got[1]).max()))
        diffs["tags"] = max(diffs["tags"], float(np.abs(ref[2] - got[2])[m].max()))
    return diffs


# -- main ------------------------------------------------------------------------------------


def rule_findings(source):
    """The rule engine's findings for a file: the teacher's weak labels (no model: the checker
    gets no scorer)."""
    from hasten.analyzers.checker import check

    return check(source).findings


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    try:
        import torch
    except ImportError:
        print("training needs the 'train' extra: pip install 'hasten[train]' (torch==2.13.0, transformers, onnx)", file=sys.stderr)
        return 2
    import torch.nn.functional as F

    from hasten.model.features import Vocab
    from hasten.model.train.dataset import build_dataset, describe, stdlib_dir
    from hasten.model.train.models import Student, Teacher, count_parameters

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    args.lr = 5e-4
    if args.smoke:
        args.max_files = args.max_files or 60
        args.teacher_minutes = min(args.teacher_minutes, 0.75)
        args.student_minutes = min(args.student_minutes, 0.75)
        args.epochs = 1
        args.no_packages = True
    out_dir = args.output or (Path(tempfile.mkdtemp(prefix="hasten-smoke-")) if args.smoke else MODEL_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    workdir = args.workdir or Path(tempfile.gettempdir()) / "hasten-train"
    workdir.mkdir(parents=True, exist_ok=True)
    log.info("output: %s; workdir: %s; threads: %d", out_dir, workdir, args.threads)

    roots = [stdlib_dir()]
    if not args.no_packages:
        roots += args.packages_dir or [p for p in [ensure_packages(workdir)] if p]
    t0 = time.monotonic()
    splits = build_dataset(
        roots, seed=args.seed, max_files=args.max_files, negatives_per_positive=args.negatives_per_positive,
        labeler=rule_findings,
    )
    for k, v in splits.items():
        log.info("split %s: %d samples %s", k, len(v), describe(v))
    vocab = Vocab.build((s.tokens for s in splits["train"]), min_count=2 if args.smoke else 5)
    vocab.save(out_dir / "hasten-vocab.json")
    log.info("vocabulary: %d tokens; dataset built in %.0fs", len(vocab), time.monotonic() - t0)

    train_w = make_windows(splits["train"], vocab, rng)
    held_w = make_windows(splits["heldout"], vocab, rng)
    rng.shuffle(splits["unlabeled"])
    unl_w = make_windows(splits["unlabeled"][: args.max_unlabeled], vocab, rng)
    log.info("windows: train %d, heldout %d, unlabeled %d", len(train_w), len(held_w), len(unl_w))

    # teacher
    teacher = Teacher(len(vocab))
    log.info("teacher: %d parameters", count_parameters(teacher))
    t_steps = train_loop(teacher, train_w, args, args.teacher_minutes, lambda out, b: hard_loss(out, b[3], b[4], b[5], b[6]), rng, "teacher")
    teacher_eval = evaluate(held_w, predict(teacher, held_w))
    log.info("teacher held-out: %s", json.dumps(teacher_eval))

    # distillation targets on labeled + unlabeled windows
    distill_w = train_w + unl_w
    soft = predict(teacher, distill_w)
    soft_by_id = {id(w): (soft[0][i], soft[1][i], soft[2][i]) for i, w in enumerate(distill_w)}

    def distill_loss(out, b):
        g, ids, depths, mask, tags, labels, cats = b
        s_logit, c_logit, t_logit = out
        ts = torch.tensor([soft_by_id[id(distill_w[j])][0] for j in g])
        tc = torch.tensor([soft_by_id[id(distill_w[j])][1] for j in g])
        tt = torch.zeros_like(tags)
        for r, j in enumerate(g):
            v = soft_by_id[id(distill_w[j])][2]
            tt[r, : len(v)] = torch.tensor(v)
        tok = mask.float()
        tok[:, 0] = 0
        kd = F.binary_cross_entropy_with_logits(s_logit, ts)
        kd = kd + F.kl_div(F.log_softmax(c_logit, -1), tc, reduction="batchmean")
        kd = kd + (F.binary_cross_entropy_with_logits(t_logit, tt, reduction="none") * tok).sum() / tok.sum()
        return 0.5 * kd + 0.5 * hard_loss(out, mask, tags, labels, cats)

    student = Student(len(vocab))
    log.info("student: %d parameters", count_parameters(student))
    args.lr = 2e-3
    s_steps = train_loop(student, distill_w, args, args.student_minutes, distill_loss, rng, "student")
    student_eval = evaluate(held_w, predict(student, held_w))
    log.info("student held-out: %s", json.dumps(student_eval))

    # student trained on hard labels only, same budget: does distillation help?
    ms_teacher = time_per_window(teacher, held_w)
    ms_student = time_per_window(student, held_w)

    # export
    example = next(batches(held_w[:4] or train_w[:4], 4, random.Random(0), shuffle=False))
    fp32 = workdir / "student-fp32.onnx"
    export_onnx(student.eval(), fp32, example[1:4])
    final = out_dir / "hasten-student.onnx"
    quantize(fp32, final)
    diff_fp32 = compare_onnx(student, fp32, held_w)
    diff_int8 = compare_onnx(student, final, held_w)
    log.info("ONNX fp32 vs torch max abs diff: %s; int8 vs torch: %s", diff_fp32, diff_int8)

    metrics = {
        "corpus": [str(r.name) for r in roots],
        "samples": {k: describe(v) for k, v in splits.items()},
        "windows": {"train": len(train_w), "heldout": len(held_w), "unlabeled": len(unl_w)},
        "vocab_size": len(vocab),
        "teacher": {"parameters": count_parameters(teacher), "steps": t_steps, "heldout": teacher_eval, "ms_per_window_torch": round(ms_teacher, 3)},
        "student": {"parameters": count_parameters(student), "steps": s_steps, "heldout": student_eval, "ms_per_window_torch": round(ms_student, 3)},
        "onnx_max_abs_diff": {"fp32": diff_fp32, "int8": diff_int8},
        "onnx_size_bytes": final.stat().st_size,
        "threads": args.threads,
        "seed": args.seed,
        "smoke": args.smoke,
        "minutes": round((time.monotonic() - t0) / 60, 1),
    }
    (out_dir / "training-metrics.json").write_text(json.dumps(metrics, indent=1))
    if not args.smoke:
        torch.save(student.state_dict(), workdir / "student.pt")
        torch.save(teacher.state_dict(), workdir / "teacher.pt")
    log.info("done in %.1f min: %s (%d bytes)", metrics["minutes"], final, metrics["onnx_size_bytes"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
