"""Print the per-rule fix-safety table (Markdown) from the committed results.

    python -m benchmarks.fix_safety.table

Combines ``benchmarks/results/fix_safety.json`` (tests before and after each rule's fixes) and,
when present, ``fix_lint.json`` (new ruff violations) and ``precision_fresh2_held_out.json``
(held-out precision), for docs/benchmarks.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "results"


def _load(name: str) -> dict:
    path = RESULTS / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def markdown() -> str:
    safety = _load("fix_safety.json")
    lint = _load("fix_lint.json").get("rules", {})
    fresh = _load("precision_fresh2_held_out.json").get("rules", {})
    packages: dict[str, list[str]] = {}
    for label, entry in safety.get("corpora", {}).items():
        for code in entry.get("rules", {}):
            packages.setdefault(code, []).append(label.split(" ")[0])
    codes = sorted(set(safety.get("rules", {})) | set(lint))
    lines = [
        "| Rule | Fixes applied (safe / unsafe) | Packages | Fix sites run by the tests | Runs that broke tests | Breaking fixes | Broken per fix | "
        "Fixes checked by ruff | Files with new ruff violations | Held-out precision |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for code in codes:
        row = safety.get("rules", {}).get(code)
        lrow = lint.get(code)
        if row:
            applied = row["safe"] + row["unsafe"]
            run = (f"{row['sites_executed_by_tests']} of {row['sites_measured']}" if row.get("sites_measured") else "—")
            tests = (f"{row['safe']} / {row['unsafe']}", ", ".join(packages.get(code, [])), run, f"{row['broken_runs']} of {row['runs']}",
                     str(row["breaking_fixes"]), f"{row['breaking_fixes'] / applied:.0%}" if applied else "—")
        else:
            tests = ("—", "—", "—", "—", "—", "—")
        if lrow:
            new = ", ".join(f"{k} {v}" for k, v in sorted(lrow["new_violations"].items())) or "none"
            lints = (str(lrow["fixes"]), f"{lrow['files_with_new_violations']} of {lrow['files']} ({new})")
        else:
            lints = ("—", "—")
        prec = fresh.get(code, {}).get("precision")
        lines.append(f"| {code} | " + " | ".join(tests + lints) + f" | {'—' if prec is None else f'{prec:.0%}'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown() + "\n")
