"""Precision of the rules that ask the fact layer, on typed and script-style code (issue 15).

    python benchmarks/precision/facts_corpus.py [--scratch DIR] [--split tuning|held_out]

The corpus is pinned sdists from PyPI (``pip download --no-deps --no-binary :all:``, unpacked
into a scratch directory, nothing committed), split before anyone read a finding: the *tuning*
packages were read while the size facts (``analyzers/syntax/sizes.py``) got their guards; the
*held-out* ones were judged once, after the rules were frozen. The rules run with preview on
(the point is to decide their status). Per split and rule, up to ``SAMPLE_SIZE`` hits are drawn
with a fixed seed into ``samples/facts/<split>/HSNNN.json``; a person's verdicts live in
``judgments/facts/<split>/HSNNN.json`` (the three-way verdict of the README's "How we judge").
The figures go to ``benchmarks/results/precision_facts.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLES = HERE / "samples" / "facts"
JUDGMENTS = HERE / "judgments" / "facts"
RESULT = ROOT / "benchmarks" / "results" / "precision_facts.json"
CODES = ("HS101", "HS102", "HS103", "HS105", "HS115", "HS301", "HS304")
SAMPLE_SIZE = 12
SEED = 20261201
VERDICTS = ("worth fixing", "true but negligible", "false alarm")


@dataclass(frozen=True)
class Package:
    spec: str  # NAME==VERSION on PyPI
    licence: str
    split: str  # "tuning" or "held_out"
    scan: tuple[str, ...]  # folders inside the unpacked sdist
    skip: tuple[str, ...] = ("tests", "test", "_vendor", "__pycache__")


PACKAGES = (
    Package("rich==15.0.0", "MIT", "tuning", ("rich",)),
    Package("attrs==26.1.0", "MIT", "tuning", ("src",)),
    Package("poetry-core==2.5.0", "MIT", "tuning", ("src",)),
    Package("simpy==4.1.2", "MIT", "tuning", ("src", "docs/examples")),  # script-style examples
    Package("starlette==1.10.0", "BSD-3-Clause", "held_out", ("starlette",)),
    Package("packaging==26.4", "Apache-2.0 OR BSD-2-Clause", "held_out", ("src",)),
    Package("pydantic==2.14.4", "MIT", "held_out", ("pydantic",)),
    Package("typer==0.29.2", "MIT", "held_out", ("docs_src",)),  # hundreds of small CLI scripts
    Package("pyglet==2.1.19", "BSD-3-Clause", "held_out", ("examples",)),  # script-style examples
)


def fetch(package: Package, scratch: Path) -> Path:
    name, _, version = package.spec.partition("==")
    found = [p for p in scratch.glob("*.tar.gz") if p.name.lower().replace("_", "-").startswith(f"{name}-{version}".lower())]
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        package.spec, "-d", str(scratch)], check=True)
        found = [p for p in scratch.glob("*.tar.gz") if p.name.lower().replace("_", "-").startswith(f"{name}-{version}".lower())]
    archive = found[0]
    root = scratch / archive.name[: -len(".tar.gz")]
    if not root.exists():
        with tarfile.open(archive) as tar:
            tar.extractall(scratch, filter="data")
    return root


def files_of(package: Package, root: Path) -> list[Path]:
    out = []
    for folder in package.scan:
        for path in sorted((root / folder).rglob("*.py")):
            if not set(path.relative_to(root).parts) & set(package.skip):
                out.append(path)
    return out


def draw(hits: list[dict], code: str, split: str) -> list[dict]:
    from benchmarks.precision import seeded_sample  # type: ignore[attr-defined]  # benchmarks/precision.py

    return seeded_sample(hits, SAMPLE_SIZE, f"{SEED}-{split}-{code}")


def judgments(split: str, code: str) -> list[dict]:
    path = JUDGMENTS / split / f"{code}.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data:
        if item.get("verdict") not in VERDICTS or item.get("true_positive") != (item["verdict"] == VERDICTS[0]):
            raise ValueError(f"{path}: each judgment needs a verdict in {VERDICTS} and true_positive to match: {item}")
    return data


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    from benchmarks.precision import scan  # type: ignore[attr-defined]  # benchmarks/precision.py

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", type=Path, default=None, help="download and unpack here (kept)")
    parser.add_argument("--split", choices=("tuning", "held_out"), default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hasten-facts-") as tmp:
        scratch = args.scratch or Path(tmp)
        scratch.mkdir(parents=True, exist_ok=True)
        result = json.loads(RESULT.read_text(encoding="utf-8")) if RESULT.exists() else {"splits": {}}
        for split in ("tuning", "held_out"):
            if args.split and split != args.split:
                continue
            corpus, files = {}, {}
            for package in (p for p in PACKAGES if p.split == split):
                root = fetch(package, scratch)
                label = package.spec.split("==")[0]
                corpus[label], files[label] = root, files_of(package, root)
            hits = scan(corpus, list(CODES), files)
            rows = {}
            for code in CODES:
                (SAMPLES / split).mkdir(parents=True, exist_ok=True)
                sample = draw(hits[code], code, split)
                (SAMPLES / split / f"{code}.json").write_text(json.dumps(
                    {"code": code, "split": split, "fires": len(hits[code]), "sample": sample}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
                fired = {(h["file"], h["line"]) for h in hits[code]}
                current = [j for j in judgments(split, code) if (j["file"], j["line"]) in fired]
                rows[code] = {"fires": len(hits[code]), "judged": len(current),
                              **{v: sum(j["verdict"] == v for j in current) for v in VERDICTS}}
            result["splits"][split] = {
                "packages": [f"{p.spec} ({p.licence}): {', '.join(p.scan)}" for p in PACKAGES if p.split == split],
                "rules": rows,
            }
        result.update({"python": ".".join(map(str, sys.version_info[:3])), "seed": SEED,
                       "command": "python benchmarks/precision/facts_corpus.py"})
        RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for split, data in result["splits"].items():
        for code, row in data["rules"].items():
            print(f"{split:<9} {code} fires {row['fires']:>4} judged {row['judged']:>3} worth {row['worth fixing']:>3} "
                  f"negligible {row['true but negligible']:>3} false {row['false alarm']:>3}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
