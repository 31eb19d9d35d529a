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
FRESH_RESULTS = REPO_ROOT / "benchmarks" / "results" / "precision_fresh.json"
# The size-facts corpus (benchmarks/precision/facts_corpus.py): a tuning and a held-out split.
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


def speedup_cell(code: str, results_dir: Path = RULE_RESULTS) -> str:
    data = _load_json(results_dir / f"{code}.json")
    if not data or "headline" not in data:
        return "—"
    head = data["headline"]
    return f"{head['ratio']:g}× at n={head['n']:,} (Python {data.get('python', '?')})"


def with_facts_corpus(fresh: dict | None, facts: dict | None, precision: dict | None) -> dict | None:
    """``fresh`` with the size-facts corpus folded in: its held-out split counts as held-out
    code, its tuning split as tuned code (pooled with the precision corpus's judgments)."""
    if not facts or not facts.get("splits"):
        return fresh
    rows = {code: dict(row) for code, row in (fresh or {}).get("rules", {}).items()}
    tuned_rules = (precision or {}).get("rules", {})
    held_out = facts["splits"].get("held_out", {}).get("rules", {})
    tuning = facts["splits"].get("tuning", {}).get("rules", {})
    for code in set(held_out) | set(tuning):
        # the tuned figures as they stand now (a fresh row keeps those of its own run)
        row = rows.get(code) or {"judged": 0, "true_positives": 0}
        extra, extra_tuned = held_out.get(code, {}), tuning.get(code, {})
        row["judged"] += extra.get("judged", 0)
        row["true_positives"] += extra.get("worth fixing", 0)
        row["tuned_judged"] = (tuned_rules.get(code, {}).get("judged") or 0) + extra_tuned.get("judged", 0)
        row["tuned_true_positives"] = (tuned_rules.get(code, {}).get("true_positives") or 0) + extra_tuned.get("worth fixing", 0)
        total = row["judged"] + row["tuned_judged"]
        row["pooled_precision"] = round((row["true_positives"] + row["tuned_true_positives"]) / total, 3) if total else None
        rows[code] = row
    return {**(fresh or {}), "rules": rows}


def precision_cell(code: str, precision: dict | None, fresh: dict | None = None) -> str:
    """Judged precision: pooled over the tuned corpus and held-out code when the rule was judged
    on both (the figure the preview bar uses), else the tuned corpus's."""
    row = (fresh or {}).get("rules", {}).get(code)
    if row and row.get("pooled_precision") is not None:
        judged = row["judged"] + row.get("tuned_judged", 0)
        hits = row["true_positives"] + row.get("tuned_true_positives", 0)
        held_out = f"{row['true_positives']}/{row['judged']}" if row["judged"] else "none"
        return f"{row['pooled_precision'] * 100:.0f}% pooled ({hits}/{judged} judged; held-out {held_out})"
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
                   fresh_path: Path = FRESH_RESULTS, fix_safety_path: Path = FIX_SAFETY_RESULTS,
                   facts_path: Path = FACTS_RESULTS) -> str:
    rules = all_rules()
    precision = _load_json(precision_path)
    fresh = with_facts_corpus(_load_json(fresh_path), _load_json(facts_path), precision)
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
        "stays in preview.",
        "",
        "*Speedup* is the headline of the rule's microbenchmark (`python -m benchmarks.rules CODE`, "
        "results in `benchmarks/results/rules/`): the slow form's time divided by the rewrite's. "
        "*Precision* is the share of sampled hits on real code (the CPython standard library and "
        "popular packages) that we judged true inefficiencies worth fixing; reproduce with "
        "`python benchmarks/precision.py`. Where the rule was also judged on held-out code it was "
        "never tuned on (`python benchmarks/precision.py --fresh`, and for the rules that ask the size "
        "facts `python benchmarks/precision/facts_corpus.py`), the figure is pooled over both "
        "and the held-out share is given. *Fix safety* is how many of the rule's fixes, safe and "
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
                precision_cell(r.code, precision, fresh),
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
