"""Evaluate the committed model: ``python benchmarks/model/evaluate.py [--split dev|heldout]``.

Measures, in one run, what model/MODEL_CARD.md reports:

1. pairwise accuracy on real slow/fast pairs written by others (../shared/benchmarks: PIE pairs
   and ENAMEL tasks, read in place, never copied, never trained on): is the slow version scored
   above the fast one? Every suite is split into two fixed halves by a hash of the pair's id
   (``half_of``): ``dev`` is the half we look at while building; ``heldout`` is measured once, at
   the end, and labelled as such in the results. Beside the model, in the same table: line
   count, token count, loop count, deepest loop nesting, ruff finding count
   (``--select PERF,FURB,C4,SIM --preview``), hasten's rule finding count, and a logistic
   regression on the simple features (leave-one-pair-out on the half it is reported on; for the
   held-out half, fitted on the dev half). A tie counts as half right. 95% bootstrap intervals;
2. invariance: how often the order of a pair flips when both files go through an ``ast.unparse``
   round trip, or through a reformatting (2-space indent, redundant parentheses, comments);
3. size, load time, per-function latency (median, p95) and the peak memory of a process running
   the server module with the model loaded;
4. a random sample of model-only HS900 findings on installed packages (``--packages-dir``; the
   standard library is left out because the training mixes it in as context), written to
   results/precision_sample.md for judging by hand.

Needs no torch. Results go to benchmarks/model/results/.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import math
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tokenize
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = HERE / "results"
SHARED = REPO.parent / "shared" / "benchmarks"
SUITES = (("pie", "pie-python/pairs.jsonl", "problem_id"), ("enamel", "enamel/tasks.jsonl", "task_id"))


def half_of(suite: str, pid: str) -> str:
    """The fixed half a pair belongs to: "dev" or "heldout"."""
    return "dev" if int(hashlib.sha1(f"{suite}:{pid}".encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def load_pairs(split: str | None = "dev"):
    """[(suite, id, slow, fast)] of one half (all with ``split=None``), or [] with a message."""
    out = []
    for suite, rel, key in SUITES:
        path = SHARED / rel
        if not path.is_file():
            print(f"skipping {suite}: {path} not found (expected ../shared/benchmarks beside the repo)", file=sys.stderr)
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                pid = str(r.get(key))
                if split is None or half_of(suite, pid) == split:
                    out.append((suite, pid, r["slow_code"], r["fast_code"]))
    return out


# -- 1. pairwise -------------------------------------------------------------------------------


def model_scores(scorer, code):
    """(learned file score, highest unit score) for one file."""
    from hasten.analyzers.source import Source

    scores = scorer.score_source(Source(code))
    return scorer.file_score(scores), max((s.score for s in scores), default=0.0)


def rule_count(code):
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source

    # Preview rules on, the model's HS900 off: the rules alone.
    return sum(1 for f in check(Source(code), Config(preview=True, ignore=("HS900",))).findings if f.code != "HS900")


_LOOP_NODES = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def simple_features(code):
    """Line count, token count, loop count and deepest loop nesting."""
    lines = sum(1 for ln in code.splitlines() if ln.strip() and not ln.strip().startswith("#"))
    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
                if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)]
        n_tokens = len(toks)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        n_tokens = len(code.split())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {"lines": lines, "tokens": n_tokens, "loops": 0, "loop_depth": 0}
    loops = sum(isinstance(n, _LOOP_NODES) for n in ast.walk(tree))

    def depth(node, d=0):
        here = d + isinstance(node, _LOOP_NODES)
        return max([here] + [depth(c, here) for c in ast.iter_child_nodes(node)])

    return {"lines": lines, "tokens": n_tokens, "loops": loops, "loop_depth": depth(tree)}


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
        version = subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip()
        return [counts[p.name] for p in paths], version


FEATURES = ("lines", "tokens", "loops", "loop_depth", "ruff")


def _right(slow, fast):
    return 1.0 if slow > fast else 0.5 if slow == fast else 0.0


def _fit_logistic(x, y, l2=1.0, steps=500, lr=0.1):
    """Plain gradient-descent logistic regression without intercept (pairwise differences are
    symmetric), on standardised features. Returns (weights, scale)."""
    import numpy as np

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    scale = np.abs(x).std(0) + 1e-9
    xs = x / scale
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xs @ w))
        grad = xs.T @ (p - y) / len(y) + l2 * w / len(y)
        w -= lr * grad
    return w, scale


def _pair_design(rows, names):
    """Both orders of each pair: (slow - fast, 1) and (fast - slow, 0)."""
    x, y = [], []
    for r in rows:
        d = [math.log1p(r[n][0]) - math.log1p(r[n][1]) for n in names]
        x.append(d)
        y.append(1)
        x.append([-v for v in d])
        y.append(0)
    return x, y


def logistic_predictions(rows, names, fit_rows=None):
    """Per-row 1/0.5/0 for a pairwise logistic regression on ``names``: fitted on ``fit_rows``
    when given (held-out use), else leave-one-pair-out on ``rows``."""
    import numpy as np

    out = []
    for i, r in enumerate(rows):
        train = fit_rows if fit_rows is not None else rows[:i] + rows[i + 1 :]
        x, y = _pair_design(train, names)
        w, scale = _fit_logistic(x, y)
        d = np.array([math.log1p(r[n][0]) - math.log1p(r[n][1]) for n in names]) / scale
        z = float(d @ w)
        out.append(1.0 if z > 1e-12 else 0.5 if abs(z) <= 1e-12 else 0.0)
    return out


def bootstrap(values, n=2000, seed=0):
    rng = random.Random(seed)
    k = len(values)
    means = sorted(sum(values[rng.randrange(k)] for _ in range(k)) / k for _ in range(n))
    return [round(means[int(0.025 * n)], 3), round(means[int(0.975 * n) - 1], 3)]


def pair_rows(scorer, pairs):
    rows = []
    for suite, pid, slow, fast in pairs:
        ms, mf = model_scores(scorer, slow), model_scores(scorer, fast)
        fs, ff = simple_features(slow), simple_features(fast)
        row = {"suite": suite, "id": pid, "model": (ms[0], mf[0]), "model_max": (ms[1], mf[1]),
               "rules": (rule_count(slow), rule_count(fast))}
        for k in fs:
            row[k] = (fs[k], ff[k])
        rows.append(row)
    rc = ruff_counts([c for _, _, s, f in pairs for c in (s, f)])
    if rc is not None:
        counts, _ = rc
        for i, r in enumerate(rows):
            r["ruff"] = (counts[2 * i], counts[2 * i + 1])
    return rows, (rc[1] if rc else None)


METHODS = ("model", "model_max", "lines", "tokens", "loops", "loop_depth", "ruff", "rules")


def pairwise(scorer, pairs, fit_pairs_rows=None):
    """Accuracy per suite and method with bootstrap intervals. ``fit_pairs_rows``: rows of the
    dev half to fit the regressions on (for the held-out half)."""
    rows, ruff_ver = pair_rows(scorer, pairs)
    out = {"ruff_version": ruff_ver, "tie_counts_half": True, "bootstrap": "95% percentile interval, 2000 resamples of pairs"}
    names = [n for n in FEATURES if rows and n in rows[0]]
    for suite in sorted({r["suite"] for r in rows}):
        sub = [r for r in rows if r["suite"] == suite]
        fit = [r for r in fit_pairs_rows if r["suite"] == suite] if fit_pairs_rows else None
        res = {"pairs": len(sub)}
        for method in METHODS:
            if method not in sub[0]:
                continue
            vals = [_right(*r[method]) for r in sub]
            res[method] = {"accuracy": round(sum(vals) / len(vals), 4), "ci95": bootstrap(vals),
                           "ties": sum(1 for r in sub if r[method][0] == r[method][1])}
        for label, cols in (("logistic_simple", names), ("logistic_simple_plus_model", names + ["model"])):
            vals = logistic_predictions(sub, cols, fit)
            res[label] = {"accuracy": round(sum(vals) / len(vals), 4), "ci95": bootstrap(vals), "features": cols,
                          "fitted_on": "dev half" if fit else "leave-one-pair-out"}
        baselines = {k: v["accuracy"] for k, v in res.items() if isinstance(v, dict) and k not in ("model", "model_max", "logistic_simple_plus_model")}
        best = max(baselines, key=baselines.get)
        res["best_baseline"] = {"method": best, "accuracy": baselines[best]}
        res["model_minus_best_baseline"] = round(res["model"]["accuracy"] - baselines[best], 4)
        out[suite] = res
    out["rows"] = rows
    return out


# -- 2. invariance -----------------------------------------------------------------------------


def unparse_round_trip(code):
    return ast.unparse(ast.parse(code)) + "\n"


def reformat(code):
    """Formatting-only edits: 2-space indentation, redundant parentheses around conditions and
    return values, a comment before every function, blank lines removed."""
    text = unparse_round_trip(code)
    out = []
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        level = (len(line) - len(stripped)) // 4
        lead = "  " * level
        for kw in ("if ", "while ", "elif "):
            if stripped.startswith(kw) and stripped.endswith(":"):
                stripped = f"{kw}({stripped[len(kw):-1]}):"
        if stripped.startswith("return ") and len(stripped) > 7:
            stripped = f"return ({stripped[7:]})"
        if stripped.startswith("def "):
            out.append(lead + "# helper")
        if stripped:
            out.append(lead + stripped)
    return "\n".join(out) + "\n"


def invariance(scorer, pairs):
    """Share of pairs whose order (slow above fast, equal, below) changes under each edit, and the
    mean absolute change of a file's score."""
    res = {}
    for name, edit in (("ast_unparse", unparse_round_trip), ("reformat", reformat)):
        flips = 0
        deltas = []
        n = 0
        for _, _, slow, fast in pairs:
            try:
                slow2, fast2 = edit(slow), edit(fast)
            except SyntaxError:
                continue
            a = model_scores(scorer, slow)[0], model_scores(scorer, fast)[0]
            b = model_scores(scorer, slow2)[0], model_scores(scorer, fast2)[0]
            sign = lambda x, y: (x > y) - (x < y)
            flips += sign(*a) != sign(*b)
            deltas += [abs(a[0] - b[0]), abs(a[1] - b[1])]
            n += 1
        res[name] = {"pairs": n, "flip_rate": round(flips / max(n, 1), 4), "flips": flips,
                     "mean_abs_score_change": round(statistics.mean(deltas), 5) if deltas else None,
                     "max_abs_score_change": round(max(deltas), 5) if deltas else None}
    return res


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
    from hasten.model.train.dataset import corpus_files

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if not packages_dir:
        return {"files_scanned": 0, "findings": 0, "threshold": threshold, "sample": [],
                "note": "no --packages-dir: the standard library is training context, so it is not sampled"}
    files = corpus_files([Path(packages_dir)], include_tests=False)
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
        existing = check(src).findings  # HS900 is preview: off in the default configuration
        for f in model_findings(src, scorer.score_source(src), existing, threshold=threshold):
            line = src.line_of_byte(f.start)
            lo, hi = max(0, line - 3), min(src.line_count, line + 4)
            context = "\n".join(f"{i + 1:5d}{'>' if i == line else ' '} {src.line_text(i)}" for i in range(lo, hi))
            found.append({"file": name, "line": line + 1, "message": f.message, "extra": f.extra, "context": context})
    sample = rng.sample(found, min(n, len(found)))
    sample.sort(key=lambda r: (r["file"], r["line"]))
    return {"files_scanned": scanned, "findings": len(found), "threshold": threshold, "sample": sample}



