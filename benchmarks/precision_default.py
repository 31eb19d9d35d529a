"""Precision of the size-fact rules' default tier (no ``--preview``) on code nobody tuned it on.

    python benchmarks/precision_default.py --preview-counts [--scratch DIR] [--facts-scratch DIR] [--corpus NAME ...]
    python benchmarks/precision_default.py --write      # re-summarise from the committed files

A prototype (commit 18d1244) made HS101, HS102, HS103, HS105, HS115, HS301 and HS304 stable,
reporting by default only where the size evidence traces to the program's input
(``analyzers/syntax/sizes.py``, ``strict=True``). Judged here, 5 of 40 held-out findings were
worth fixing, so the prototype was backed out and the rules stayed in preview. The scan
reproduces the figures only on that commit (it says so and stops elsewhere); ``--write``
re-summarises the committed judgments anywhere. This script runs the CLI as a user would (``hasten check --isolated --no-cache --output-format json
--select ...``, preview off) over the corpora of ``CORPORA``, each held out or not (see
benchmarks/precision/README.md, "Default tier"). Per corpus it keeps every finding when there are
at most ``PER_CORPUS``, else a seeded sample of that many stratified by rule; samples go to
``benchmarks/precision/samples/default-tier/HSNNN.json`` (PIE hits carry only the flagged line),
a person's three-way verdicts to ``benchmarks/precision/judgments/default-tier/HSNNN.json``, the
figures (all corpora, and held-out corpora only) to
``benchmarks/results/precision_default_tier.json``.

Corpora are the sdists the other precision runs use (``benchmarks.fix_safety.corpora.fetch``,
``benchmarks/precision/facts_corpus.py``), the standard library and the held-out half of the PIE
pairs in ``../shared/benchmarks`` (skipped with a message when absent; nothing of it is committed
beyond a flagged line).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import precision  # noqa: E402
from benchmarks.fix_safety.corpora import Corpus, fetch, package_files  # noqa: E402

CODES = ("HS101", "HS102", "HS103", "HS105", "HS115", "HS301", "HS304")
SAMPLES = precision.SAMPLES / "default-tier"
JUDGMENTS = precision.JUDGMENTS / "default-tier"
MANIFEST = SAMPLES / "corpora.json"
RESULT = HERE / "results" / "precision_default_tier.json"
PER_CORPUS = 40
SEED = "20261201-default-tier"
CHUNK = 400  # files per CLI run (keeps the command line short)
COMMAND = "python benchmarks/precision_default.py"

# Script folders of pinned sdists no earlier corpus holds, chosen before anything was scanned.
SCRIPTS = (
    Corpus("twisted", "26.10.0", "MIT", "docs", ()),
    Corpus("pexpect", "4.9.0", "ISC", "examples", ()),
    Corpus("pyserial", "3.5", "BSD-3-Clause", "examples", ()),
)
# Fresh sets on which HS105 (stable then) was judged before: not held out for that rule.
HS105_JUDGED_ON = frozenset({"fresh", "fresh2-held-out", "fresh2-tuning"})


@dataclass(frozen=True)
class Source:
    name: str
    held_out: bool
    description: str
    # (scratch, facts scratch, temporary directory) -> {label: path} of the files to check
    files: Callable[[Path, Path, Path], dict[str, Path]]
    quote_context: bool = True  # False: the code may not be committed beyond the flagged line


def _sdist_files(corpora) -> Callable[[Path, Path, Path], dict[str, Path]]:
    def files(scratch: Path, _facts: Path, _tmp: Path) -> dict[str, Path]:
        out = {}
        for item in corpora:
            root = fetch(item, scratch)
            for path in package_files(item, root):
                out[f"{item.name}/{path.relative_to(root).as_posix()}"] = path
        return out
    return files


def _facts_files(_scratch: Path, facts_scratch: Path, _tmp: Path) -> dict[str, Path]:
    facts_corpus = _facts_module()
    facts_scratch.mkdir(parents=True, exist_ok=True)
    out = {}
    for package in facts_corpus.PACKAGES:
        root = facts_corpus.fetch(package, facts_scratch)
        name = package.spec.split("==")[0]
        for path in facts_corpus.files_of(package, root):
            out[f"{name}/{path.relative_to(root).as_posix()}"] = path
    return out


def _facts_module():
    """benchmarks/precision/facts_corpus.py (``benchmarks.precision`` is the module beside it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("facts_corpus", HERE / "precision" / "facts_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("facts_corpus", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _stdlib_files(_scratch: Path, _facts: Path, _tmp: Path) -> dict[str, Path]:
    root = precision.stdlib_root()
    return {f"stdlib/{p.relative_to(root).as_posix()}": p for p in precision.python_files(root, precision.STDLIB_SKIP)}


def pie_pairs() -> list[tuple[str, str, str]]:
    """(problem id, slow code, fast code) of the held-out half of the PIE pairs; [] with a message
    when ../shared/benchmarks is absent."""
    from benchmarks.model.evaluate import load_pairs

    return [(pid, slow, fast) for suite, pid, slow, fast in load_pairs("heldout") if suite == "pie"]


def _pie_files(_scratch: Path, _facts: Path, tmp: Path) -> dict[str, Path]:
    out = {}
    folder = tmp / "pie"
    folder.mkdir(parents=True, exist_ok=True)
    for pid, slow, fast in pie_pairs():
        for which, code in (("slow", slow), ("fast", fast)):
            path = folder / f"{pid}_{which}.py"
            path.write_text(code, encoding="utf-8")
            out[f"pie/{path.name}"] = path
    return out


def _fresh(name: str):
    return _sdist_files(precision.fresh_corpora(name))


CORPORA = (
    Source("pie", True, "PIE pairs, held-out half (slow and fast programs)", _pie_files, quote_context=False),
    Source("scripts", True, "; ".join(f"{c.name} {c.version} {c.package}/ ({c.licence})" for c in SCRIPTS), _sdist_files(SCRIPTS)),
    Source("fresh", True, "first fresh set (benchmarks/fix_safety/corpora.py FRESH)", _fresh("fresh")),
    Source("fresh2-held-out", True, "second fresh set, held-out half", _fresh("fresh2-held-out")),
    Source("fresh2-tuning", False, "second fresh set, tuning half", _fresh("fresh2-tuning")),
    Source("facts", False, "benchmarks/precision/facts_corpus.py, both splits", _facts_files),
    Source("stdlib", False, precision.stdlib_label(), _stdlib_files),
)


def held_out(corpus: str, code: str) -> bool:
    """Is a finding of ``code`` on ``corpus`` held out for this question?"""
    source = next(s for s in CORPORA if s.name == corpus)
    return source.held_out and not (code == "HS105" and corpus in HS105_JUDGED_ON)


def earlier_verdicts() -> dict[tuple[str, int, str], bool]:
    """(file, line, code) -> worth fixing, for every earlier verdict on these rules (the tuned
    corpus, both fresh sets, the facts corpus), judged with the rules as they were then."""
    out: dict[tuple[str, int, str], bool] = {}
    folders = [precision.JUDGMENTS] + [precision.JUDGMENTS / sub for sub in ("fresh", "fresh2-tuning", "fresh2-held-out")]
    folders += sorted(p for p in (precision.JUDGMENTS / "facts").iterdir() if p.is_dir())
    for folder in folders:
        for code in CODES:
            path = folder / f"{code}.json"
            for item in json.loads(path.read_text(encoding="utf-8")) if path.exists() else ():
                out[(item["file"], item["line"], code)] = bool(item["true_positive"])
    return out


def recall_of_earlier(hits: list[dict], files: dict[str, Path], preview: list[dict] | None = None) -> dict[str, dict[str, int]]:
    """Per rule: how many earlier verdicts fall in these files, how many were worth fixing, and
    how many of each the default tier still reports (and, given the wider tier's findings, how
    many that tier still reports: an earlier verdict on a line no tier flags any more says
    nothing about the default tier)."""
    reported = {(h["file"], h["line"], h["code"]) for h in hits}
    wider = {(h["file"], h["line"], h["code"]) for h in preview} if preview is not None else None
    rows: dict[str, dict[str, int]] = {}
    for (file, line, code), worth in sorted(earlier_verdicts().items()):
        if file not in files:
            continue
        row = rows.setdefault(code, {"judged": 0, "worth_fixing": 0, "still_reported": 0, "worth_fixing_still_reported": 0})
        key = (file, line, code)
        row["judged"] += 1
        row["worth_fixing"] += worth
        row["still_reported"] += key in reported
        row["worth_fixing_still_reported"] += key in reported and worth
        if wider is not None:
            row["reported_with_preview"] = row.get("reported_with_preview", 0) + (key in wider)
            row["worth_fixing_reported_with_preview"] = row.get("worth_fixing_reported_with_preview", 0) + (key in wider and worth)
    return rows


def run_cli(paths: list[Path], preview: bool = False) -> list[dict]:
    """The default-tier findings of CODES on ``paths``, as the CLI reports them (JSON); with
    ``preview``, those of the wider tier."""
    found: list[dict] = []
    for start in range(0, len(paths), CHUNK):
        chunk = [str(p) for p in paths[start:start + CHUNK]]
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from hasten.server.cli import main; sys.exit(main())",
             "check", "--isolated", "--no-cache", "--exit-zero", "--output-format", "json",
             "--select", ",".join(CODES), *(["--preview"] if preview else []), *chunk],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"hasten check failed ({proc.returncode}): {proc.stderr[-2000:]}")
        found.extend(json.loads(proc.stdout or "[]"))
    return found


