"""`hasten rule CODE` / `hasten rule --all`: the rules' documentation.

``hasten rule --all --output-format markdown`` renders the rule reference, docs/rules.md, from the
registry plus the measured figures in ``benchmarks/results/`` (speedups per rule and judged
precision on real code). tests/test_rules_doc.py fails when the committed file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hasten.analyzers.registry import __doc__ as REGISTRY_DOC
from hasten.analyzers.registry import all_rules, get_rule, rule_url
from hasten.analyzers.rule import FAMILIES

# benchmarks/ sits next to server/ in a source checkout; an installed wheel has no results.
REPO_ROOT = Path(__file__).resolve().parents[3]
RULE_RESULTS = REPO_ROOT / "benchmarks" / "results" / "rules"
PRECISION_RESULTS = REPO_ROOT / "benchmarks" / "results" / "precision.json"
# Judgments on code the rules were not tuned on when first judged: the first fresh set (guards
# were later read from it), the tuning half of the second and its held-out half (judged once, with
# the rules frozen). The pooled figure over all of them and the tuned corpus is what the preview
# bar uses; the held-out half's figure is quoted on its own.
FRESH_RESULTS = tuple(REPO_ROOT / "benchmarks" / "results" / name for name in (
    "precision_fresh.json", "precision_fresh2_tuning.json", "precision_fresh2_held_out.json"))
HELD_OUT_RESULTS = FRESH_RESULTS[-1]
# The size-facts corpus (benchmarks/precision/facts_corpus.py): its own tuning and held-out split,
# for the rules that ask the size facts.
FACTS_RESULTS = REPO_ROOT / "benchmarks" / "results" / "precision_facts.json"
FIX_SAFETY_RESULTS = REPO_ROOT / "benchmarks" / "results" / "fix_safety.json"
REGENERATE = "hasten rule --all --output-format markdown > docs/rules.md"


def register(sub) -> None:
    parser = sub.add_parser("rule", help="show a rule's documentation", description="Show the documentation of a rule (by code, name or alias), or list all rules.")
    parser.add_argument("code", nargs="?", help="a rule code (HS101), name (list-membership-in-loop) or alias (PERF401)")
    parser.add_argument("--all", action="store_true", help="list every rule")
    parser.add_argument("--output-format", choices=("text", "json", "markdown"), default="text",
                        help="markdown (with --all) renders the rule reference, docs/rules.md")


def run(args) -> int:
    if args.all:
        rules = all_rules()
        if args.output_format == "json":
            print(json.dumps([r.to_json() for r in rules], indent=2, ensure_ascii=False))
        elif args.output_format == "markdown":
            sys.stdout.write(rules_markdown())
        else:
            for r in rules:
                fix = {"always": "fix", "sometimes": "fix?", "never": ""}[r.fix_availability.value]
                print(f"{r.code}  {r.name:<36} {r.status.value:<8} {fix:<5} {r.summary}")
        return 0
    if not args.code:
        print("hasten rule: give a rule code, or --all (e.g. `hasten rule HS101`)", file=sys.stderr)
        return 2
    rule = get_rule(args.code)
    if rule is None:
        print(f"hasten rule: unknown rule '{args.code}'; `hasten rule --all` lists them", file=sys.stderr)
        return 2
    if args.output_format == "json":
        print(json.dumps(rule.to_json(), indent=2, ensure_ascii=False))
    else:
        print(rule.explanation())
        print(f"Documentation: {rule_url(rule.code)}")
    return 0


# -- the generated reference ---------------------------------------------------------------


def _load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _facts_split(facts: dict | None, split: str) -> dict | None:
    """One split of the size-facts corpus in the fresh sets' shape (``judged``, ``true_positives``)."""
    rules = ((facts or {}).get("splits", {}).get(split) or {}).get("rules")
    if not rules:
        return None
    return {"rules": {code: {"judged": row.get("judged", 0), "true_positives": row.get("worth fixing", 0)}
                      for code, row in rules.items()}}


def fresh_sets(fresh_paths: tuple[Path, ...] = FRESH_RESULTS, facts_path: Path = FACTS_RESULTS) -> list[dict]:
    """Every judged set of code the rules were not tuned on when it was first judged: the fresh
    sets and both splits of the size-facts corpus (each counted once in the pooled figure)."""
    facts = _load_json(facts_path)
    sets = [_load_json(path) for path in fresh_paths] + [_facts_split(facts, "tuning"), _facts_split(facts, "held_out")]
    return [data for data in sets if data]


