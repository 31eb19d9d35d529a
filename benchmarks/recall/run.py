"""Recall of the classic slow patterns in their usual shapes, and silence on look-alikes.

    python -m benchmarks.recall.run                 # default settings and --preview, print tables
    python -m benchmarks.recall.run --write-docs    # also write the results JSON and docs/benchmarks.md

Every case is a small Python file under ``benchmarks/recall/cases/<shape>/``, written for this
benchmark. Its leading comment block says what it must get:

    # recall case: one line saying what the case is
    # expect: HS101@7 "if x in wanted"      (one line per finding: code, line, text on that line)

or, for a look-alike that must stay silent:

    # expect: silent
    # why: the ground truth and the reason for it

The harness copies the cases to a temporary directory (so no project configuration applies) and
runs ``hasten check --output-format json`` on them in a subprocess, once with the default settings
and once with ``--preview``. A label counts as found when a finding with its code covers its line;
a silent case fails when it gets any finding at all.
"""

from __future__ import annotations

import argparse
import ast
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES = HERE / "cases"
RESULT = ROOT / "benchmarks" / "results" / "recall.json"
DOCS = ROOT / "docs" / "benchmarks.md"
DOCS_HEADING = "## Recall"

EXPECT = re.compile(r"#\s*expect:\s*(?P<body>.*)$")
LABEL = re.compile(r'(?P<code>HS\d{3})@(?P<line>\d+)\s+"(?P<anchor>.+)"$')
VARIANTS = {
    "default": [],
    "preview": ["--preview"],
    # The rules alone: HS900's findings come from the model, not from the rules' facts.
    "preview, model off": ["--preview", "--ignore", "HS900"],
}
# Shapes whose cases were not read while the type-fact layer (analyzers/syntax/facts.py) and the
# module-level analysis were built: their figures were held-out data for that change.
HELD_OUT_FOR_FACTS = ("aggregates", "comprehension", "dedupe", "flatten", "min_max", "nested", "strings")
# Shapes whose cases were not read while the size facts (analyzers/syntax/sizes.py) and the hot
# `input()` loops were built (two `strings/` cases were read, so that folder is not among them).
HELD_OUT_FOR_SIZES = ("aggregates", "comprehension", "dedupe", "flatten", "min_max", "nested")


class CaseError(ValueError):
    """A case file that does not follow the format; the message names the file and the line."""


@dataclass(frozen=True)
class Label:
    code: str
    line: int
    anchor: str


@dataclass
class Case:
    path: str  # relative to CASES, with forward slashes
    shape: str
    description: str
    labels: list[Label] = field(default_factory=list)
    why: str = ""

    @property
    def silent(self) -> bool:
        return not self.labels


def header(lines: list[str]) -> list[str]:
    """The leading block of comment lines."""
    block = []
    for line in lines:
        if not line.startswith("#"):
            break
        block.append(line)
    return block


def parse_case(path: Path, root: Path = CASES) -> Case:
    """Read one case file and check its labels against its text; raise CaseError when malformed."""
    rel = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8")
    try:
        ast.parse(text, filename=rel)
    except SyntaxError as exc:
        raise CaseError(f"{rel}:{exc.lineno}: not valid Python: {exc.msg}") from None
    lines = text.splitlines()
    head = header(lines)
    if "/" not in rel:
        raise CaseError(f"{rel}: cases live in a shape folder (cases/<shape>/<name>.py)")
    case = Case(path=rel, shape=rel.split("/")[0], description="")
    silent = False
    for number, line in enumerate(head, 1):
        if line.startswith("# recall case:"):
            case.description = line.split(":", 1)[1].strip()
        elif line.startswith("# why:"):
            case.why = line.split(":", 1)[1].strip()
        elif (m := EXPECT.match(line)):
            body = m["body"].strip()
            if body == "silent":
                silent = True
                continue
            label = LABEL.match(body)
            if not label:
                raise CaseError(f'{rel}:{number}: expected `# expect: HSnnn@LINE "text on that line"` or `# expect: silent`, got {body!r}')
            target = int(label["line"])
            if not len(head) < target <= len(lines):
                raise CaseError(f"{rel}:{number}: line {target} is not a code line of the file ({len(head) + 1}..{len(lines)})")
            if label["anchor"] not in lines[target - 1]:
                raise CaseError(f"{rel}:{number}: line {target} does not contain {label['anchor']!r}: {lines[target - 1].strip()!r}")
            case.labels.append(Label(label["code"], target, label["anchor"]))
    if not case.description:
        raise CaseError(f"{rel}:1: missing `# recall case: <description>` in the leading comment block")
    if silent == bool(case.labels):
        raise CaseError(f"{rel}:1: a case is either `# expect: silent` or has `# expect: HSnnn@LINE` labels, not both or neither")
    if silent and not case.why:
        raise CaseError(f"{rel}:1: a silent case says why in `# why: ...`")
    if len(set(case.labels)) != len(case.labels):
        raise CaseError(f"{rel}:1: a label is repeated")
    return case


