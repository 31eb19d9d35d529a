"""Baselines: record today's findings and report only new ones later.

A finding is identified by its rule, its file and a fingerprint of the code it flags (the
flagged lines with whitespace collapsed, plus how many identical ones came before it in the
file), not by its line number, so edits elsewhere in the file do not resurface old findings.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter

from hasten.analyzers.finding import Finding
from hasten.analyzers.source import Source

VERSION = 1


def _normalise_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def fingerprints(filename: str, source: Source, findings: list[Finding]) -> list[tuple[str, str, str]]:
    """(code, file, fingerprint) for each finding, in order."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        first = source.line_of_byte(f.start)
        last = source.line_of_byte(max(f.start, f.end - 1))
        code_text = " ".join(" ".join(source.line_text(i).split()) for i in range(first, last + 1))
        base = f"{f.code}\0{code_text}"
        seen[base] += 1
        digest = hashlib.sha256(f"{base}\0{seen[base]}".encode("utf-8", errors="surrogatepass")).hexdigest()[:16]
        out.append((f.code, _normalise_path(filename), digest))
    return out


def write_baseline(path: str, entries: list[tuple[str, str, str]]) -> None:
    data = {
        "version": VERSION,
        "tool": "hasten",
        "findings": [{"code": c, "filename": f, "fingerprint": h} for c, f, h in sorted(entries)],
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")


def read_baseline(path: str) -> Counter:
    """The baseline as a multiset of (code, file, fingerprint); raises ValueError when invalid."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise ValueError(f"cannot read the baseline {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"the baseline {path} is not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise ValueError(f"the baseline {path} is not a hasten baseline (version {VERSION}); write one with --write-baseline")
    return Counter((e["code"], e["filename"], e["fingerprint"]) for e in data["findings"])