def scan(source: Source, files: dict[str, Path], preview: bool = False) -> list[dict]:
    """Hits ({file, line, message, text, context, corpus, held_out}) of the default tier (with
    ``preview``, of the wider one)."""
    label_of = {str(path): label for label, path in files.items()}
    hits = []
    lines_of: dict[str, list[str]] = {}
    for finding in run_cli(list(files.values()), preview):
        label = label_of[finding["filename"]]
        if label not in lines_of:
            lines_of[label] = files[label].read_text(encoding="utf-8", errors="replace").splitlines()
        lines = lines_of[label]
        line = finding["line"]
        lo, hi = max(0, line - 1 - precision.CONTEXT_LINES), min(len(lines), line + precision.CONTEXT_LINES)
        hit = {"file": label, "line": line, "code": finding["code"], "message": finding["message"],
               "text": lines[line - 1].strip() if line <= len(lines) else ""}
        if source.quote_context:
            hit["context"] = "\n".join(lines[lo:hi])
        hit.update({"corpus": source.name, "held_out": held_out(source.name, finding["code"])})
        hits.append(hit)
    return hits


def draw(hits: list[dict], corpus: str) -> dict[str, list[dict]]:
    """code -> the hits to judge: all of them when the corpus has at most PER_CORPUS, else a
    seeded sample of PER_CORPUS stratified by rule (every rule that fires is represented)."""
    by_code: dict[str, list[dict]] = {}
    for hit in hits:
        by_code.setdefault(hit["code"], []).append(hit)
    if len(hits) <= PER_CORPUS:
        alloc = {code: len(found) for code, found in by_code.items()}
    else:
        alloc = precision.fresh_allocation({c: len(f) for c, f in by_code.items()}, PER_CORPUS, precision.FRESH_MIN_PER_RULE)
    return {code: precision.seeded_sample(by_code[code], n, f"{SEED}-{corpus}-{code}") for code, n in alloc.items()}


