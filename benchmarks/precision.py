"""Precision of every rule on real code nobody here wrote.

    python benchmarks/precision.py                 # stdlib + the pinned packages, all rules
    python benchmarks/precision.py --rules HS102,HS103 --no-packages
    python benchmarks/precision.py --fresh                 # default rules on code never tuned on
    python benchmarks/precision.py --corpus fresh2-held-out  # a named fresh set (see FRESH_SETS)

The corpus is the CPython standard library of the running interpreter (tests excluded) and a few
popular pure-Python packages installed with ``pip install --no-deps --target <tmpdir>`` (never
committed). Every rule runs, preview included. Per rule the script records how often it fires
and samples up to 10 hits (fixed seed) into ``benchmarks/precision/samples/HSNNN.json``, with the
flagged line and some context for a reader.

Humans judge the samples and record the verdicts in
``benchmarks/precision/judgments/HSNNN.json``: a list of ``{"file": "stdlib/json/encoder.py",
"line": 120, "true_positive": true, "reason": "one line"}``, where a true positive is a real
inefficiency worth fixing. The script combines hit counts and judgments into
``benchmarks/results/precision.json``, which docs/rules.md quotes. A rule below 80% judged
precision must be status PREVIEW.

``--fresh`` measures on code the rules were not tuned on: the pinned sdists in
``benchmarks/fix_safety/corpora.py`` (package code, tests excluded), default rules only. It draws
one seeded sample stratified by rule (every rule that fires is represented) into
``benchmarks/precision/samples/fresh/``; judgments live in ``benchmarks/precision/judgments/fresh/``
with a three-way verdict, and the figures go to ``benchmarks/results/precision_fresh.json``
together with the pooled (tuned + fresh) precision per rule.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES = HERE / "precision" / "samples"
JUDGMENTS = HERE / "precision" / "judgments"
RESULT = HERE / "results" / "precision.json"
FRESH_SAMPLES = SAMPLES / "fresh"
FRESH_JUDGMENTS = JUDGMENTS / "fresh"
FRESH_RESULT = HERE / "results" / "precision_fresh.json"
FRESH_SAMPLE_SIZE = 72  # the whole fresh sample, split over the rules that fire
FRESH_MIN_PER_RULE = 3
# Verdicts on fresh code; only the first counts as a true positive.
VERDICTS = ("worth fixing", "true but negligible", "false alarm")
# Complexity thresholds are not inefficiency findings (and off by default); the model's
# function-level findings get only the floor, so they do not crowd out the rules.
FRESH_SKIP_PREFIXES = ("HS5",)
FRESH_FLOOR_ONLY = ("HS9",)

# Pinned so that re-runs sample the same hits.
PACKAGES = (
    "requests==2.32.3", "rich==13.9.4", "jinja2==3.1.4", "click==8.1.7",
    "pygments==2.21.0", "docutils==0.23", "attrs==26.1.0",
    # Code that uses numpy and pandas, for the data-library rules (HS4xx).
    "seaborn==0.13.2", "statsmodels==0.15.0", "mlxtend==0.25.0", "lifelines==0.30.3", "yfinance==1.7.0",
)
SAMPLE_SIZE = 10
SEED = 20260101
CONTEXT_LINES = 3
# Parts of the stdlib that are not library code.
STDLIB_SKIP = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__", "lib2to3", "turtledemo"}
PRECISION_BAR = 0.8


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def install_packages(packages: list[str], target: Path) -> dict[str, Path]:
    """Install each package (without dependencies) into ``target``; return name -> import dir."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", "--target", str(target), *packages],
        check=True,
    )
    roots = {}
    for spec in packages:
        name = spec.split("==")[0].lower()
        path = target / name
        if path.is_dir():
            roots[name] = path
        else:
            print(f"precision: {spec} installed no '{name}' package directory; skipped", file=sys.stderr)
    return roots


def python_files(root: Path, skip: set[str]) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if not (set(p.relative_to(root).parts[:-1]) & skip))