def held_out_set(held_out_path: Path = HELD_OUT_RESULTS, facts_path: Path = FACTS_RESULTS) -> dict:
    """The judgments made once with the rules frozen: the second fresh set's held-out half and the
    size-facts corpus's held-out split, added up per rule."""
    rows: dict[str, dict[str, int]] = {}
    for data in (_load_json(held_out_path), _facts_split(_load_json(facts_path), "held_out")):
        for code, row in (data or {}).get("rules", {}).items():
            total = rows.setdefault(code, {"judged": 0, "true_positives": 0})
            total["judged"] += row.get("judged", 0) or 0
            total["true_positives"] += row.get("true_positives", 0) or 0
    return {"rules": rows}


def speedup_cell(code: str, results_dir: Path = RULE_RESULTS) -> str:
    data = _load_json(results_dir / f"{code}.json")
    if not data or "headline" not in data:
        return "—"
    head = data["headline"]
    return f"{head['ratio']:g}× at n={head['n']:,} (Python {data.get('python', '?')})"


def pooled_counts(code: str, precision: dict | None, fresh: list[dict | None] | dict | None) -> tuple[int, int]:
    """(true positives, judged) for ``code`` over the tuned corpus and every fresh set."""
    sets = [fresh] if isinstance(fresh, dict) else list(fresh or [])
    entry = (precision or {}).get("rules", {}).get(code) or {}
    hits, judged = entry.get("true_positives", 0) or 0, entry.get("judged", 0) or 0
    for data in sets:
        row = (data or {}).get("rules", {}).get(code) or {}
        hits += row.get("true_positives", 0) or 0
        judged += row.get("judged", 0) or 0
    return hits, judged


def pooled_precision(code: str, precision: dict | None, fresh: list[dict | None] | dict | None) -> float | None:
    hits, judged = pooled_counts(code, precision, fresh)
    return hits / judged if judged else None


def precision_cell(code: str, precision: dict | None, fresh: list[dict | None] | dict | None = None,
                   held_out: dict | None = None) -> str:
    """Judged precision: pooled over the tuned corpus and the fresh sets when the rule was judged
    on fresh code (the figure the preview bar uses), with the held-out half's share; else the
    tuned corpus's."""
    sets = [fresh] if isinstance(fresh, dict) else list(fresh or [])
    if any((data or {}).get("rules", {}).get(code, {}).get("judged") for data in sets):
        hits, judged = pooled_counts(code, precision, sets)
        row = (held_out or {}).get("rules", {}).get(code) or {}
        held = f"{row['true_positives']}/{row['judged']}" if row.get("judged") else "none"
        return f"{hits / judged * 100:.0f}% pooled ({hits}/{judged} judged; held-out {held})"
    if not precision:
        return "—"
    entry = precision.get("rules", {}).get(code)
    if not entry:
        return "—"
    fires = entry.get("fires", 0)
    judged = entry.get("judged", 0)
    if not judged:
        return f"not judged ({fires} hit{'' if fires == 1 else 's'})"
    return f"{entry['precision'] * 100:.0f}% ({entry['true_positives']}/{judged} judged, {fires} hits)"


