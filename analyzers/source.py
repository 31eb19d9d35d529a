"""One parsed Python file: its text, its tree-sitter tree, and exact position conversions.

Three coordinate systems meet here:

* byte offsets into the UTF-8 encoding (what tree-sitter and our edits use);
* LSP positions: 0-based line and a character offset in UTF-16 code units (LSP's default), or in
  UTF-8 bytes or UTF-32 code points when client and server agreed on those;
* CLI positions: 1-based line and 1-based column counted in code points.

Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as the LSP specification says. Tree-sitter
ends lines at ``\\n`` only, so it is given ``for_parsing(data)``, with a ``\\n`` for each lone
``\\r`` (byte for byte): its rows are then the LSP lines, and ``ts_point`` gives its points for
tree edits. Every front end parses through ``for_parsing``: the command line's ``Source`` and the
editor's analysis thread alike.

The module-level functions work on bytes and a line index, for the editor's live documents, which
keep both up to date without a tree; ``Source``'s methods are the same functions on its text.
"""

from __future__ import annotations

import bisect
import re
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


_LONE_CR = re.compile(rb"\r(?!\n)")


def parse_bytes(data: bytes, old_tree: Tree | None = None) -> Tree:
    if old_tree is None:
        return _parser().parse(data)
    return _parser().parse(data, old_tree)


def for_parsing(data: bytes) -> bytes:
    """``data`` with each lone ``\\r`` turned into ``\\n``, for tree-sitter, which ends lines at
    ``\\n`` only (Python, like LSP, also ends them at a lone ``\\r``). One byte for one: every byte
    offset stays the same; only tree-sitter's rows count the lone ``\\r`` breaks too."""
    if b"\r" not in data:
        return data
    return _LONE_CR.sub(b"\n", data)


# -- a Python file's bytes and its text, in the file's own encoding (PEP 263) ----------------------

def source_encoding(data: bytes) -> str:
    """The codec Python reads ``data`` with: ``utf-8-sig`` after a UTF-8 BOM, the PEP 263 coding
    declared in the first two lines, else ``utf-8``. An unknown codec raises LookupError."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown codec, or a BOM together with a non-UTF-8 coding
        if "unknown encoding" in str(exc):
            raise LookupError(str(exc)) from None
        return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    return encoding


def decode_source(data: bytes) -> str:
    """The text of a Python file's bytes in its own encoding (the BOM is not part of the text).
    Undecodable bytes raise UnicodeDecodeError; an unknown codec raises LookupError."""
    return data.decode(source_encoding(data))


def encode_like(text: str, original: bytes) -> bytes:
    """``text`` encoded as the file whose bytes were ``original`` is: the same codec, the same BOM.
    A character the codec cannot hold raises UnicodeEncodeError: never re-encode a file."""
    encoding = source_encoding(original)
    if encoding in ("utf-8", "utf-8-sig"):
        return text.encode(encoding, errors="surrogatepass")
    return text.encode(encoding)


UTF8 = "utf-8"
UTF16 = "utf-16"  # the LSP default
UTF32 = "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BREAK = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True)
class Position:
    """A 0-based line and a character offset (UTF-16 code units unless another encoding was asked)."""

    line: int
    character: int


def line_starts(data: bytes) -> list[int]:
    """Byte offset of the start of each line (``\\n``, ``\\r\\n`` and lone ``\\r`` end a line)."""
    return [0] + [m.end() for m in _BREAK.finditer(data)]


def splice_line_starts(starts: list[int], data: bytes, start: int, old_end: int, new_end: int) -> list[int]:
    """Line starts of ``data`` after bytes ``start:old_end`` of the old text became ``start:new_end``.

    A line start at ``p`` depends only on the bytes at ``p - 1`` and ``p``, so starts before
    ``start`` are kept, starts in the replaced region are found again, and starts after
    ``old_end`` are shifted. Returns a new list; ``starts`` is not changed.
    """
    delta = new_end - old_end
    keep = bisect.bisect_left(starts, start)  # starts[:keep] < start
    out = starts[:keep] or [0]
    lo = max(start - 1, 0)
    hi = min(new_end + 1, len(data))
    for match in _BREAK.finditer(data, lo, hi):
        q = match.end()
        if start <= q <= new_end and q > out[-1]:
            out.append(q)
    tail = bisect.bisect_right(starts, old_end)  # starts[tail:] > old_end
    out.extend(p + delta for p in starts[tail:]) if delta else out.extend(starts[tail:])
    return out


def line_span(data: bytes, starts: list[int], line: int) -> tuple[int, int]:
    """Byte offsets of the start of ``line`` and of its end before the line break."""
    begin = starts[line]
    if line + 1 < len(starts):
        end = starts[line + 1]
        if end - begin >= 2 and data[end - 2 : end] == b"\r\n":
            return begin, end - 2
        return begin, end - 1
    return begin, len(data)


def utf16_length(text: str) -> int:
    """UTF-16 code units of ``text``; each code point above U+FFFF takes two."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def snap_to_character(data: bytes, offset: int) -> int:
    """Move ``offset`` back to the start of a UTF-8 character if it points into one."""
    while 0 < offset < len(data) and (data[offset] & 0xC0) == 0x80:
        offset -= 1
    return offset