def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="ONNX model (default: the committed one)")
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev", help="which half of the pairs (heldout: once, at the end)")
    ap.add_argument("--packages-dir", help="directory of installed pure-Python packages for the precision sample")
    ap.add_argument("--quick", action="store_true", help="fewer units (CI)")
    ap.add_argument("--results", type=Path, default=RESULTS, help="directory for the results (default: benchmarks/model/results)")
    ap.add_argument("--threshold", type=float, default=None, help="threshold for the precision sample (default: the runtime default)")
    ap.add_argument("--sample", type=int, default=40, help="findings in the precision sample")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: speed,memory,pairs,invariance,precision (a partial run updates the existing results file)")
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
    if out.is_file() and (skip or args.split == "heldout"):
        report = json.loads(out.read_text())  # a partial run updates the parts it measured
    report.update({"model": model_path.name, "python": sys.version.split()[0]})
    if args.split == "heldout":
        skip |= {"speed", "memory", "precision"}
    if "speed" not in skip:
        report["speed"] = speed(lambda: Scorer(model_path, vocab_path), model_path, n_units=100 if args.quick else 400)
        print("speed", json.dumps(report["speed"]), flush=True)
    if "memory" not in skip:
        report["memory"] = memory()
        print("memory", json.dumps({k: v for k, v in report["memory"].items() if not isinstance(v, dict)}), flush=True)
    pairs = load_pairs(args.split)
    if "pairs" not in skip and pairs:
        fit_rows = None
        if args.split == "heldout":
            fit_rows = pair_rows(scorer, load_pairs("dev"))[0]
        res = pairwise(scorer, pairs, fit_rows)
        key = "pairwise_" + args.split
        report[key] = {k: v for k, v in res.items() if k != "rows"}
        (results / f"pairwise_rows_{args.split}.json").write_text(json.dumps(res["rows"], indent=0))
        print(key, json.dumps(report[key]), flush=True)
    if "invariance" not in skip and pairs:
        report["invariance_" + args.split] = invariance(scorer, pairs)
        print("invariance", json.dumps(report["invariance_" + args.split]), flush=True)
    if "precision" not in skip:
        ps = precision_sample(scorer, n=args.sample, packages_dir=args.packages_dir, threshold=args.threshold)
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
