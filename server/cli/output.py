"""Output formats for `hasten check`. Each formatter takes the file reports and returns text.

JSON schema (``--output-format json``), a list of findings sorted by file and position::

    {
      "code": "HS101", "name": "list-membership-in-loop", "message": "...",
      "filename": "pkg/mod.py", "severity": "warning",
      "line": 3, "column": 8, "end_line": 3, "end_column": 22,     # 1-based, columns in characters
      "fix": null | {
        "title": "...", "applicability": "safe" | "unsafe" | "display-only",
        "edits": [{"content": "...", "line": 3, "column": 8, "end_line": 3, "end_column": 22}]
      },
      "profile"?: {...},    # with a stored profile: the finding's measured share (docs/profile.md)
      "extra"?: {"promoted": "profile", ...}   # a preview rule's finding the profile proves costly
    }

With a stored profile the findings come in order of measured cost instead (measured ones first).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from hasten import __version__

from hasten.analyzers.finding import Applicability, Finding
from hasten.analyzers.source import Source


@dataclass
class FileReport:
    filename: str
    text: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fixed: int = 0
    fixed_codes: list[str] = field(default_factory=list)  # the codes of the findings fixed

    @cached_property
    def source(self) -> Source:
        # Parsed again only when findings are shown: reports may come from a cache or a worker.
        return Source(self.text, self.filename)


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
    extra = {k: v for k, v in finding.extra.items() if k != "profile"}
    if extra:
        out["extra"] = extra
    if finding.extra.get("profile"):
        out["profile"] = finding.extra["profile"]  # its measured share of the run (`hasten profile`)
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


def _fix_diff(src: Source, finding: Finding) -> list[str]:
    """The lines a fix changes, as ``- old`` / ``+ new`` with their line numbers."""
    from hasten.analyzers.fixes import apply_edits

    new = apply_edits(src.data, list(finding.fix.edits)).decode("utf-8", errors="surrogatepass")
    old_lines = src.text.splitlines()
    out = []
    matcher = difflib.SequenceMatcher(None, old_lines, new.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        new_lines = new.splitlines()
        out += [f"{i + 1} - {old_lines[i]}" for i in range(i1, i2)]
        out += [f"{j + 1} + {new_lines[j]}" for j in range(j1, j2)]
    return out


def _fixed_summary(reports: list[FileReport]) -> list[str]:
    """With --fix --show-fixes: the findings fixed, per file and rule."""
    from collections import Counter

    from hasten.analyzers.registry import rules_by_code

    table = rules_by_code()
    lines = []
    for report in reports:
        if not report.fixed_codes:
            continue
        lines.append(f"- {report.filename}:")
        for code, count in sorted(Counter(report.fixed_codes).items()):
            name = table[code].name if code in table else ""
            lines.append(f"    {count} × {code} ({name})" if name else f"    {count} × {code}")
    return lines


def format_text(
    reports: list[FileReport], *, show_source: bool = True, unsafe: bool = False, show_fixes: bool = False,
    complete: bool = True, **_: object,
) -> str:
    """Findings with their source lines; ``show_fixes`` adds each fix's diff and, after --fix,
    the list of findings fixed; ``complete`` False (a path could not be checked or a file not
    written) never ends with "All checks passed."."""
    if not reports and not complete:
        return ""  # nothing was checked: the errors say why
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
                    if show_fixes:
                        lines += [f"{gutter}   {row}" for row in _fix_diff(report.source, finding)]
                if finding.extra.get("profile"):
                    lines.append(f"{gutter} = profile: {finding.extra['profile']['summary']}")
                lines.append("")
            elif show_fixes and finding.fix is not None:
                lines += [f"    {row}" for row in _fix_diff(report.source, finding)]
    fixed = sum(r.fixed for r in reports)
    if fixed:
        lines.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}" + (":" if show_fixes else "."))
        if show_fixes:
            lines += _fixed_summary(reports)
    if total == 0 and not complete:
        lines.append("No findings in the files checked; some could not be checked or written (see the errors).")
    elif total == 0:
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
    return terminal_safe("\n".join(lines) + "\n")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with control characters (escape sequences, carriage returns, NUL) shown as ``\\xNN``:
    a file name, a source line or a message cannot move the cursor or rewrite the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def format_concise(reports: list[FileReport], **options: object) -> str:
    """One line per finding (``file:line:col: CODE [*] message``) and the summary."""
    options["show_source"] = False
    options["show_fixes"] = False
    return format_text(reports, **options)


def format_statistics(reports: list[FileReport], json_output: bool = False) -> str:
    """`--statistics`: the number of findings per rule, most frequent first, and whether
    `--fix` fixes them ([*]: every one has a safe fix)."""
    from hasten.analyzers.registry import rules_by_code

    table = rules_by_code()
    counts: dict[str, list[Finding]] = {}
    for report in reports:
        for finding in report.findings:
            counts.setdefault(finding.code, []).append(finding)
    rows = []
    for code, found in sorted(counts.items(), key=lambda item: (-len(item[1]), item[0])):
        fixable = all(f.fix is not None and f.fix.applicability is Applicability.SAFE for f in found)
        rule = table.get(code)
        rows.append({"code": code, "name": rule.name if rule else found[0].name, "count": len(found), "fixable": fixable})
    if json_output:
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(r["count"])) for r in rows), default=1)
    return "".join(f"{r['count']:>{width}}\t{r['code']}\t{'[*]' if r['fixable'] else '[ ]'} {r['name']}\n" for r in rows)


def format_json_lines(reports: list[FileReport], **_: object) -> str:
    return "".join(json.dumps(finding_to_json(r, f), ensure_ascii=False) + "\n" for r in reports for f in r.findings)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


_GH_LEVEL = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def format_github(reports: list[FileReport], **_: object) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    out = []
    for r in reports:
        for f in r.findings:
            line, col = r.source.byte_to_cli(f.start)
            end_line, end_col = r.source.byte_to_cli(f.end)
            props = f"file={_gh_escape(r.filename, True)},line={line},col={col},endLine={end_line},endColumn={end_col},title={_gh_escape(f'hasten ({f.code})', True)}"
            out.append(f"::{_GH_LEVEL[f.severity.value]} {props}::{_gh_escape(f'{f.code} {f.message}')}")
    return "".join(line + "\n" for line in out)


_SARIF_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def _sarif_region(src: Source, start: int, end: int) -> dict:
    s = src.byte_to_lsp(start)
    e = src.byte_to_lsp(end)
    # SARIF columns are 1-based and count UTF-16 code units by default, like LSP's.
    return {"startLine": s.line + 1, "startColumn": s.character + 1, "endLine": e.line + 1, "endColumn": e.character + 1}


def _sarif_uri(filename: str) -> str:
    path = filename.replace(os.sep, "/")
    if os.path.isabs(filename):
        return "file://" + ("" if path.startswith("/") else "/") + path
    return path


def format_sarif(reports: list[FileReport], **_: object) -> str:
    """SARIF 2.1.0: the tool with the metadata of every rule that fired, results and fixes."""
    from hasten.analyzers.registry import rule_url, rules_by_code

    table = rules_by_code()
    used = sorted({f.code for r in reports for f in r.findings})
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        rule = table.get(code)
        if rule is None:
            rules.append({"id": code})
            continue
        rules.append({
            "id": code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": " ".join(rule.what.split())},
            "help": {"text": " ".join(rule.why.split()), "markdown": rule.explanation()},
            "helpUri": rule_url(code),
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity.value]},
            "properties": {"family": rule.family, "status": rule.status.value, "fix": rule.fix_availability.value, "aliases": list(rule.aliases)},
        })
    results = []
    for r in reports:
        uri = _sarif_uri(r.filename)
        for f in r.findings:
            result = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[f.severity.value],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": _sarif_region(r.source, f.start, f.end)}}],
            }
            if f.extra.get("profile"):
                result["properties"] = {"profile": f.extra["profile"]}
                if f.extra.get("promoted"):  # a preview rule's finding the profile proves costly
                    result["properties"]["promoted"] = f.extra["promoted"]
            if f.fix is not None:
                result["fixes"] = [{
                    "description": {"text": f"{f.fix.title} ({f.fix.applicability.value})"},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {"deletedRegion": _sarif_region(r.source, e.start, e.end), "insertedContent": {"text": e.content}}
                            for e in f.fix.edits
                        ],
                    }],
                }]
            results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "hasten", "version": __version__, "informationUri": "https://pypi.org/project/hasten/", "rules": rules}},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "concise": format_concise,
    "json": format_json,
    "json-lines": format_json_lines,
    "github": format_github,
    "sarif": format_sarif,
}
