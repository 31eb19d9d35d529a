"""Line suppressions: ``# noqa``, ``# noqa: CODE[, CODE]`` and ``# hasten: ignore[CODE, ...]``.

Codes may be hasten codes or the aliases a rule declares (``# noqa: PERF401`` silences the hasten
rule that mirrors PERF401), so existing suppressions keep working when a project adopts hasten.
"""

from __future__ import annotations

import re

from hasten.analyzers.source import Source

ALL = "*"

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,?\s*[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
_HASTEN = re.compile(r"#\s*hasten:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_SPLIT = re.compile(r"[\s,]+")


def parse_comment(text: str) -> set[str] | None:
    """Codes a comment suppresses (``{ALL}`` for all), or None when it suppresses nothing."""
    codes: set[str] = set()
    found = False
    for pattern in (_NOQA, _HASTEN):
        for match in pattern.finditer(text):
            found = True
            group = match.group("codes")
            if not group or not group.strip():
                codes.add(ALL)
            else:
                codes.update(c.upper() for c in _SPLIT.split(group.strip()) if c)
    return codes if found else None


def suppressions(source: Source, span: tuple[int, int] | None = None) -> dict[int, set[str]]:
    """Map 0-based line -> suppressed codes, from the file's comments.

    With ``span`` (byte offsets), only the comments on the lines those bytes touch are read: the
    checker asks for the lines of one function, not the whole file, when it checks a subtree.
    """
    table: dict[int, set[str]] = {}
    data = source.data
    if b"#" not in data:
        return table
    lo = hi = None
    if span is not None:
        lo = source.line_starts[source.line_of_byte(span[0])]
        hi = source.line_end(source.line_of_byte(span[1]))
    stack = [source.tree.root_node]
    while stack:
        node = stack.pop()
        if lo is not None and (node.end_byte < lo or node.start_byte > hi):
            continue
        if node.type == "comment":
            codes = parse_comment(source.node_text(node))
            if codes:
                table.setdefault(source.line_of_byte(node.start_byte), set()).update(codes)
            continue
        stack.extend(node.children)
    return table


def is_suppressed(table: dict[int, set[str]], line: int, code: str, aliases: tuple[str, ...] = ()) -> bool:
    codes = table.get(line)
    if not codes:
        return False
    if ALL in codes or code in codes:
        return True
    return any(a.upper() in codes for a in aliases)