def offset_of(data: bytes, starts: list[int], line: int, character: int, encoding: str = UTF16) -> int:
    """Byte offset of an LSP position; out-of-range positions clamp, as the specification says,
    and a position inside a character (half a surrogate pair) snaps to the character's start."""
    if line < 0:
        return 0
    if line >= len(starts):
        return len(data)
    begin, end = line_span(data, starts, line)
    if character <= 0:
        return begin
    if encoding == UTF8:
        return snap_to_character(data, min(begin + character, end))
    segment = data[begin:end]
    if segment.isascii():
        return begin + min(character, len(segment))
    text = segment.decode("utf-8", errors="surrogatepass")
    if encoding == UTF32:
        return begin + len(text[:character].encode("utf-8", errors="surrogatepass"))
    # UTF-16: walk the astral characters only; everything between them is one unit per character.
    units = 0
    previous = 0
    index = None
    for match in _ASTRAL.finditer(text):
        at = match.start()
        if units + (at - previous) >= character:
            index = previous + (character - units)
            break
        units += at - previous
        if units + 2 > character:  # inside the surrogate pair: snap to the character's start
            index = at
            break
        units += 2
        previous = at + 1
    if index is None:
        index = min(len(text), previous + (character - units))
    return begin + len(text[:index].encode("utf-8", errors="surrogatepass"))


def position_of(data: bytes, starts: list[int], offset: int, encoding: str = UTF16) -> tuple[int, int]:
    """(line, character) of a byte offset; offsets past the end clamp, mid-character ones snap."""
    offset = snap_to_character(data, max(0, min(offset, len(data))))
    line = bisect.bisect_right(starts, offset) - 1
    begin = starts[line]
    if encoding == UTF8:
        return line, offset - begin
    prefix = data[begin:offset]
    if prefix.isascii():
        return line, len(prefix)
    text = prefix.decode("utf-8", errors="surrogatepass")
    if encoding == UTF32:
        return line, len(text)
    return line, utf16_length(text)


def ts_point(data: bytes, offset: int) -> tuple[int, int]:
    """Tree-sitter's (row, byte column) for a byte offset of ``data``, as parsed through
    ``for_parsing``: rows count ``\\n`` and lone ``\\r`` (whether a ``\\r`` just before ``offset``
    is lone depends on the byte at ``offset``)."""
    offset = max(0, min(offset, len(data)))
    rows = data.count(b"\n", 0, offset)
    last = data.rfind(b"\n", 0, offset)
    if b"\r" in data:
        rows += data.count(b"\r", 0, offset) - data.count(b"\r\n", 0, offset + 1)
        cr = data.rfind(b"\r", 0, offset)
        if cr > last:
            if cr + 1 == offset and data[offset : offset + 1] == b"\n":  # the \r of a \r\n
                cr = data.rfind(b"\r", 0, cr)
            last = max(last, cr)
    return rows, offset - (last + 1)


class Source:
    """A Python file parsed once, with exact conversions between coordinate systems."""

    def __init__(self, text: str, path: str | None = None, tree: Tree | None = None, line_starts: list[int] | None = None):
        self.text = text
        self.path = path
        self.data = text.encode("utf-8", errors="surrogatepass")
        self.tree = tree if tree is not None else parse_bytes(for_parsing(self.data))
        if line_starts is not None:  # an index kept up to date elsewhere (the editor's document)
            self.__dict__["line_starts"] = line_starts

    # -- lines -------------------------------------------------------------------------------

    @cached_property
    def line_starts(self) -> list[int]:
        """Byte offset of the start of each line (LSP line breaks)."""
        return line_starts(self.data)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of_byte(self, offset: int) -> int:
        """0-based LSP line containing the byte ``offset``."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_end(self, line: int, *, with_newline: bool = False) -> int:
        """Byte offset of the end of ``line``, before its line break unless asked."""
        if with_newline:
            starts = self.line_starts
            return starts[line + 1] if line + 1 < len(starts) else len(self.data)
        return line_span(self.data, self.line_starts, line)[1]

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

    def byte_to_lsp(self, offset: int, encoding: str = UTF16) -> Position:
        return Position(*position_of(self.data, self.line_starts, offset, encoding))

    def lsp_to_byte(self, line: int, character: int, encoding: str = UTF16) -> int:
        """Byte offset of an LSP position; out-of-range positions are clamped, as the spec says."""
        return offset_of(self.data, self.line_starts, line, character, encoding)

    def byte_to_cli(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column in code points."""
        offset = snap_to_character(self.data, max(0, min(offset, len(self.data))))
        line = self.line_of_byte(offset)
        start = self.line_starts[line]
        column = len(self.data[start:offset].decode("utf-8", errors="surrogatepass"))
        return line + 1, column + 1

    def ts_point(self, offset: int) -> tuple[int, int]:
        """Tree-sitter's (row, byte column) for a byte offset (rows are LSP lines)."""
        return ts_point(self.data, offset)

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