def precision_section(precision: dict, codes: set[str]) -> list[str]:
    """The precision table: hits on real code, judged sample, true positives, precision."""
    base = precision.get("default_corpus") or precision.get("corpus", [])
    out = [
        "## Precision on real code",
        "",
        f"Reproduce with `{precision.get('command', 'python benchmarks/precision.py')}` (Python "
        f"{precision.get('python', '?')}). Corpus: " + ", ".join(base) + "; a rule measured on more "
        "code names the extra packages. Up to 10 hits per rule are sampled with a fixed seed into "
        "`benchmarks/precision/samples/` and judged by a person in `benchmarks/precision/judgments/` "
        "(one line of reasoning each).",
        "",
        "| Code | Hits | Files | Judged | True positives | Precision | Extra corpus |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for code, row in sorted(precision["rules"].items()):
        if code not in codes:
            continue
        value = "—" if row.get("precision") is None else f"{row['precision'] * 100:.0f}%"
        extra = ", ".join(label for label in row.get("corpus", base) if label not in base) or "—"
        out.append(f"| {code} | {row.get('fires', 0)} | {row.get('files', 0)} | {row.get('judged', 0)} | "
                   f"{row.get('true_positives', 0)} | {value} | {extra} |")
    out.append("")
    return out


def fix_safety_cell(code: str, safety: dict | None) -> str:
    """How many of the rule's fixes (safe and unsafe) broke a test of a real package's own suite."""
    row = (safety or {}).get("rules", {}).get(code)
    if not row:
        return "—"
    applied = row.get("safe", 0) + row.get("unsafe", 0)
    if not applied:
        return "no fix applied"
    broke = row.get("breaking_fixes", 0) + (1 if row.get("broken_runs") and not row.get("breaking_fixes") else 0)
    return f"{broke}/{applied} broke a test ({broke / applied * 100:.0f}%)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown(results_dir: Path = RULE_RESULTS, precision_path: Path = PRECISION_RESULTS,
                   fresh_paths: tuple[Path, ...] = FRESH_RESULTS, fix_safety_path: Path = FIX_SAFETY_RESULTS,
                   held_out_path: Path = HELD_OUT_RESULTS, facts_path: Path = FACTS_RESULTS) -> str:
    rules = all_rules()
    precision = _load_json(precision_path)
    fresh = fresh_sets(fresh_paths, facts_path)
    held_out = held_out_set(held_out_path, facts_path)
    safety = _load_json(fix_safety_path)
    out = [
        "# Rule reference",
        "",
        f"<!-- Generated from the registry; do not edit. Regenerate with `{REGENERATE}`. -->",
        "",
        "## Code scheme",
        "",
    ]
    scheme = (REGISTRY_DOC or "").split("Code scheme:", 1)[-1].strip().replace("``", "`")
    out += ["Codes are " + scheme, ""]
    out += [
        "Stable rules run by default. Preview rules run with `preview = true` in `[tool.hasten]` or "
        "when selected by their exact code; a rule whose judged precision on real code is below 80% "
        "stays in preview. With a stored profile (`hasten profile`), a preview rule's finding is also "
        "reported by default where the profile proves it costly: its loop took at least 1% of the "
        "profiled run and a container it reads held at least 1,000 items (HS202, HS204, HS205, HS206 "
        "and HS900 excepted; `profile-promote = false` turns this off; see "
        "[profile.md](profile.md#preview-findings-the-profile-proves)).",
        "",
        "*Speedup* is the headline of the rule's microbenchmark (`python -m benchmarks.rules CODE`, "
        "results in `benchmarks/results/rules/`): the slow form's time divided by the rewrite's. "
        "*Precision* is the share of sampled hits on real code (the CPython standard library and "
        "popular packages) that we judged true inefficiencies worth fixing; reproduce with "
        "`python benchmarks/precision.py`. Where the rule was also judged on fresh code it had not "
        "been tuned on (`python benchmarks/precision.py --fresh` and `--corpus fresh2-tuning` / "
        "`fresh2-held-out`; for the rules that ask the size facts also "
        "`python benchmarks/precision/facts_corpus.py`), the figure is pooled over all of them, and "
        "*held-out* gives the share on the held-out half of the second fresh set and the held-out split "
        "of the size-facts corpus, judged once with the rules frozen "
        "(`benchmarks/precision/README.md`). *Fix safety* is how many of the rule's fixes, safe and "
        "unsafe, broke a test when applied to real packages and run against their own test suites "
        "(`python -m benchmarks.fix_safety`, results in `benchmarks/results/fix_safety.json`).",
        "",
        f"{len(rules)} rules, {sum(r.status.value == 'stable' for r in rules)} stable.",
        "",
        "| Code | Name | Family | Status | Fix | Aliases | Speedup | Precision | Fix safety |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        out.append(
            "| " + " | ".join(_cell(c) for c in (
                f"[{r.code}](#{r.code.lower()})",
                r.name,
                FAMILIES.get(r.family, r.family),
                r.status.value,
                r.fix_availability.value,
                ", ".join(r.aliases) or "—",
                speedup_cell(r.code, results_dir),
                precision_cell(r.code, precision, fresh, held_out),
                fix_safety_cell(r.code, safety),
            )) + " |"
        )
    out.append("")
    if precision and precision.get("rules"):
        out += precision_section(precision, {r.code for r in rules})
    out += ["## Rules", ""]
    for r in rules:
        body = r.explanation().strip("\n").splitlines()
        out.append(f'<a id="{r.code.lower()}"></a>')
        out.append("")
        # Demote the rule's own headings one level under this page's "Rules" section.
        for line in body:
            out.append("#" + line if line.startswith("#") and not line.startswith("#!") else line)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def rules_table_compact() -> str:
    """The short rule table embedded in README.md (tests/test_readme.py keeps it current)."""
    lines = ["| code | name | status | fix | aliases |", "| --- | --- | --- | --- | --- |"]
    for r in all_rules():
        lines.append(
            f"| {r.code} | {r.name} | {r.status.value} | {r.fix_availability.value} | {', '.join(r.aliases) or '—'} |"
        )
    return "\n".join(lines)
