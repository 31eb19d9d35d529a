"""`hasten check --add-noqa`: write a ``# noqa: CODE`` comment for each of today's findings.

A suppression is read on the line where a finding starts (``analyzers/suppression.py``), so the
comment goes at the end of that line. Where that line ends inside a multi-line string or after a
backslash continuation, a comment cannot go there: the finding is skipped and counted. Codes are
merged into a ``# noqa: ...`` comment already on the line; other comments are kept and the
directive follows them. The result is checked again before it is returned: a directive that would
not silence its finding, or a text that would no longer parse, leaves the file as it was.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.finding import Finding
from hasten.analyzers.source import Source

_TRAILING_NOQA = re.compile(r"#\s*noqa:\s*[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*\s*$", re.IGNORECASE)


@dataclass
class NoqaResult:
    text: str
    added: int = 0  # findings silenced by a new directive
    skipped: int = 0  # findings on a line that cannot take a comment
    error: str | None = None


def _comment_lines(text: str) -> tuple[set[int], dict[int, str]] | None:
    """0-based lines whose end can take a comment, and the comment already on each line."""
    ends: set[int] = set()
    comments: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL):
                ends.add(token.start[0] - 1)
            elif token.type == tokenize.COMMENT:
                comments[token.start[0] - 1] = token.string
    except (tokenize.TokenError, SyntaxError):
        return None
    return ends, comments


def add_noqa(text: str, findings: list[Finding], config: Config, path: str | None = None) -> NoqaResult:
    """``text`` with a ``# noqa`` directive for each finding whose line can take one."""
    if not findings:
        return NoqaResult(text)
    scanned = _comment_lines(text)
    if scanned is None:
        return NoqaResult(text, error="cannot place comments: the file does not tokenize")
    ends, comments = scanned
    source = Source(text, path)
    wanted: dict[int, list[str]] = {}
    skipped = 0
    for finding in findings:
        line = source.line_of_byte(finding.start)
        if line not in ends:
            skipped += 1
            continue
        codes = wanted.setdefault(line, [])
        if finding.code not in codes:
            codes.append(finding.code)
    if not wanted:
        return NoqaResult(text, skipped=skipped)
    lines = text.splitlines(keepends=True)
    for line, codes in wanted.items():
        if line >= len(lines):  # a finding at the very end of a file without a last newline
            lines.append("")
        raw = lines[line]
        body = raw.rstrip("\r\n")
        newline = raw[len(body):]
        body = body.rstrip()
        comment = comments.get(line)
        if comment is not None and _TRAILING_NOQA.search(comment) and body.endswith(comment.rstrip()):
            body = body + ", " + ", ".join(codes)
        else:
            body = body + "  # noqa: " + ", ".join(codes)
        lines[line] = body + newline
    new_text = "".join(lines)
    # Check the result: every targeted finding silenced, and no syntax error introduced.
    new_source = Source(new_text, path)
    if new_source.has_syntax_errors and not source.has_syntax_errors:
        return NoqaResult(text, error="adding the comments would break the syntax; file left unchanged")
    left = {(f.code, new_source.line_of_byte(f.start)) for f in check(new_source, config).findings}
    if any((code, line) in left for line, codes in wanted.items() for code in codes):
        return NoqaResult(text, error="a directive would not silence its finding; file left unchanged")
    added = sum(1 for f in findings if source.line_of_byte(f.start) in wanted)
    return NoqaResult(new_text, added=added, skipped=skipped)
