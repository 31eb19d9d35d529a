"""Fixes that respect the project's line length (``line-length`` of ``[tool.ruff]`` or
``[tool.black]``): a line a fix writes that would be longer is broken inside its outermost
brackets, one item (or comprehension clause) per line; a fix that cannot be made to fit is
dropped rather than offered with an over-long line."""

from __future__ import annotations

import io
import tokenize

from hasten.analyzers.finding import Edit, Fix
from hasten.analyzers.source import Source

# Without a configured length, the default of black and ruff: a longer line a fix writes is one
# both would flag (or reformat) out of the box.
DEFAULT_LINE_LENGTH = 88
OPENERS = {"(": ")", "[": "]", "{": "}"}
INDENT = "    "


def _tokens(line: str) -> list[tokenize.TokenInfo] | None:
    try:
        return [
            t for t in tokenize.generate_tokens(io.StringIO(line + "\n").readline)
            if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT)
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None


def _bracket_pairs(tokens: list[tokenize.TokenInfo]) -> list[tuple[int, int]] | None:
    """(opener index, closer index) of each bracket pair at depth 0, or None when unbalanced."""
    pairs, stack = [], []
    for i, t in enumerate(tokens):
        if t.type == tokenize.OP and t.string in OPENERS:
            stack.append(i)
        elif t.type == tokenize.OP and t.string in (")", "]", "}"):
            if not stack:
                return None
            start = stack.pop()
            if not stack:
                pairs.append((start, i))
    return None if stack else pairs


def wrap_line(line: str, limit: int, _depth: int = 0) -> list[str] | None:
    """``line`` broken inside one of its outermost bracket pairs so every line fits ``limit``;
    None when no such break fits (or the line is not a complete one)."""
    tokens = _tokens(line)
    if not tokens or tokens[0].start[0] != 1 or any(t.start[0] != 1 or t.end[0] != 1 for t in tokens):
        return None
    pairs = _bracket_pairs(tokens)
    if not pairs:
        return None
    indent = line[: len(line) - len(line.lstrip())]
    inner_indent = indent + INDENT
    for open_i, close_i in sorted(pairs, key=lambda p: tokens[p[0]].start[1] - tokens[p[1]].start[1]):
        head = line[: tokens[open_i].end[1]]
        tail = line[tokens[close_i].start[1]:]
        depth = 0
        cuts: list[int] = []  # character offsets where a new line starts
        comprehension = False
        for t in tokens[open_i + 1 : close_i]:
            if t.type == tokenize.OP and t.string in OPENERS:
                depth += 1
            elif t.type == tokenize.OP and t.string in (")", "]", "}"):
                depth -= 1
            elif depth == 0 and t.type == tokenize.NAME and t.string in ("for", "if", "async"):
                if t.string == "async" or not (cuts and cuts[-1] == -1):
                    comprehension = True
                    cuts.append(t.start[1])
            elif depth == 0 and t.type == tokenize.OP and t.string == ",":
                cuts.append(-t.end[1])  # negative: cut after the comma
        if comprehension:
            cuts = [c for c in cuts if c >= 0]
            # ``async for``: keep the pair together
            cuts = [c for c in cuts if not line[:c].rstrip().endswith("async")]
        else:
            cuts = [-c for c in cuts if c < 0]
        start = tokens[open_i].end[1]
        end = tokens[close_i].start[1]
        pieces, previous = [], start
        for cut in cuts:
            pieces.append(line[previous:cut].strip())
            previous = cut
        pieces.append(line[previous:end].strip())
        pieces = [p for p in pieces if p]
        if not pieces:
            continue
        lines = [head] + [inner_indent + p for p in pieces] + [indent + tail.lstrip()]
        if len(head) > limit or len(lines[-1]) > limit:
            continue
        fitted: list[str] = []
        for x in lines:
            if len(x) <= limit:
                fitted.append(x)
                continue
            deeper = wrap_line(x, limit, _depth + 1) if _depth < 4 else None
            if deeper is None:
                break
            fitted.extend(deeper)
        else:
            return fitted
    return None


def fit_fix(source: Source, fix: Fix, limit: int) -> Fix | None:
    """``fix`` with every line it writes within ``limit`` characters (lines that were already
    longer are left as they are); None when a line cannot be wrapped to fit."""
    nl = source.newline
    edits: list[Edit] = []
    regions: list[tuple[int, int]] = []
    changed = False
    for edit in fix.edits:
        first = source.line_of_byte(edit.start)
        last = source.line_of_byte(edit.end)
        line_start = source.line_starts[first]
        line_end = source.line_end(last)
        original = source.data[line_start:line_end].decode("utf-8", errors="surrogatepass")
        prefix = source.data[line_start:edit.start].decode("utf-8", errors="surrogatepass")
        suffix = source.data[edit.end:line_end].decode("utf-8", errors="surrogatepass")
        written = (prefix + edit.content + suffix).split(nl)
        if all(len(x) <= limit for x in written) or any(len(x) > limit for x in original.split(nl)):
            edits.append(edit)
            continue
        if any(a < line_end and line_start < b for a, b in regions):
            return None  # another edit of this fix shares the line: leave it to the user
        out: list[str] = []
        for text in written:
            if len(text) <= limit:
                out.append(text)
                continue
            wrapped = wrap_line(text, limit)
            if wrapped is None:
                return None
            out.extend(wrapped)
        edits.append(Edit(line_start, line_end, nl.join(out)))
        regions.append((line_start, line_end))
        changed = True
    if not changed:
        return fix
    for other in edits:
        if any(a <= other.start < b or a < other.end <= b for a, b in regions) and (other.start, other.end) not in regions:
            return None  # an edit inside a widened region would now overlap it
    return Fix(title=fix.title, edits=tuple(sorted(edits, key=lambda e: (e.start, e.end))), applicability=fix.applicability)
