"""Evaluate the committed model: ``python benchmarks/model/evaluate.py [--quick]``.

Measures, in one run, everything model/MODEL_CARD.md reports:

1. held-out injected data (files the training never saw): precision, recall and F1 overall and
   per category, ROC AUC, and how often the top line is a mutated line;
2. pairwise accuracy on real slow/fast pairs written by others (../shared/benchmarks: PIE pairs
   and ENAMEL tasks, read in place, never copied, never trained on): does the slow version score
   higher than the fast one (module score = highest unit score)? Beside three baselines measured
   in the same run: count of hasten rule findings, count of ruff findings
   (``--select PERF,FURB,C4,SIM --preview``) and "the longer file is the slower one". A tie counts
   as half right for every method;
3. size, load time, per-function latency (median, p95) and the peak memory of a process running
   the server module with the model loaded;
4. a random sample of model-only HS900 findings on the standard library and installed packages,
   written to results/precision_sample.md for judging by hand.

Needs no torch. Results go to benchmarks/model/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = HERE / "results"
SHARED = REPO.parent / "shared" / "benchmarks"


def load_pairs():
    """[(suite, id, slow, fast)] from ../shared/benchmarks, or [] with a message."""
    out = []
    pie = SHARED / "pie-python" / "pairs.jsonl"
    enamel = SHARED / "enamel" / "tasks.jsonl"
    for path, suite, key in ((pie, "pie", "problem_id"), (enamel, "enamel", "task_id")):
        if not path.is_file():
            print(f"skipping {suite}: {path} not found (expected ../shared/benchmarks beside the repo)", file=sys.stderr)
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                out.append((suite, str(r.get(key)), r["slow_code"], r["fast_code"]))
    return out


# -- 1. held-out injected data ---------------------------------------------------------------


def heldout_eval(scorer, thresholds=(0.5, 0.8), max_files=None, packages_dir=None):
    from hasten.model.features import CATEGORIES, Unit
    from hasten.model.train.dataset import build_dataset, describe, stdlib_dir

    roots = [stdlib_dir()] + ([Path(packages_dir)] if packages_dir else [])
    from hasten.model.train.__main__ import rule_findings

    splits = build_dataset(roots, seed=1, max_files=max_files, only_splits=("heldout",), labeler=rule_findings)
    samples = splits["heldout"]
    units = []
    for i, s in enumerate(samples):
        u = Unit(s.qualname, "function", 0, 0, 1, max(s.lines), s.tokens, s.lines, s.depths, text=f"heldout-{i}")
        units.append(u)
    scores = scorer.score_units(units)
    result = {"samples": describe(samples), "n": len(samples)}
    y = [s.label for s in samples]
    p = [sc.score for sc in scores]
    result["auc"] = round(_auc(y, p), 4)
    for t in thresholds:
        per = {}
        for ci, cname in enumerate(CATEGORIES):
            tp = fp = fn = 0
            for s, sc in zip(samples, scores):
                truth = s.label == 1 and s.category == ci
                pred = sc.score >= t and sc.category == cname
                tp += truth and pred
                fp += (not truth) and pred
                fn += truth and not pred
            per[cname] = _prf(tp, fp, fn)
        tp = sum(1 for a, b in zip(y, p) if a == 1 and b >= t)
        fp = sum(1 for a, b in zip(y, p) if a == 0 and b >= t)
        fn = sum(1 for a, b in zip(y, p) if a == 1 and b < t)
        result[f"threshold_{t}"] = {"overall": _prf(tp, fp, fn), "categories": per}
    # per-origin recall (mutation operators, rule labels) at 0.5
    by_origin = {}
    for s, sc in zip(samples, scores):
        d = by_origin.setdefault(s.origin, [0, 0])
        d[0] += 1
        d[1] += sc.score >= 0.5
    result["flagged_at_0.5_by_origin"] = {k: round(v[1] / v[0], 3) for k, v in sorted(by_origin.items())}
    hits = total = 0
    for s, sc in zip(samples, scores):
        if s.label == 1 and sc.top_lines:
            tagged = {ln for ln, t in zip(s.lines, s.tags) if t}
            hits += sc.top_lines[0] in tagged
            total += 1
    result["top_line_is_injected_line"] = round(hits / total, 4) if total else None
    return result


def _prf(tp, fp, fn):
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": tp + fn}


def _auc(y, p):
    pos = [b for a, b in zip(y, p) if a == 1]
    neg = [b for a, b in zip(y, p) if a == 0]
    if not pos or not neg:
        return float("nan")
    wins = 0.0
    neg_sorted = sorted(neg)
    import bisect

    for v in pos:
        lo = bisect.bisect_left(neg_sorted, v)
        hi = bisect.bisect_right(neg_sorted, v)
        wins += lo + 0.5 * (hi - lo)
    return wins / (len(pos) * len(neg))


# -- 2. pairwise ---------------------------------------------------------------------------


def module_score(scorer, code):
    from hasten.analyzers.source import Source

    scores = scorer.score_source(Source(code))
    return max((s.score for s in scores), default=0.0)


def rule_count(code):
    from hasten.analyzers.checker import check
    from hasten.analyzers.source import Source

    return sum(1 for f in check(Source(code)).findings if f.code != "HS900")


def ruff_counts(codes):
    """Number of ruff findings per code string; None when ruff is not installed."""
    ruff = shutil.which("ruff")
    if ruff is None:
        print("ruff not found (pip install ruff); skipping the ruff baseline", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, c in enumerate(codes):
            p = Path(tmp) / f"f{i:04d}.py"
            p.write_text(c, encoding="utf-8")
            paths.append(p)
        proc = subprocess.run(
            [ruff, "check", "--isolated", "--no-cache", "--preview", "--select", "PERF,FURB,C4,SIM", "--output-format", "json", "--exit-zero", tmp],
            capture_output=True,
            text=True,
        )
        items = json.loads(proc.stdout or "[]")
        counts = {p.name: 0 for p in paths}
        for it in items:
            counts[Path(it["filename"]).name] = counts.get(Path(it["filename"]).name, 0) + 1
        return [counts[p.name] for p in paths], proc.stdout and ruff_version(ruff)


def ruff_version(ruff):
    return subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip()


def pairwise(scorer, pairs):
    def right(slow, fast):
        return 1.0 if slow > fast else 0.5 if slow == fast else 0.0

    rows = []
    for suite, pid, slow, fast in pairs:
        rows.append(
            {
                "suite": suite,
                "id": pid,
                "model": (module_score(scorer, slow), module_score(scorer, fast)),
                "rules": (rule_count(slow), rule_count(fast)),
                "length": (len(slow), len(fast)),
            }
        )
    rc = ruff_counts([c for _, _, s, f in pairs for c in (s, f)])
    ruff_ver = None
    if rc is not None:
        counts, ruff_ver = rc
        for i, r in enumerate(rows):
            r["ruff"] = (counts[2 * i], counts[2 * i + 1])
    out = {"ruff_version": ruff_ver, "tie_counts_half": True}
    for suite in sorted({r["suite"] for r in rows}):
        sub = [r for r in rows if r["suite"] == suite]
        res = {"pairs": len(sub)}
        for method in ("model", "rules", "ruff", "length"):
            if method not in sub[0]:
                continue
            vals = [right(*r[method]) for r in sub]
            res[method] = {
                "accuracy": round(sum(vals) / len(vals), 4),
                "ties": sum(1 for r in sub if r[method][0] == r[method][1]),
            }
        out[suite] = res
    out["rows"] = [{k: v for k, v in r.items()} for r in rows]
    return out


# -- 3. size, load, latency, memory -------------------------------------------------------


def speed(scorer_factory, model_path, n_units=400):
    from hasten.analyzers.source import Source
    from hasten.model.features import extract_units
    from hasten.model.train.dataset import corpus_files, stdlib_dir

    loads = []
    for _ in range(5):
        t = time.perf_counter()
        scorer_factory()
        loads.append(time.perf_counter() - t)
    scorer = scorer_factory()
    files = corpus_files([stdlib_dir()], include_tests=False)
    rng = random.Random(0)
    rng.shuffle(files)
    units = []
    feature_seconds = 0.0
    for _, path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        t = time.perf_counter()
        src = Source(text)
        found = extract_units(src, include_module=False)
        feature_seconds += time.perf_counter() - t
        units.extend(found)
        if len(units) >= n_units * 3:
            break
    feature_ms_per_unit = feature_seconds * 1000 / max(len(units), 1)
    units = rng.sample(units, min(n_units, len(units)))
    single = []
    for u in units:
        scorer.clear_cache()
        t = time.perf_counter()
        scorer.score_units([u])
        single.append((time.perf_counter() - t) * 1000)
    scorer.clear_cache()
    t = time.perf_counter()
    scorer.score_units(units)
    batched = (time.perf_counter() - t) * 1000 / len(units)
    t = time.perf_counter()
    scorer.score_units(units)
    cached = (time.perf_counter() - t) * 1000 / len(units)
    # features alone (parse + tokenize) for one typical file, per unit
    single.sort()
    tokens = sorted(len(u.tokens) for u in units)
    return {
        "model_bytes": Path(model_path).stat().st_size,
        "vocab_bytes": Path(model_path).with_name("hasten-vocab.json").stat().st_size,
        "load_seconds_median": round(statistics.median(loads), 4),
        "load_seconds_max": round(max(loads), 4),
        "units": len(units),
        "tokens_median": tokens[len(tokens) // 2],
        "latency_ms_single_median": round(statistics.median(single), 3),
        "latency_ms_single_p95": round(single[int(0.95 * (len(single) - 1))], 3),
        "latency_ms_batched_per_unit": round(batched, 3),
        "latency_ms_cached_per_unit": round(cached, 4),
        "features_ms_per_unit_parse_and_tokenize": round(feature_ms_per_unit, 3),
        "latency_ms_single_mean": round(statistics.mean(single), 3),
        "cpu_threads": 1,
    }


MEMORY_PROBE = r"""
import resource, sys, json