def scan(corpus: dict[str, Path], codes: list[str] | None, files: dict[str, list[Path]] | None = None,
         default_rules: bool = False) -> dict[str, list[dict]]:
    """Run the rules over every file; return code -> hits ({file, line, text}).

    ``files`` gives the files to read per corpus label (default: every Python file under its
    root); ``default_rules`` runs the rules a user gets without configuration instead of all.
    """
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.registry import all_rules, select_rules
    from hasten.analyzers.source import Source

    if default_rules:
        config = Config(target_version=sys.version_info[:2])
        selected = tuple(r.code for r in select_rules(None))
    else:
        selected = tuple(codes) if codes else tuple(r.code for r in all_rules())
        config = Config(select=selected, preview=True, target_version=sys.version_info[:2])
    hits: dict[str, list[dict]] = {code: [] for code in selected}
    scorer = None
    if any(code.startswith("HS9") for code in selected):
        from hasten.model.loader import load_scorer

        scorer = load_scorer()  # the model's findings (HS900) need it, as in the CLI
    for label, root in corpus.items():
        paths = files[label] if files else python_files(root, STDLIB_SKIP if label == "stdlib" else {"__pycache__"})
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            rel = f"{label}/{path.relative_to(root).as_posix()}"
            source = Source(text, rel)
            for finding in check(source, config, scorer=scorer).findings:
                if finding.code not in hits:
                    continue
                line = source.line_of_byte(finding.start)
                lo, hi = max(0, line - CONTEXT_LINES), min(source.line_count, line + CONTEXT_LINES + 1)
                hits[finding.code].append({
                    "file": rel,
                    "line": line + 1,
                    "message": finding.message,
                    "text": source.line_text(line).strip(),
                    "context": "\n".join(source.line_text(i) for i in range(lo, hi)),
                })
    return hits


def sample(hits: list[dict], code: str) -> list[dict]:
    ordered = sorted(hits, key=lambda h: (h["file"], h["line"]))
    if len(ordered) <= SAMPLE_SIZE:
        return ordered
    rng = random.Random(f"{SEED}-{code}")
    return sorted(rng.sample(ordered, SAMPLE_SIZE), key=lambda h: (h["file"], h["line"]))


def load_judgments(code: str) -> list[dict]:
    path = JUDGMENTS / f"{code}.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data:
        missing = {"file", "line", "true_positive", "reason"} - set(item)
        if missing:
            raise ValueError(f"{path}: a judgment lacks {sorted(missing)}: {item}")
    return data


def stdlib_label() -> str:
    return f"stdlib (Python {sys.version_info[0]}.{sys.version_info[1]}, tests excluded)"


def package_label(spec: str) -> str:
    name, _, version = spec.partition("==")
    return f"{name.lower()} {version}".strip()


def default_labels() -> list[str]:
    return [stdlib_label()] + [package_label(spec) for spec in PACKAGES]


def summarise(hits: dict[str, list[dict]], corpus_labels: list[str], versions: dict[str, str]) -> dict:
    rules = {}
    for code in sorted(hits):
        judged = load_judgments(code)
        fired_at = {(h["file"], h["line"]) for h in hits[code]}
        # Only verdicts on lines the rule still flags count: a fixed false positive drops out.
        current = [j for j in judged if (j["file"], j["line"]) in fired_at]
        true_positives = sum(1 for j in current if j["true_positive"])
        rules[code] = {
            "fires": len(hits[code]),
            "files": len({h["file"] for h in hits[code]}),
            "judged": len(current),
            "true_positives": true_positives,
            "precision": round(true_positives / len(current), 3) if current else None,
            "corpus": corpus_labels,
        }
    return {
        "python": ".".join(map(str, sys.version_info[:3])),
        "corpus": corpus_labels,
        "packages": versions,
        "command": "python benchmarks/precision.py",
        "rules": rules,
    }


