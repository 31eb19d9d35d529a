"""Output formats for `hasten check`. Each formatter takes the file reports and returns text.

JSON schema (``--output-format json``), a list of findings sorted by file and position::

    {
      "code": "HS101", "name": "list-membership-in-loop", "message": "...",
      "filename": "pkg/mod.py", "severity": "warning",
      "line": 3, "column": 8, "end_line": 3, "end_column": 22,     # 1-based, columns in characters
      "fix": null | {
        "title": "...", "applicability": "safe" | "unsafe" | "display-only",
        "edits": [{"content": "...", "line": 3, "column": 8, "end_line": 3, "end_column": 22}]
      }
    }
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

from hasten.analyzers.finding import Applicability, Finding
from hasten.analyzers.source import Source


@dataclass
class FileReport:
    filename: str
    source: Source | None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fixed: int = 0


def finding_to_json(report: FileReport, finding: Finding) -> dict:
    src = report.source
    line, col = src.byte_to_cli(finding.start)
    end_line, end_col = src.byte_to_cli(finding.end)
    fix = None
    if finding.fix is not None:
        edits = []
        for edit in finding.fix.edits:
            el, ec = src.byte_to_cli(edit.start)
            eel, eec = src.byte_to_cli(edit.end)
            edits.append({"content": edit.content, "line": el, "column": ec, "end_line": eel, "end_column": eec})
        fix = {"title": finding.fix.title, "applicability": finding.fix.applicability.value, "edits": edits}
    out = {
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "filename": report.filename,
        "severity": finding.severity.value,
        "line": line,
        "column": col,
        "end_line": end_line,
        "end_column": end_col,
        "fix": fix,
    }
    if finding.extra:
        out["extra"] = finding.extra
    return out


def format_json(reports: list[FileReport], **_: object) -> str:
    items = [finding_to_json(r, f) for r in reports for f in r.findings]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def _marker_line(src: Source, finding: Finding) -> tuple[str, str]:
    line, col = src.byte_to_cli(finding.start)
    end_line, end_col = src.byte_to_cli(finding.end)
    text = src.line_text(line - 1).replace("\t", " ")
    width = (end_col - col) if end_line == line else max(1, len(text) - col + 1)
    return text, " " * (col - 1) + "^" * max(1, width)


def format_text(reports: list[FileReport], *, show_source: bool = True, unsafe: bool = False, **_: object) -> str:
    lines: list[str] = []
    total = safe = unsafe_count = 0
    for report in reports:
        for note in report.notes:
            lines.append(f"note: {note}")
        for finding in report.findings:
            total += 1
            line, col = report.source.byte_to_cli(finding.start)
            mark = ""
            if finding.fix is not None:
                if finding.fix.applicability is Applicability.SAFE:
                    safe += 1
                    mark = " [*]"
                elif finding.fix.applicability is Applicability.UNSAFE:
                    unsafe_count += 1
            lines.append(f"{report.filename}:{line}:{col}: {finding.code}{mark} {finding.message}")
            if show_source:
                text, marker = _marker_line(report.source, finding)
                gutter = " " * len(str(line))
                lines.append(f"{gutter} |")
                lines.append(f"{line} | {text}")
                lines.append(f"{gutter} | {marker}")
                if finding.fix is not None:
                    lines.append(f"{gutter} = help: {finding.fix.title} ({finding.fix.applicability.value} fix)")
                lines.append("")
    fixed = sum(r.fixed for r in reports)
    if fixed:
        lines.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.")
    if total == 0:
        lines.append("All checks passed.")
    else:
        summary = f"Found {total} finding{'s' if total != 1 else ''}."
        hints = []
        if safe:
            hints.append(f"{safe} fixable with `hasten check --fix`")
        if unsafe_count and not unsafe:
            hints.append(f"{unsafe_count} more with `--unsafe-fixes`")
        if hints:
            summary += (" [*] " if safe else " ") + ", ".join(hints) + "."
        lines.append(summary)
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
}
