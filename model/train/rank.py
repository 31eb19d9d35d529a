"""Train the ranking model on measured speed: ``python -m hasten.model.train.rank``.

Input: ``measured.jsonl`` written by ``hasten.model.train.measure`` (the team's problems, every
variant timed on growing inputs). Labels come only from those times:

* a **pair** (slow, fast) of variants of one instance whose measured time at the larger size
  differs by at least ``PAIR_RATIO`` (weight grows with the log ratio); a **tie** when the two
  are within ``TIE_RATIO`` at both sizes;
* a **unit** label: the unit that differs between variants is slow (1) when its variant took at
  least ``SLOW_RATIO`` times the fastest variant, not slow (0) within ``FAST_RATIO``; units shared
  by all variants (surrounding code) are 0; others are not labelled;
* the **kind** head learns the cost its author named for a variant only once the variant has been
  measured slow, and the **tag** head learns the line the author marked in such a variant.

Objective: pairwise logistic loss on file scores (score(slow) > score(fast)), a small tie loss,
plus unit, kind and tag losses. A file's score is a learned aggregate of its unit scores: a
log-sum-exp with a learned temperature plus a learned weight on the number of units. Functions
of the standard library are mixed into both files of a pair as neutral context, never labelled.

Never reads ../shared/benchmarks except in ``--leakage-against`` (a check, never training data):
every training text is compared with the evaluation code by exact and near-duplicate match
(Jaccard similarity of canonical token 5-gram shingles); matches above ``LEAK_JACCARD`` are
dropped and the counts go into the metrics that the model card reports.

``--smoke`` trains a few steps on a few instances into a temporary directory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("hasten.model.train.rank")

PAIR_RATIO = 2.0
TIE_RATIO = 1.25
SLOW_RATIO = 3.0
FAST_RATIO = 1.3
LEAK_JACCARD = 0.6
SHINGLE = 5
MODEL_DIR = Path(__file__).resolve().parent.parent


@dataclass
class UnitEx:
    tokens: list
    depths: list
    lines: list
    label: int = -1  # 1 slow, 0 not slow, -1 unlabelled
    kind: int = -1
    tag_line: int | None = None


@dataclass
class FileEx:
    units: list
    time: float
    text: str


@dataclass
class Instance:
    problem: str
    form: str
    files: list = field(default_factory=list)
    small: list = field(default_factory=list)  # time at the smaller size per file


def _effective_time(times, cap):
    """Time at the larger size; a capped run counts as a multiple of the cap."""
    if not times:
        return None
    if times[0] is None:
        return cap * 8
    if len(times) < 2 or times[1] is None:
        return cap * 2
    return times[1]


def unit_hash(tokens):
    return hashlib.sha1(" ".join(tokens).encode()).hexdigest()


def load_instances(path: Path, limit: int | None = None):
    """Instances whose variants ran cleanly and agreed on their output."""
    from hasten.analyzers.source import Source
    from hasten.model.features import CATEGORIES, extract_units
    from hasten.model.train.measure import CAP_SECONDS

    out = []
    dropped = {"error": 0, "disagree": 0}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if limit and len(out) >= limit:
                break
            j = json.loads(line)
            ok = [v for v in j["variants"] if not v.get("error") and v.get("times")]
            dropped["error"] += len(j["variants"]) - len(ok)
            digests = [v["digest"] for v in ok if v.get("digest") is not None]
            if not digests:
                continue
            major = max(set(digests), key=digests.count)
            good = [v for v in ok if v.get("digest") in (major, None)]
            dropped["disagree"] += len(ok) - len(good)
            if len(good) < 2:
                continue
            inst = Instance(j["problem"], j["form"])
            unit_sets = []
            for v in good:
                units = extract_units(Source(v["text"]))
                unit_sets.append(units)
            counts = {}
            for units in unit_sets:
                for h in {unit_hash(u.tokens) for u in units}:
                    counts[h] = counts.get(h, 0) + 1
            times = [_effective_time(v["times"], CAP_SECONDS) for v in good]
            fastest = min(times)
            for v, units, t in zip(good, unit_sets, times):
                ratio = t / max(fastest, 1e-7)
                exs = []
                for u in units:
                    shared = counts[unit_hash(u.tokens)] == len(good)
                    ex = UnitEx(u.tokens, u.token_depths, u.token_lines)
                    if shared:
                        ex.label = 0
                    elif ratio >= SLOW_RATIO:
                        ex.label = 1
                        cl = v.get("cost_line")
                        if v.get("kind") and cl and u.start_line <= cl <= u.end_line and cl in u.token_lines:
                            ex.kind = CATEGORIES.index(v["kind"])
                            ex.tag_line = cl
                    elif ratio <= FAST_RATIO:
                        ex.label = 0
                        ex.kind = 0
                    exs.append(ex)
                inst.files.append(FileEx(exs, t, v["text"]))
                inst.small.append(v["times"][0] if v["times"][0] is not None else CAP_SECONDS * 4)
            out.append(inst)
    return out, dropped


def make_pairs(instances):
    """(instance index, slow file, fast file, target, weight); target 1 = ordered pair, 0 = tie."""
    pairs = []
    for ii, inst in enumerate(instances):
        n = len(inst.files)
        for a in range(n):
            for b in range(n):
                if a == b:
                    continue
                ta, tb = inst.files[a].time, inst.files[b].time
                r = ta / max(tb, 1e-7)
                if r >= PAIR_RATIO:
                    pairs.append((ii, a, b, 1, min(math.log(r), 3.0)))
                elif a < b and max(r, 1 / r) <= TIE_RATIO:
                    rs = inst.small[a] / max(inst.small[b], 1e-7)
                    if max(rs, 1 / rs) <= TIE_RATIO:
                        pairs.append((ii, a, b, 0, 0.5))
    return pairs


# -- leakage -----------------------------------------------------------------------------------


def shingles(tokens, k=SHINGLE):
    return {" ".join(tokens[i : i + k]) for i in range(max(1, len(tokens) - k + 1))}


def file_tokens(text):
    from hasten.analyzers.source import Source
    from hasten.model.features import extract_units

    toks = []
    for u in extract_units(Source(text)):
        toks.extend(u.tokens)
    return toks


def eval_texts(shared: Path):
    out = []
    for name, key in (("pie-python/pairs.jsonl", "problem_id"), ("enamel/tasks.jsonl", "task_id")):
        p = shared / name
        if not p.is_file():
            log.warning("leakage check: %s not found; skipped", p)
            continue
        with open(p, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                out.append(r["slow_code"])
                out.append(r["fast_code"])
    return out


def leakage_check(instances, shared: Path):
    """Exact and near-duplicate matches of training texts against the evaluation code. Drops the
    matching files (by unit text) and returns the figures."""
    evals = eval_texts(shared)
    if not evals:
        return {"checked": False}
    eval_exact = {t.strip() for t in evals}
    eval_sh = [shingles(file_tokens(t)) for t in evals]
    unique: dict[str, set] = {}
    for inst in instances:
        for fx in inst.files:
            toks = [t for u in fx.units for t in u.tokens]
            unique.setdefault(" ".join(toks), shingles(toks))
    best_overall = 0.0
    near = set()
    for key, sh in unique.items():
        for es in eval_sh:
            inter = len(sh & es)
            if not inter:
                continue
            j = inter / len(sh | es)
            best_overall = max(best_overall, j)
            if j >= LEAK_JACCARD:
                near.add(key)
    exact = sum(1 for inst in instances for fx in inst.files if fx.text.strip() in eval_exact)
    dropped = 0
    for inst in instances:
        keep = []
        for fx, sm in zip(inst.files, inst.small):
            if " ".join(t for u in fx.units for t in u.tokens) in near or fx.text.strip() in eval_exact:
                dropped += 1
            else:
                keep.append((fx, sm))
        inst.files = [k[0] for k in keep]
        inst.small = [k[1] for k in keep]
    return {
        "checked": True,
        "eval_texts": len(evals),
        "distinct_training_texts": len(unique),
        "exact_matches": exact,
        "near_duplicates_at_jaccard": LEAK_JACCARD,
        "near_duplicate_texts": len(near),
        "max_jaccard": round(best_overall, 4),
        "files_dropped": dropped,
    }


# -- context -----------------------------------------------------------------------------------


def context_units(n: int, seed: int, max_tokens: int = 120):
    """Functions of the standard library (at most one window long), never labelled."""
    from hasten.analyzers.source import Source
    from hasten.model.features import function_units
    from hasten.model.train.dataset import corpus_files, stdlib_dir

    files = corpus_files([stdlib_dir()], include_tests=False)
    rng = random.Random(seed)
    rng.shuffle(files)
    out = []
    for _, path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for u in function_units(Source(text)):
            if 16 <= len(u.tokens) <= max_tokens:
                out.append(UnitEx(u.tokens, u.token_depths, u.token_lines))
        if len(out) >= n:
            break
    rng.shuffle(out)
    return out[:n]


# -- model ---------------------------------------------------------------------------------------


def build_model(vocab_size, dim, layers):
    from hasten.model.train.models import Ranker

    return Ranker(vocab_size, dim=dim, layers=layers)


def unit_window(u: UnitEx, vocab, rng):
    from hasten.model.features import MAX_LEN, Unit, window_covering

    unit = Unit("", "function", 0, 0, 0, 0, u.tokens, u.lines, u.depths)
    idx = 0
    if u.tag_line is not None and u.tag_line in u.lines:
        idx = u.lines.index(u.tag_line)
    elif len(u.tokens) > MAX_LEN - 1:
        idx = rng.randrange(len(u.tokens))
    w = window_covering(unit, vocab, idx)
    tags = [0] + [1 if (u.tag_line is not None and ln == u.tag_line) else 0 for ln in w.lines[1:]]
    return w.ids, w.depths, tags


def window_batch(wins):
    """Padded (input_ids, depth_ids, attention_mask) for windows from ``unit_window``."""
    import torch

    width = max(len(w[0]) for w in wins)
    ids = torch.zeros(len(wins), width, dtype=torch.long)
    depths = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for r, (i, d, _) in enumerate(wins):
        ids[r, : len(i)] = torch.tensor(i)
        depths[r, : len(d)] = torch.tensor(d)
        mask[r, : len(i)] = 1
    return ids, depths, mask


def forward_files(model, files, vocab, rng):
    """Unit logits, kind logits and tag logits for a list of files (lists of UnitEx); returns the
    per-file aggregated logits and the flat unit outputs with their examples."""
    import torch

    flat = []
    owner = []
    for fi, units in enumerate(files):
        for u in units:
            flat.append(u)
            owner.append(fi)
    wins = [unit_window(u, vocab, rng) for u in flat]
    ids, depths, mask = window_batch(wins)
    tags = torch.zeros(ids.shape, dtype=torch.float)
    for r, (_, _, t) in enumerate(wins):
        tags[r, : len(t)] = torch.tensor(t, dtype=torch.float)
    score, kind, tag = model(ids, depths, mask)
    owner_t = torch.tensor(owner)
    file_logits = model.aggregate(score, owner_t, len(files))
    return file_logits, score, kind, tag, mask, tags, flat


def losses(model, batch_pairs, instances, context, vocab, rng, train=True):
    import torch
    import torch.nn.functional as F

    files = []
    for ii, a, b, target, w in batch_pairs:
        inst = instances[ii]
        extra = rng.sample(context, 1) if (context and train and rng.random() < 0.5) else []
        files.append(inst.files[a].units + extra)
        files.append(inst.files[b].units + extra)
    fl, score, kind, tag, mask, tags, flat = forward_files(model, files, vocab, rng)
    diff = fl[0::2] - fl[1::2]
    targets = torch.tensor([p[3] for p in batch_pairs], dtype=torch.float)
    weights = torch.tensor([p[4] for p in batch_pairs], dtype=torch.float)
    ordered = targets == 1
    loss = torch.zeros(())
    if ordered.any():
        loss = loss + (F.softplus(-diff[ordered]) * weights[ordered]).sum() / weights[ordered].sum()
    if (~ordered).any():
        loss = loss + 0.2 * (diff[~ordered] ** 2).mean()
    labels = torch.tensor([u.label for u in flat], dtype=torch.float)
    lab = labels >= 0
    if lab.any():
        loss = loss + 0.5 * F.binary_cross_entropy_with_logits(score[lab], labels[lab])
    kinds = torch.tensor([u.kind for u in flat], dtype=torch.long)
    kd = kinds >= 0
    if kd.any():
        loss = loss + 0.3 * F.cross_entropy(kind[kd], kinds[kd])
    tagged = torch.tensor([u.tag_line is not None for u in flat])
    if tagged.any():
        m = mask[tagged].float()
        m[:, 0] = 0
        tl = F.binary_cross_entropy_with_logits(tag[tagged], tags[tagged], reduction="none", pos_weight=torch.tensor(3.0))
        loss = loss + 0.3 * (tl * m).sum() / m.sum().clamp(min=1)
    return loss, diff.detach(), targets


def pair_accuracy(model, pairs, instances, vocab, batch=32):
    import torch

    model.eval()
    right = total = 0.0
    rng = random.Random(0)
    with torch.no_grad():
        for i in range(0, len(pairs), batch):
            chunk = [p for p in pairs[i : i + batch] if p[3] == 1]
            if not chunk:
                continue
            _, diff, _ = losses(model, chunk, instances, [], vocab, rng, train=False)
            right += float((diff > 0).float().sum() + 0.5 * (diff == 0).float().sum())
            total += len(chunk)
    model.train()
    return right / max(total, 1)


# -- main ------------------------------------------------------------------------------------


def split_problems(names, percent=15):
    return {n for n in names if int(hashlib.sha1(n.encode()).hexdigest(), 16) % 100 < percent}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hasten.model.train.rank", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="directory with measured.jsonl")
    ap.add_argument("--output", type=Path, help="where to write the model (default: the package's model dir; temp dir with --smoke)")
    ap.add_argument("--minutes", type=float, default=50.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16, help="pairs per step")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--context", type=int, default=3000, help="standard-library functions mixed in as neutral context")
    ap.add_argument("--leakage-against", type=Path, help="evaluation data to check training texts against (never trained on)")
    ap.add_argument("--max-steps", type=int, default=None, help="stop after this many steps (default: the time budget alone)")
    ap.add_argument("--limit", type=int, default=None, help="read at most this many instances")
    ap.add_argument("--eval-every", type=int, default=300, help="steps between validation checks (the best checkpoint is kept)")
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    try:
        import torch
    except ImportError:
        print("training needs the 'train' extra: pip install 'hasten[train]'", file=sys.stderr)
        return 2
    from hasten.model.features import Vocab
    from hasten.model.train.export import compare_onnx, export_onnx, quantize

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    started = time.monotonic()
    out_dir = args.output or (Path(tempfile.mkdtemp(prefix="hasten-rank-smoke-")) if args.smoke else MODEL_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.smoke:
        args.max_steps = min(args.max_steps or 6, 6)
        args.limit = min(args.limit or 40, 40)
        args.context = min(args.context, 30)
        args.dim, args.layers = 32, 1

    instances, dropped = load_instances(args.data / "measured.jsonl", limit=args.limit)
    log.info("loaded %d instances (dropped variants: %s) in %.0fs", len(instances), dropped, time.monotonic() - started)
    leakage = leakage_check(instances, args.leakage_against) if args.leakage_against else {"checked": False}
    log.info("leakage: %s", leakage)
    val_problems = split_problems({i.problem for i in instances})
    train_idx = [i for i, inst in enumerate(instances) if inst.problem not in val_problems]
    pairs = make_pairs(instances)
    train_pairs = [p for p in pairs if instances[p[0]].problem not in val_problems]
    val_pairs = [p for p in pairs if instances[p[0]].problem in val_problems]
    rng.shuffle(val_pairs)
    val_pairs = val_pairs[:2000]
    log.info("pairs: %d train (%d ordered), %d validation on %d unseen problems %s", len(train_pairs), sum(p[3] for p in train_pairs), len(val_pairs), len(val_problems), sorted(val_problems))
    context = context_units(args.context, args.seed)
    vocab = Vocab.build(
        [u.tokens for i in train_idx for fx in instances[i].files for u in fx.units] + [u.tokens for u in context],
        min_count=3,
    )
    log.info("vocabulary: %d tokens; context units: %d", len(vocab), len(context))

    model = build_model(len(vocab), args.dim, args.layers)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    deadline = started + args.minutes * 60
    step = 0
    history = []
    best = (-1.0, None)
    total_steps_guess = None
    t_train = time.monotonic()
    while time.monotonic() < deadline:
        rng.shuffle(train_pairs)
        for i in range(0, len(train_pairs), args.batch):
            chunk = train_pairs[i : i + args.batch]
            loss, _, _ = losses(model, chunk, instances, context, vocab, rng)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 50 == 0:
                log.info("step %d loss %.4f (%.0f s)", step, float(loss), time.monotonic() - t_train)
            if step % args.eval_every == 0 or (args.smoke and step % 5 == 0):
                acc = pair_accuracy(model, val_pairs, instances, vocab)
                history.append({"step": step, "val_pairwise": round(acc, 4), "seconds": round(time.monotonic() - t_train)})
                log.info("step %d: validation pairwise accuracy %.4f (unseen problems)", step, acc)
                if acc >= best[0]:
                    best = (acc, {k: v.detach().clone() for k, v in model.state_dict().items()})
            if time.monotonic() > deadline or (args.max_steps and step >= args.max_steps):
                break
        if args.max_steps and step >= args.max_steps:
            break
    acc = pair_accuracy(model, val_pairs, instances, vocab)
    history.append({"step": step, "val_pairwise": round(acc, 4), "seconds": round(time.monotonic() - t_train)})
    if best[1] is not None and best[0] > acc:
        model.load_state_dict(best[1])
        acc = best[0]
    train_acc = pair_accuracy(model, train_pairs[:2000], instances, vocab)
    log.info("final: validation %.4f, train %.4f after %d steps", acc, train_acc, step)

    model.eval()
    work = Path(tempfile.mkdtemp(prefix="hasten-rank-"))
    torch.save({"state": model.state_dict(), "vocab": vocab.itos, "dim": args.dim, "layers": args.layers}, work / "ranker.pt")
    log.info("checkpoint: %s", work / "ranker.pt")
    ids, depths, m = window_batch([unit_window(u, vocab, rng) for u in instances[train_idx[0]].files[0].units])
    fp32 = work / "ranker-fp32.onnx"
    export_onnx(model, fp32, (ids, depths, m))
    final = out_dir / "hasten-student.onnx"
    quantize(fp32, final)
    check_batches = [window_batch([unit_window(u, vocab, rng) for u in instances[i].files[0].units]) for i in train_idx[:32]]
    onnx_diff = {"fp32": compare_onnx(model, fp32, check_batches), "int8": compare_onnx(model, final, check_batches)}
    vocab_json = vocab.to_json()
    vocab_json["aggregate"] = model.aggregate_params()
    with open(out_dir / "hasten-vocab.json", "w", encoding="utf-8") as f:
        json.dump(vocab_json, f, indent=0)
    metrics = {
        "objective": "pairwise logistic on learned file aggregate + unit, kind and tag losses",
        "labels": "measured time ratios (pair >= %.1fx, tie <= %.2fx, unit slow >= %.1fx the fastest)" % (PAIR_RATIO, TIE_RATIO, SLOW_RATIO),
        "instances": len(instances),
        "files": sum(len(i.files) for i in instances),
        "problems": len({i.problem for i in instances}),
        "forms": {f: sum(1 for i in instances if i.form == f) for f in ("function", "script")},
        "variants_dropped": dropped,
        "pairs_train": len(train_pairs),
        "pairs_train_ordered": sum(p[3] for p in train_pairs),
        "pairs_validation": len(val_pairs),
        "validation_problems": sorted(val_problems),
        "validation_pairwise_unseen_problems": round(acc, 4),
        "train_pairwise": round(train_acc, 4),
        "history": history,
        "steps": step,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "vocab_size": len(vocab),
        "context_units": len(context),
        "parameters": sum(p.numel() for p in model.parameters()),
        "dim": args.dim,
        "layers": args.layers,
        "threads": args.threads,
        "aggregate": model.aggregate_params(),
        "leakage": leakage,
        "onnx_size_bytes": final.stat().st_size,
        "onnx_max_abs_diff": onnx_diff,
    }
    with open(out_dir / "training-metrics.json", "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=1)
    log.info("wrote %s (%d bytes) and metrics in %.1f min", final, metrics["onnx_size_bytes"], metrics["minutes"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