def load_judgments(code: str) -> list[dict]:
    data = precision.load_fresh_judgments(code, JUDGMENTS)  # validates verdicts
    for item in data:
        if "corpus" not in item or "held_out" not in item:
            raise ValueError(f"{JUDGMENTS / code}.json: a judgment lacks corpus/held_out: {item}")
    return data


def _counts(judged: list[dict]) -> dict:
    out = {
        "judged": len(judged),
        "true_positives": sum(j["verdict"] == precision.VERDICTS[0] for j in judged),
        "negligible": sum(j["verdict"] == precision.VERDICTS[1] for j in judged),
        "false_alarms": sum(j["verdict"] == precision.VERDICTS[2] for j in judged),
    }
    out["precision"] = round(out["true_positives"] / out["judged"], 3) if out["judged"] else None
    return out


def summarise() -> dict:
    """The results JSON from the committed manifest, samples and judgments (no scan)."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    rules: dict[str, dict] = {}
    held: dict[str, dict] = {}
    for code in CODES:
        path = SAMPLES / f"{code}.json"
        sample = json.loads(path.read_text(encoding="utf-8"))["sample"] if path.exists() else []
        sampled = {(h["file"], h["line"]) for h in sample}
        judged = [j for j in load_judgments(code) if (j["file"], j["line"]) in sampled]
        hits = sum(c["hits"].get(code, 0) for c in manifest["corpora"])
        held_hits = sum(c["hits"].get(code, 0) for c in manifest["corpora"] if held_out(c["name"], code))
        rules[code] = {"hits": hits, "sampled": len(sample), **_counts(judged)}
        held[code] = {"hits": held_hits, "sampled": sum(h["held_out"] for h in sample),
                      **_counts([j for j in judged if j["held_out"]])}

    def total(rows: dict[str, dict]) -> dict:
        out = {key: sum(r[key] for r in rows.values()) for key in ("hits", "sampled", "judged", "true_positives", "negligible", "false_alarms")}
        out["precision"] = round(out["true_positives"] / out["judged"], 3) if out["judged"] else None
        return out

    earlier: dict[str, dict[str, int]] = {}
    for corpus in manifest["corpora"]:
        for code, row in sorted(corpus.get("earlier_verdicts", {}).items()):
            into = earlier.setdefault(code, {})
            for key, n in row.items():
                into[key] = into.get(key, 0) + n
    return {
        "python": manifest["python"],
        "command": COMMAND,
        "cli": manifest["cli"],
        "seed": SEED,
        "per_corpus": PER_CORPUS,
        "corpora": [{"name": c["name"], "description": c["description"], "held_out": c["held_out"],
                     "files": c["files"], "hits": c["hits"], "total_hits": sum(c["hits"].values()),
                     **({"preview_hits": c["preview_hits"], "total_preview_hits": sum(c["preview_hits"].values())}
                        if "preview_hits" in c else {}),
                     **({"earlier_verdicts": c["earlier_verdicts"]} if "earlier_verdicts" in c else {})}
                    for c in manifest["corpora"]],
        "rules": rules,
        "all_rules": total(rules),
        "earlier_verdicts": {
            "note": "verdicts judged before on these files (tuned corpus, fresh sets, facts corpus; preview on or the"
                    " rule stable then): how many the default tier, and the wider tier, still report",
            "rules": dict(sorted(earlier.items())),
        },
        "held_out": {"note": "held-out corpora only (pie, scripts, fresh, fresh2-held-out; HS105 not on the fresh sets)",
                     "rules": held, "all_rules": total(held)},
    }


def write_result() -> dict:
    summary = summarise()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def print_table(summary: dict) -> None:
    pct = lambda v: "—" if v is None else f"{v * 100:.0f}%"  # noqa: E731
    for title, block in (("all corpora", summary), ("held out", summary["held_out"])):
        print(f"{title}:\n{'code':<7} {'hits':>5} {'judged':>7} {'worth':>6} {'neglig':>7} {'false':>6} {'prec':>6}")
        for code, row in [*block["rules"].items(), ("all", block["all_rules"])]:
            print(f"{code:<7} {row['hits']:>5} {row['judged']:>7} {row['true_positives']:>6} {row['negligible']:>7} "
                  f"{row['false_alarms']:>6} {pct(row['precision']):>6}")
    print("hits per corpus (with --preview): " + ", ".join(
        f"{c['name']} {c['total_hits']} ({c.get('total_preview_hits', '?')})" for c in summary["corpora"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scratch", type=Path, default=None, help="download and unpack the sdists here (and reuse them)")
    parser.add_argument("--facts-scratch", type=Path, default=None,
                        help="the facts corpus's download directory (default: --scratch)")
    parser.add_argument("--corpus", nargs="*", choices=[s.name for s in CORPORA], default=None,
                        help="scan only these corpora (the others keep their committed samples)")
    parser.add_argument("--preview-counts", action="store_true",
                        help="also count the findings with --preview on the scanned corpora (for comparison; not judged)")
    parser.add_argument("--write", action="store_true", help="only re-summarise the committed samples and judgments")
    args = parser.parse_args(argv)
    if args.write:
        print_table(write_result())
        return 0
    from hasten.analyzers.syntax import sizes

    if not hasattr(sizes, "_strict"):
        print("precision_default: this code has no default tier (the size facts have one strength); the scan "
              "reproduces the committed figures on commit 18d1244 (`git checkout 18d1244`). "
              "`--write` re-summarises the committed judgments.", file=sys.stderr)
        return 2

    manifest = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {"corpora": []}
    old_samples = {code: json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8"))["sample"]
                   if (SAMPLES / f"{code}.json").exists() else [] for code in CODES}
    chosen = [s for s in CORPORA if args.corpus is None or s.name in args.corpus]
    entries = {c["name"]: c for c in manifest["corpora"]}
    drawn: dict[str, list[dict]] = {code: [h for h in old_samples[code] if h["corpus"] not in {s.name for s in chosen}]
                                    for code in CODES}
    with tempfile.TemporaryDirectory(prefix="hasten-default-tier-") as tmp:
        scratch = args.scratch or Path(tmp) / "sdists"
        facts_scratch = args.facts_scratch or scratch
        for source in chosen:
            files = source.files(scratch, facts_scratch, Path(tmp))
            if not files:
                # e.g. ../shared/benchmarks absent: keep what the last run recorded for it
                print(f"precision_default: {source.name}: no files; its committed sample and counts are kept",
                      file=sys.stderr)
                for code in CODES:
                    drawn[code].extend(h for h in old_samples[code] if h["corpus"] == source.name)
                continue
            hits = scan(source, files)
            for code, picked in draw(hits, source.name).items():
                drawn[code].extend(picked)
            entries[source.name] = {"name": source.name, "description": source.description, "held_out": source.held_out,
                                    "files": len(files), "hits": dict(sorted(Counter(h["code"] for h in hits).items()))}
            wider = scan(source, files, preview=True) if args.preview_counts else None
            if wider is not None:
                entries[source.name]["preview_hits"] = dict(sorted(Counter(h["code"] for h in wider).items()))
            earlier = recall_of_earlier(hits, files, wider)
            if earlier:
                entries[source.name]["earlier_verdicts"] = earlier
            print(f"{source.name}: {len(files)} files, {len(hits)} hits", file=sys.stderr)
    order = [s.name for s in CORPORA]
    SAMPLES.mkdir(parents=True, exist_ok=True)
    cli = subprocess.run([sys.executable, "-c", "import hasten.server.cli as c, sys; sys.exit(c.main())", "--version"],
                         capture_output=True, text=True, check=False).stdout.strip()
    MANIFEST.write_text(json.dumps({
        "python": ".".join(map(str, sys.version_info[:3])),
        "cli": f"hasten check --isolated --no-cache --output-format json --select {','.join(CODES)} ({cli})",
        "corpora": sorted(entries.values(), key=lambda c: order.index(c["name"])),
    }, indent=2) + "\n", encoding="utf-8")
    for code in CODES:
        sample = sorted(drawn[code], key=lambda h: (order.index(h["corpus"]), h["file"], h["line"]))
        fires = {c: n for c in order if (n := entries.get(c, {}).get("hits", {}).get(code, 0))}
        data = {"code": code, "fires": sum(fires.values()), "fires_by_corpus": fires, "sample": sample}
        (SAMPLES / f"{code}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(write_result())
    return 0


if __name__ == "__main__":
    sys.exit(main())