def peak_kb():
    # VmHWM belongs to this process image; ru_maxrss can carry the parent's peak across exec.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

import hasten.server.cli
try:
    import hasten.server.lsp.server
except Exception:
    pass
before = peak_kb()
if sys.argv[1] == "1":
    from hasten.analyzers.source import Source
    from hasten.model.loader import load_scorer
    s = load_scorer()
    s.score_source(Source(open(sys.argv[2], encoding="utf-8").read()))
after = peak_kb()
print(json.dumps({"rss_kb_before": before, "rss_kb_after": after, "torch_imported": "torch" in sys.modules}))
"""


def memory():
    import json as _json

    target = str(Path(json.__file__))
    res = {}
    for flag in ("0", "1"):
        out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, flag, target], capture_output=True, text=True, cwd=str(REPO))
        if out.returncode != 0:
            return {"error": out.stderr[-500:]}
        res["with_model" if flag == "1" else "without_model"] = _json.loads(out.stdout)
    res["peak_rss_mb_server_with_model"] = round(res["with_model"]["rss_kb_after"] / 1024, 1)
    res["peak_rss_mb_server_without_model"] = round(res["without_model"]["rss_kb_after"] / 1024, 1)
    # measured inside the same process, so changes elsewhere in the server do not blur it
    res["model_overhead_mb"] = round((res["with_model"]["rss_kb_after"] - res["with_model"]["rss_kb_before"]) / 1024, 1)
    return res


# -- 4. precision sample ------------------------------------------------------------------


def precision_sample(scorer, n=40, threshold=None, packages_dir=None, seed=7):
    from hasten.analyzers.checker import check
    from hasten.analyzers.source import Source
    from hasten.analyzers.rules.hs900_likely_inefficient import DEFAULT_THRESHOLD, model_findings
    from hasten.model.train.dataset import corpus_files, stdlib_dir

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    roots = [stdlib_dir()] + ([Path(packages_dir)] if packages_dir else [])
    files = corpus_files(roots, include_tests=False)
    rng = random.Random(seed)
    rng.shuffle(files)
    found = []
    scanned = 0
    for name, path in files[:600]:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        src = Source(text, path=name)
        scanned += 1
        existing = check(src).findings
        for f in model_findings(src, scorer.score_source(src), existing, threshold=threshold):
            line = src.line_of_byte(f.start)
            lo, hi = max(0, line - 3), min(src.line_count, line + 4)
            context = "\n".join(f"{i + 1:5d}{'>' if i == line else ' '} {src.line_text(i)}" for i in range(lo, hi))
            found.append({"file": name, "line": line + 1, "message": f.message, "extra": f.extra, "context": context})
    sample = rng.sample(found, min(n, len(found)))
    sample.sort(key=lambda r: (r["file"], r["line"]))
    return {"files_scanned": scanned, "findings": len(found), "threshold": threshold, "sample": sample}


def threshold_sweep(scorer, thresholds=(0.5, 0.8, 0.9, 0.95, 0.98, 0.99), n_files=250, seed=3):
    """Recall on held-out injected functions, false-positive rate on held-out untouched ones, and
    the share of real functions flagged (stdlib files, tests excluded), per threshold."""
    from hasten.analyzers.source import Source
    from hasten.model.features import Unit
    from hasten.model.train.dataset import build_dataset, corpus_files, stdlib_dir

    samples = build_dataset([stdlib_dir()], seed=1, only_splits=("heldout",))["heldout"]
    units = [Unit(s.qualname, "function", 0, 0, 1, max(s.lines), s.tokens, s.lines, s.depths, text=f"sweep-{i}") for i, s in enumerate(samples)]
    scores = scorer.score_units(units)
    pos = [sc.score for s, sc in zip(samples, scores) if s.label == 1]
    neg = [sc.score for s, sc in zip(samples, scores) if s.label == 0]
    files = corpus_files([stdlib_dir()], include_tests=False)
    random.Random(seed).shuffle(files)
    real = []
    for _, path in files[:n_files]:
        try:
            real += [x.score for x in scorer.score_source(Source(path.read_text(encoding="utf-8")), include_module=False)]
        except (UnicodeDecodeError, OSError):
            continue
    rows = []
    for t in thresholds:
        rows.append(
            {
                "threshold": t,
                "recall_injected": round(sum(p >= t for p in pos) / len(pos), 4),
                "fpr_heldout_negatives": round(sum(p >= t for p in neg) / len(neg), 4),
                "share_real_functions_flagged": round(sum(p >= t for p in real) / len(real), 4),
            }
        )
    return {"positives": len(pos), "negatives": len(neg), "real_functions": len(real), "rows": rows}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="ONNX model (default: the committed one)")
    ap.add_argument("--packages-dir", help="directory of installed pure-Python packages for held-out data and the precision sample")
    ap.add_argument("--quick", action="store_true", help="fewer files and units (CI)")
    ap.add_argument("--results", type=Path, default=RESULTS, help="directory for the results (default: benchmarks/model/results)")
    ap.add_argument("--threshold", type=float, default=None, help="threshold for the precision sample (default: the runtime default)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: speed,memory,pairs,sweep,heldout,precision (a partial run updates the existing results file)")
    args = ap.parse_args(argv)
    from hasten.model.loader import MODEL_FILE, VOCAB_FILE
    from hasten.model.runtime import Scorer

    model_path = Path(args.model) if args.model else MODEL_FILE
    vocab_path = model_path.with_name(VOCAB_FILE.name)
    scorer = Scorer(model_path, vocab_path)
    skip = set(filter(None, args.skip.split(",")))
    results = args.results
    results.mkdir(parents=True, exist_ok=True)
    out = results / ("model_eval_quick.json" if args.quick else "model_eval.json")
    report = {}
    if skip and out.is_file():
        report = json.loads(out.read_text())  # a partial run updates the parts it measured
    report.update({"model": model_path.name, "python": sys.version.split()[0]})
    if "speed" not in skip:
        report["speed"] = speed(lambda: Scorer(model_path, vocab_path), model_path, n_units=100 if args.quick else 400)
        print("speed", json.dumps(report["speed"]), flush=True)
    if "memory" not in skip:
        report["memory"] = memory()
        print("memory", json.dumps({k: v for k, v in report["memory"].items() if not isinstance(v, dict)}), flush=True)
    if "pairs" not in skip:
        pairs = load_pairs()
        if pairs:
            res = pairwise(scorer, pairs)
            report["pairwise"] = {k: v for k, v in res.items() if k != "rows"}
            (results / "pairwise_rows.json").write_text(json.dumps(res["rows"], indent=0))
            print("pairwise", json.dumps(report["pairwise"]), flush=True)
    if "sweep" not in skip:
        report["threshold_sweep"] = threshold_sweep(scorer)
        print("sweep", json.dumps(report["threshold_sweep"]), flush=True)
    if "heldout" not in skip:
        report["heldout"] = heldout_eval(scorer, max_files=200 if args.quick else None, packages_dir=args.packages_dir)
        print("heldout", json.dumps(report["heldout"]), flush=True)
    if "precision" not in skip:
        ps = precision_sample(scorer, packages_dir=args.packages_dir, threshold=args.threshold)
        report["precision_sample"] = {k: v for k, v in ps.items() if k != "sample"}
        with open(results / "precision_sample.md", "w", encoding="utf-8") as f:
            f.write(f"# Model-only HS900 findings: random sample of {len(ps['sample'])} of {ps['findings']} "
                    f"(threshold {ps['threshold']}, {ps['files_scanned']} files)\n\n")
            for i, r in enumerate(ps["sample"], 1):
                f.write(f"## {i}. {r['file']}:{r['line']}\n\n{r['message']}\n\n```\n{r['context']}\n```\n\nVerdict: \n\n")
        print("precision", json.dumps(report["precision_sample"]), flush=True)
    out.write_text(json.dumps(report, indent=1))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