def fresh_allocation(fires: dict[str, int], total: int = FRESH_SAMPLE_SIZE, floor: int = FRESH_MIN_PER_RULE) -> dict[str, int]:
    """How many hits to draw per rule: ``floor`` each (or all it has), the rest by share of hits."""
    alloc = {code: min(n, floor) for code, n in fires.items() if n}
    left = total - sum(alloc.values())
    spare = {code: fires[code] - alloc[code] for code in alloc}
    pool = sum(spare.values())
    if left > 0 and pool:
        shares = {code: left * spare[code] / pool for code in spare}
        extra = {code: min(spare[code], int(shares[code])) for code in spare}
        # Largest remainders take the seats the integer parts left over.
        order = sorted(spare, key=lambda c: (-(shares[c] - int(shares[c])), c))
        rest = left - sum(extra.values())
        for code in order:
            if rest <= 0:
                break
            if extra[code] < spare[code]:
                extra[code] += 1
                rest -= 1
        for code in alloc:
            alloc[code] += extra[code]
    return alloc


def fresh_sample(hits: list[dict], code: str, size: int) -> list[dict]:
    return seeded_sample(hits, size, f"{SEED}-fresh-{code}")


def seeded_sample(hits: list[dict], size: int, seed: str) -> list[dict]:
    """``size`` of ``hits`` drawn with ``seed`` (all of them when there are fewer), in file order:
    the same code and corpus draw the same hits."""
    ordered = sorted(hits, key=lambda h: (h["file"], h["line"]))
    if len(ordered) <= size:
        return ordered
    rng = random.Random(seed)
    return sorted(rng.sample(ordered, size), key=lambda h: (h["file"], h["line"]))


def load_fresh_judgments(code: str, directory: Path = FRESH_JUDGMENTS) -> list[dict]:
    path = directory / f"{code}.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data:
        missing = {"file", "line", "verdict", "true_positive", "reason"} - set(item)
        if missing:
            raise ValueError(f"{path}: a judgment lacks {sorted(missing)}: {item}")
        if item["verdict"] not in VERDICTS:
            raise ValueError(f"{path}: verdict must be one of {VERDICTS}: {item}")
        if item["true_positive"] != (item["verdict"] == VERDICTS[0]):
            raise ValueError(f"{path}: true_positive must be true exactly for {VERDICTS[0]!r}: {item}")
    return data


def summarise_fresh(hits: dict[str, list[dict]], labels: list[str], judgments_dir: Path = FRESH_JUDGMENTS) -> dict:
    """Per-rule and pooled precision on the fresh sample, and pooled with the tuned-corpus figures."""
    tuned = json.loads(RESULT.read_text(encoding="utf-8"))["rules"] if RESULT.exists() else {}
    rules: dict[str, dict] = {}
    totals = {"judged": 0, "true_positives": 0, "negligible": 0, "false_alarms": 0}
    for code in sorted(hits):
        if not hits[code]:
            continue
        fired_at = {(h["file"], h["line"]) for h in hits[code]}
        current = [j for j in load_fresh_judgments(code, judgments_dir) if (j["file"], j["line"]) in fired_at]
        counts = {
            "judged": len(current),
            "true_positives": sum(j["verdict"] == VERDICTS[0] for j in current),
            "negligible": sum(j["verdict"] == VERDICTS[1] for j in current),
            "false_alarms": sum(j["verdict"] == VERDICTS[2] for j in current),
        }
        for key in totals:
            totals[key] += counts[key]
        old = tuned.get(code, {})
        pooled_judged = counts["judged"] + (old.get("judged") or 0)
        pooled_tp = counts["true_positives"] + (old.get("true_positives") or 0)
        rules[code] = {
            "fires": len(hits[code]),
            "files": len({h["file"] for h in hits[code]}),
            **counts,
            "precision": round(counts["true_positives"] / counts["judged"], 3) if counts["judged"] else None,
            "tuned_judged": old.get("judged", 0),
            "tuned_true_positives": old.get("true_positives", 0),
            "pooled_precision": round(pooled_tp / pooled_judged, 3) if pooled_judged else None,
        }
    return {
        "python": ".".join(map(str, sys.version_info[:3])),
        "corpus": labels,
        "held_out": True,
        "command": "python benchmarks/precision.py --fresh",
        "seed": SEED,
        "rules": rules,
        "all_default_rules": {
            **totals,
            "precision": round(totals["true_positives"] / totals["judged"], 3) if totals["judged"] else None,
            "pooled_judged": totals["judged"] + sum(r["tuned_judged"] for r in rules.values()),
            "pooled_true_positives": totals["true_positives"] + sum(r["tuned_true_positives"] for r in rules.values()),
        },
    }