def load_cases(root: Path = CASES) -> list[Case]:
    return [parse_case(p, root) for p in sorted(root.rglob("*.py"))]


def code_fingerprint(path: Path) -> str:
    """The file's code without comments or formatting, to find cases that repeat another."""
    return ast.dump(ast.parse(path.read_text(encoding="utf-8")))


def run_hasten(root: Path, extra: list[str]) -> list[dict]:
    """Findings of `hasten check` on every file under ``root`` (JSON output, no cache)."""
    cmd = [sys.executable, "-m", "hasten", "check", "--output-format", "json", "--no-cache", "--exit-zero", *extra, "."]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd[2:])}` exited {proc.returncode}:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout)


def findings_by_file(findings: list[dict]) -> dict[str, list[dict]]:
    by_file: dict[str, list[dict]] = {}
    for f in findings:
        name = Path(f["filename"]).as_posix().removeprefix("./")
        by_file.setdefault(name, []).append(f)
    return by_file


def covers(finding: dict, label: Label) -> bool:
    return finding["code"] == label.code and finding["line"] <= label.line <= finding.get("end_line", finding["line"])


def score(cases: list[Case], findings: list[dict]) -> dict:
    """Recall per rule and per shape on the positive cases; findings on the silent ones."""
    by_file = findings_by_file(findings)
    per_rule: dict[str, dict] = {}
    per_shape: dict[str, dict] = {}
    missed, silent_hits = [], []
    for case in cases:
        got = by_file.get(case.path, [])
        shape = per_shape.setdefault(case.shape, {"labels": 0, "found": 0, "silent": 0, "silent_with_findings": 0})
        if case.silent:
            shape["silent"] += 1
            if got:
                shape["silent_with_findings"] += 1
                silent_hits.append({"case": case.path, "findings": [f"{f['code']}@{f['line']}" for f in got]})
            continue
        for label in case.labels:
            row = per_rule.setdefault(label.code, {"labels": 0, "found": 0})
            row["labels"] += 1
            shape["labels"] += 1
            if any(covers(f, label) for f in got):
                row["found"] += 1
                shape["found"] += 1
            else:
                missed.append({"case": case.path, "label": f"{label.code}@{label.line}",
                               "reported": [f"{f['code']}@{f['line']}" for f in got]})
    labels = sum(r["labels"] for r in per_rule.values())
    found = sum(r["found"] for r in per_rule.values())
    silent_cases = sum(1 for c in cases if c.silent)
    return {
        "labels": labels,
        "found": found,
        "recall": round(found / labels, 4) if labels else None,
        "silent_cases": silent_cases,
        "silent_with_findings": len(silent_hits),
        "per_rule": dict(sorted(per_rule.items())),
        "per_shape": dict(sorted(per_shape.items())),
        "missed": missed,
        "silent_hits": silent_hits,
    }


def evaluate(cases: list[Case], variants: dict[str, list[str]] = VARIANTS, root: Path = CASES) -> dict:
    with tempfile.TemporaryDirectory(prefix="hasten-recall-") as tmp:
        work = Path(tmp) / "cases"
        shutil.copytree(root, work)
        results = {name: score(cases, run_hasten(work, args)) for name, args in variants.items()}
    return {
        "python": platform.python_version(),
        "cases": {"positive": sum(1 for c in cases if not c.silent), "silent": sum(1 for c in cases if c.silent)},
        "variants": results,
    }


def pct(found: int, total: int) -> str:
    return f"{found}/{total} ({found / total:.0%})" if total else "–"


def _held_out(variant: dict, part: str, whole: str) -> tuple[int, int]:
    shapes = [variant["per_shape"][s] for s in HELD_OUT_FOR_SIZES if s in variant["per_shape"]]
    return sum(s[part] for s in shapes), sum(s[whole] for s in shapes)


def markdown(result: dict) -> str:
    v = result["variants"]
    names = list(v)
    out = [
        DOCS_HEADING,
        "",
        "How many of the classic slow patterns hasten finds in the shapes they take in real code, and whether it stays "
        "silent on code that only looks like them. The cases are written for this benchmark (`benchmarks/recall/cases/`, "
        f"grouped by shape): {result['cases']['positive']} positive cases, each labelled with the finding and line it "
        f"should get, and {result['cases']['silent']} look-alikes that must get no finding at all, each saying why. "
        "A label counts as found when a finding with its code covers its line. The rules were not tuned on these "
        "cases when the figures below were measured, but they are not held-out data for whoever changes the rules next.",
        "",
        "When the type-fact layer and module-level analysis were built, the cases of "
        + ", ".join(f"`{s}/`" for s in HELD_OUT_FOR_FACTS)
        + " were not read until the end: for that change their rows are held-out figures, the other shapes' rows are "
        "figures on cases that guided the work. When the size facts were built (evidence that the data can be large, "
        "`analyzers/syntax/sizes.py`), the cases of " + ", ".join(f"`{s}/`" for s in HELD_OUT_FOR_SIZES)
        + " were not read: the rows *held-out shapes (size facts)* sum them. `preview, model off` runs every rule "
        "but HS900 (the model).",
        "",
        "Reproduce: `python -m benchmarks.recall.run --write-docs` (results in `benchmarks/results/recall.json`). "
        f"Python {result['python']}.",
        "",
        "| | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
        "| recall (labels found) | " + " | ".join(pct(v[n]["found"], v[n]["labels"]) for n in names) + " |",
        "| silent cases with a finding | " + " | ".join(pct(v[n]["silent_with_findings"], v[n]["silent_cases"]) for n in names) + " |",
        "| held-out shapes (size facts): labels found | " + " | ".join(
            pct(*_held_out(v[n], "found", "labels")) for n in names) + " |",
        "| held-out shapes (size facts): silent cases with a finding | " + " | ".join(
            pct(*_held_out(v[n], "silent_with_findings", "silent")) for n in names) + " |",
        "",
        "Per rule (labels found):",
        "",
        "| rule | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    codes = sorted({c for n in names for c in v[n]["per_rule"]})
    for code in codes:
        out.append(f"| {code} | " + " | ".join(pct(v[n]["per_rule"][code]["found"], v[n]["per_rule"][code]["labels"]) for n in names) + " |")
    out += [
        "",
        "Per shape (labels found; silent cases with a finding):",
        "",
        "| shape | " + " | ".join(f"{n}: found | {n}: silent hit" for n in names) + " |",
        "|---|" + "---:|---:|" * len(names),
    ]
    for shape in sorted(v[names[0]]["per_shape"]):
        cells = []
        for n in names:
            s = v[n]["per_shape"][shape]
            cells += [pct(s["found"], s["labels"]), pct(s["silent_with_findings"], s["silent"])]
        out.append(f"| {shape} | " + " | ".join(cells) + " |")
    hits = v[names[-1]]["silent_hits"]
    if hits:
        out += ["", f"Silent cases with a finding ({names[-1]}):", ""]
        out += [f"- `{h['case']}`: {', '.join(h['findings'])}" for h in hits]
    return "\n".join(out) + "\n"


def write_docs(section: str, path: Path = DOCS) -> None:
    """Replace the Recall section of docs/benchmarks.md (or append it)."""
    text = path.read_text(encoding="utf-8")
    start = text.find(DOCS_HEADING + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + len(DOCS_HEADING))
        text = text[:start] + section + (text[nxt:] if nxt >= 0 else "")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write-docs", action="store_true", help="write benchmarks/results/recall.json and the Recall section of docs/benchmarks.md")
    parser.add_argument("--variant", choices=sorted(VARIANTS), action="append", help="run only this variant (repeatable)")
    parser.add_argument("--show-missed", action="store_true", help="list every missed label and every silent case with a finding")
    args = parser.parse_args(argv)
    try:
        cases = load_cases()
    except CaseError as exc:
        print(f"recall: malformed case: {exc}", file=sys.stderr)
        return 2
    variants = {k: VARIANTS[k] for k in args.variant} if args.variant else VARIANTS
    result = evaluate(cases, variants)
    section = markdown(result)
    print(section)
    if args.show_missed:
        for name, res in result["variants"].items():
            print(f"--- {name}: missed labels")
            for m in res["missed"]:
                print(f"  {m['case']}: {m['label']}  (reported: {', '.join(m['reported']) or 'nothing'})")
            print(f"--- {name}: silent cases with a finding")
            for h in res["silent_hits"]:
                print(f"  {h['case']}: {', '.join(h['findings'])}")
    if args.write_docs:
        RESULT.parent.mkdir(parents=True, exist_ok=True)
        RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        write_docs(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
