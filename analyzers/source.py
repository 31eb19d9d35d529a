"""One parsed Python file: its text, its tree-sitter tree, and exact position conversions.

Three coordinate systems meet here:

* byte offsets into the UTF-8 encoding (what tree-sitter and our edits use);
* LSP positions: 0-based line and a character offset in UTF-16 code units;
* CLI positions: 1-based line and 1-based column counted in code points.

Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as the LSP specification says. Tree-sitter
counts rows on ``\\n`` only, so its points are computed separately (``ts_point``) for tree edits.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from functools import cached_property

import tree_sitter_python
from tree_sitter import Language, Node, Parser, Tree

PYTHON = Language(tree_sitter_python.language())


def new_parser() -> Parser:
    return Parser(PYTHON)


# A tree-sitter parser must not be used by two threads at once; the language server parses on
# its analysis thread while verification and metrics build Sources on theirs. One per thread.
_LOCAL = threading.local()


def _parser() -> Parser:
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = new_parser()
    return parser


def parse_bytes(data: bytes, old_tree: Tree | None = None) -> Tree:
    if old_tree is None:
        return _parser().parse(data)
    return _parser().parse(data, old_tree)


@dataclass(frozen=True)
class Position:
    """A 0-based line and a character offset in UTF-16 code units (LSP's convention)."""

    line: int
    character: int


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    i = 0
    n = len(data)
    find_cr = data.find
    # Fast path: scan for both separators with bytes.find, which is much faster than a Python loop.
    while i < n:
        lf = find_cr(b"\n", i)
        cr = find_cr(b"\r", i)
        if lf < 0 and cr < 0:
            break
        if cr < 0 or (0 <= lf < cr):
            i = lf + 1
        elif cr + 1 < n and data[cr + 1] == 0x0A:
            i = cr + 2
        else:
            i = cr + 1
        starts.append(i)
    return starts


def _utf16_len(text: str) -> int:
    # Characters outside the BMP take two UTF-16 code units.
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class Source:
    """A Python file parsed once, with exact conversions between coordinate systems."""

    def __init__(self, text: str, path: str | None = None, tree: Tree | None = None):
        self.text = text
        self.path = path
        self.data = text.encode("utf-8", errors="surrogatepass")
        self.tree = tree if tree is not None else parse_bytes(self.data)

    # -- lines -------------------------------------------------------------------------------

    @cached_property
    def line_starts(self) -> list[int]:
        """Byte offset of the start of each line (LSP line breaks)."""
        return _line_starts(self.data)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of_byte(self, offset: int) -> int:
        """0-based LSP line containing the byte ``offset``."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_end(self, line: int, *, with_newline: bool = False) -> int:
        """Byte offset of the end of ``line``, before its line break unless asked."""
        starts = self.line_starts
        if line + 1 < len(starts):
            end = starts[line + 1]
            if with_newline:
                return end
            if end >= 2 and self.data[end - 2 : end] == b"\r\n":
                return end - 2
            return end - 1
        return len(self.data)

    def line_text(self, line: int) -> str:
        start = self.line_starts[line]
        return self.data[start : self.line_end(line)].decode("utf-8", errors="replace")

    @cached_property
    def newline(self) -> str:
        """The file's dominant line ending, for edits that insert lines."""
        first = self.data.find(b"\n")
        if first > 0 and self.data[first - 1 : first] == b"\r":
            return "\r\n"
        if first < 0 and b"\r" in self.data:
            return "\r"
        return "\n"

    # -- conversions -------------------------------------------------------------------------

    def _clamp(self, offset: int) -> int:
        return max(0, min(offset, len(self.data)))

    def _snap(self, offset: int) -> int:
        """Move ``offset`` back to the start of a UTF-8 character if it points into one."""
        data = self.data
        while 0 < offset < len(data) and (data[offset] & 0xC0) == 0x80:
            offset -= 1
        return offset

    def byte_to_lsp(self, offset: int) -> Position:
        offset = self._snap(self._clamp(offset))
        line = self.line_of_byte(offset)
        start = self.line_starts[line]
        prefix = self.data[start:offset].decode("utf-8", errors="surrogatepass")
        return Position(line, _utf16_len(prefix))

    def lsp_to_byte(self, line: int, character: int) -> int:
        """Byte offset of an LSP position; out-of-range positions are clamped, as the spec says."""
        if line < 0:
            return 0
        if line >= self.line_count:
            return len(self.data)
        start = self.line_starts[line]
        end = self.line_end(line)
        text = self.data[start:end].decode("utf-8", errors="surrogatepass")
        units = 0
        consumed = 0
        for ch in text:
            if units >= character:
                break
            width = 2 if ord(ch) > 0xFFFF else 1
            if units + width > character:
                # A position inside a surrogate pair snaps to the character's start.
                break
            units += width
            consumed += len(ch.encode("utf-8", errors="surrogatepass"))
        return start + consumed

    def byte_to_cli(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column in code points."""
        offset = self._snap(self._clamp(offset))
        line = self.line_of_byte(offset)
        start = self.line_starts[line]
        column = len(self.data[start:offset].decode("utf-8", errors="surrogatepass"))
        return line + 1, column + 1

    def ts_point(self, offset: int) -> tuple[int, int]:
        """Tree-sitter's (row, byte column) for a byte offset; rows count ``\\n`` only."""
        offset = self._clamp(offset)
        row = self.data.count(b"\n", 0, offset)
        last = self.data.rfind(b"\n", 0, offset)
        return row, offset - (last + 1)

    # -- text --------------------------------------------------------------------------------

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", errors="surrogatepass")

    def node_text(self, node: Node) -> str:
        return self.slice(node.start_byte, node.end_byte)

    def indent_of_line(self, line: int) -> str:
        text = self.line_text(line)
        return text[: len(text) - len(text.lstrip(" \t"))]

    @property
    def has_syntax_errors(self) -> bool:
        return self.tree.root_node.has_error

    def syntax_error_nodes(self) -> list[Node]:
        """ERROR and MISSING nodes, outermost first, for notes about unparsed regions."""
        found: list[Node] = []
        stack = [self.tree.root_node]
        while stack:
            node = stack.pop()
            if node.is_error or node.is_missing:
                found.append(node)
                continue
            if node.has_error:
                stack.extend(reversed(node.children))
        return found