# Fresh corpus sets: name -> (corpora filter, samples/judgments subdirectory, result file, held out).
FRESH_SETS = {
    "fresh": ("precision", "fresh", "precision_fresh.json", True),
    "fresh2-tuning": ("tuning", "fresh2-tuning", "precision_fresh2_tuning.json", False),
    "fresh2-held-out": ("held-out", "fresh2-held-out", "precision_fresh2_held_out.json", True),
}


def fresh_corpora(name: str) -> list:
    from benchmarks.fix_safety.corpora import FRESH, FRESH2

    which = FRESH_SETS[name][0]
    if which == "precision":
        return [c for c in FRESH if c.precision]
    return [c for c in FRESH2 if c.half == which]


def main_fresh(scratch: Path | None, name: str = "fresh", size: int = FRESH_SAMPLE_SIZE,
               codes: list[str] | None = None) -> int:
    """Scan a fresh set with the default rules (or ``codes``, preview ones included), draw the
    stratified seeded sample and summarise the judgments."""
    from benchmarks.fix_safety.corpora import fetch, package_files

    _, subdir, result_name, held_out = FRESH_SETS[name]
    samples_dir, judgments_dir, result = SAMPLES / subdir, JUDGMENTS / subdir, HERE / "results" / result_name
    chosen = fresh_corpora(name)
    with tempfile.TemporaryDirectory(prefix="hasten-fresh-") as tmp:
        base = scratch or Path(tmp)
        corpus: dict[str, Path] = {}
        files: dict[str, list[Path]] = {}
        for item in chosen:
            root = fetch(item, base)
            corpus[item.name] = root
            files[item.name] = package_files(item, root)
        hits = scan(corpus, codes, files, default_rules=not codes)
    hits = {code: found for code, found in hits.items() if not code.startswith(FRESH_SKIP_PREFIXES)}
    fires = {code: len(found) for code, found in hits.items()}
    alloc = fresh_allocation({c: n for c, n in fires.items() if not c.startswith(FRESH_FLOOR_ONLY)},
                             size - sum(min(n, FRESH_MIN_PER_RULE) for c, n in fires.items() if c.startswith(FRESH_FLOOR_ONLY)))
    alloc.update({c: min(n, FRESH_MIN_PER_RULE) for c, n in fires.items() if c.startswith(FRESH_FLOOR_ONLY) and n})
    samples_dir.mkdir(parents=True, exist_ok=True)
    for old in samples_dir.glob("HS*.json"):
        old.unlink()
    for code, n in sorted(alloc.items()):
        data = {"code": code, "fires": len(hits[code]), "sample": fresh_sample(hits[code], code, n)}
        (samples_dir / f"{code}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    labels = [f"{item.label} ({item.licence})" for item in chosen]
    summary = summarise_fresh(hits, labels, judgments_dir)
    summary["held_out"] = held_out
    summary["command"] = "python benchmarks/precision.py " + ("--fresh" if name == "fresh" else f"--corpus {name}")
    summary["sample_size"] = size
    if codes:
        summary["command"] += " --rules " + ",".join(codes)
        summary["rules_scanned"] = codes
    result.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"{'code':<7} {'fires':>6} {'sampled':>8} {'judged':>7} {'worth':>6} {'neglig':>7} {'false':>6} {'fresh':>6} {'pooled':>7}")
    pct = lambda v: "—" if v is None else f"{v * 100:.0f}%"  # noqa: E731
    for code, row in summary["rules"].items():
        print(f"{code:<7} {row['fires']:>6} {alloc.get(code, 0):>8} {row['judged']:>7} {row['true_positives']:>6} "
              f"{row['negligible']:>7} {row['false_alarms']:>6} {pct(row['precision']):>6} {pct(row['pooled_precision']):>7}")
    total = summary["all_default_rules"]
    print(f"all default rules: {total['true_positives']}/{total['judged']} worth fixing = {pct(total['precision'])}; "
          f"pooled with the tuned corpus {total['pooled_true_positives']}/{total['pooled_judged']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=lambda s: [c.strip().upper() for c in s.split(",") if c.strip()], default=None,
                        help="comma-separated rule codes (default: every rule; with --fresh/--corpus: the default rules)")
    parser.add_argument("--packages", nargs="*", default=list(PACKAGES), help="pip requirement specs")
    parser.add_argument("--no-packages", action="store_true", help="the standard library only")
    parser.add_argument("--target", type=Path, default=None, help="reuse this install directory")
    parser.add_argument("--fresh", action="store_true",
                        help="default rules on the held-out corpora of benchmarks/fix_safety/corpora.py")
    parser.add_argument("--corpus", choices=sorted(FRESH_SETS), default=None,
                        help="default rules on a named fresh set (fresh = --fresh; fresh2-tuning, fresh2-held-out)")
    parser.add_argument("--sample-size", type=int, default=FRESH_SAMPLE_SIZE,
                        help="with --fresh/--corpus: findings to draw in all (default %(default)s)")
    parser.add_argument("--scratch", type=Path, default=None,
                        help="with --fresh/--corpus: download and unpack the sdists here (and reuse them)")
    args = parser.parse_args(argv)
    if args.fresh or args.corpus:
        return main_fresh(args.scratch, args.corpus or "fresh", args.sample_size, args.rules)

    corpus: dict[str, Path] = {"stdlib": stdlib_root()}
    versions: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="hasten-precision-") as tmp:
        if not args.no_packages and args.packages:
            target = args.target or Path(tmp)
            corpus.update(install_packages(args.packages, target))
            versions = {spec.split("==")[0].lower(): (spec.split("==")[1] if "==" in spec else "latest") for spec in args.packages}
        hits = scan(corpus, args.rules)

    labels = [stdlib_label()] + [f"{name} {versions.get(name, '')}".strip() for name in corpus if name != "stdlib"]
    SAMPLES.mkdir(parents=True, exist_ok=True)
    for code, code_hits in sorted(hits.items()):
        data = {"code": code, "fires": len(code_hits), "sample": sample(code_hits, code)}
        (SAMPLES / f"{code}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    summary = summarise(hits, labels, versions)
    if args.rules and RESULT.exists():
        # A partial run updates only the rules it ran.
        previous = json.loads(RESULT.read_text(encoding="utf-8"))
        previous["rules"].update(summary["rules"])
        summary["rules"] = dict(sorted(previous["rules"].items()))
    # Rules may have been measured on different corpora (a partial run with extra packages, e.g.
    # data libraries for the HS4xx rules): each row names its own; the top level lists them all.
    union: list[str] = []
    for row in summary["rules"].values():
        for label in row.get("corpus", labels):
            if label not in union:
                union.append(label)
    summary["corpus"] = union
    summary["default_corpus"] = default_labels()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")

    print(f"{'code':<7} {'fires':>6} {'files':>6} {'judged':>7} {'precision':>10}")
    for code, row in summary["rules"].items():
        prec = "—" if row["precision"] is None else f"{row['precision'] * 100:.0f}%"
        flag = "  < 80%: must be preview" if row["precision"] is not None and row["precision"] < PRECISION_BAR else ""
        print(f"{code:<7} {row['fires']:>6} {row['files']:>6} {row['judged']:>7} {prec:>10}{flag}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
