"""Open documents under incremental sync: the live text, exact positions, and tree edits.

The client's text is the truth. Each ``didChange`` is applied here, on the event loop, to the bytes
of the document (UTF-8, lone surrogates kept with ``surrogatepass`` so that any JSON string
round-trips). Positions are converted exactly in the encoding agreed at ``initialize``: UTF-16 code
units (the LSP default), UTF-8 bytes or UTF-32 code points. Lines end at ``\\n``, ``\\r\\n`` or a
lone ``\\r`` as the LSP specification says; positions past the end of a line or of the document
clamp to it, and a position inside a character (half a surrogate pair, the middle of a UTF-8
sequence) snaps to the character's start — the same rules as ``analyzers.source.Source``.

The tree-sitter tree is *not* reparsed here: each change is recorded as a tree edit (exact byte
offsets and tree-sitter points, which count ``\\n`` only) and the analysis thread applies the
pending edits to the previous tree and reparses from it (see ``server/analysis.py``), so a large
file never blocks the event loop.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

if TYPE_CHECKING:
    from tree_sitter import Tree

    from hasten.analyzers.checker import CheckResult
    from hasten.analyzers.config import Config
    from hasten.analyzers.finding import Finding
    from hasten.analyzers.source import Source

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BREAK = re.compile(rb"\r\n|\r|\n")


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogatepass")


def utf16_length(text: str) -> int:
    """UTF-16 code units of ``text``; each code point above U+FFFF takes two."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


# -- line index -------------------------------------------------------------------------------


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
    import bisect

    keep = bisect.bisect_left(starts, start)  # starts[:keep] < start
    out = starts[:keep]
    if not out:
        out = [0]
    lo = max(start - 1, 0)
    hi = min(new_end + 1, len(data))
    for match in _BREAK.finditer(data, lo, hi):
        q = match.end()
        if start <= q <= new_end and q > out[-1]:
            out.append(q)
    tail = bisect.bisect_right(starts, old_end)  # starts[tail:] > old_end
    if delta:
        out.extend(p + delta for p in starts[tail:])
    else:
        out.extend(starts[tail:])
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


def _snap(data: bytes, offset: int) -> int:
    while 0 < offset < len(data) and (data[offset] & 0xC0) == 0x80:
        offset -= 1
    return offset


def offset_of(data: bytes, starts: list[int], line: int, character: int, encoding: str = UTF16) -> int:
    """Byte offset of an LSP position; out-of-range positions clamp, as the specification says."""
    if line < 0:
        return 0
    if line >= len(starts):
        return len(data)
    begin, end = line_span(data, starts, line)
    if character <= 0:
        return begin
    if encoding == UTF8:
        return _snap(data, min(begin + character, end))
    segment = data[begin:end]
    if segment.isascii():
        return begin + min(character, len(segment))
    text = _decode(segment)
    if encoding == UTF32:
        return begin + len(_encode(text[:character]))
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
    return begin + len(_encode(text[:index]))


def position_of(data: bytes, starts: list[int], offset: int, encoding: str = UTF16) -> tuple[int, int]:
    """(line, character) of a byte offset; offsets past the end clamp, mid-character ones snap."""
    import bisect

    offset = _snap(data, max(0, min(offset, len(data))))
    line = bisect.bisect_right(starts, offset) - 1
    begin = starts[line]
    if encoding == UTF8:
        return line, offset - begin
    prefix = data[begin:offset]
    if prefix.isascii():
        return line, len(prefix)
    text = _decode(prefix)
    if encoding == UTF32:
        return line, len(text)
    return line, utf16_length(text)


def ts_point(data: bytes, offset: int) -> tuple[int, int]:
    """Tree-sitter's (row, byte column): rows count ``\\n`` only."""
    row = data.count(b"\n", 0, offset)
    return row, offset - (data.rfind(b"\n", 0, offset) + 1)


# -- documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeEdit:
    """One change, in the terms ``Tree.edit`` wants."""

    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: tuple[int, int]
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]

    def apply(self, tree: "Tree") -> None:
        tree.edit(
            start_byte=self.start_byte,
            old_end_byte=self.old_end_byte,
            new_end_byte=self.new_end_byte,
            start_point=self.start_point,
            old_end_point=self.old_end_point,
            new_end_point=self.new_end_point,
        )


RESET = None  # a full-text change: the next parse starts from scratch


@dataclass
class Snapshot:
    """The result of analysing one revision of a document; everything in it is consistent."""

    revision: int
    version: int | None
    source: "Source"
    config: "Config"
    findings: list["Finding"]
    result: "CheckResult | None" = None
    complete: bool = True
    enabled: bool = True
    elapsed: float = 0.0


def uri_to_path(uri: str) -> str | None:
    """The file-system path of a ``file:`` URI, or None for other schemes (untitled:, vscode-notebook-cell:)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if parsed.netloc and parsed.netloc != "localhost":
        path = f"//{parsed.netloc}{path}"
    if re.match(r"^/[A-Za-z]:", path):  # file:///C:/x -> C:/x
        path = path[1:]
    return path


@dataclass
class Document:
    """One open document. Text fields change on the event loop only; ``lock`` guards what the
    analysis thread reads (``data``, ``line_starts``, ``revision``, ``version``, ``pending``)."""

    uri: str
    version: int | None
    data: bytes
    language_id: str = "python"
    path: str | None = None
    revision: int = 0  # bumped on every change, whatever version numbers the client sends
    line_starts: list[int] = field(default_factory=list)
    pending: list[TreeEdit | None] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # Owned by the analysis thread:
    tree: Any = field(default=None, repr=False)
    checker: Any = field(default=None, repr=False)
    # Written on the event loop when an analysis finishes:
    snapshot: Snapshot | None = field(default=None, repr=False)
    pyproject: Any = field(default=None, repr=False)  # (Config, messages) from [tool.hasten]
    closed: bool = False
    partial_noted: bool = False  # the user was told that this document's findings are partial

    @classmethod
    def open(cls, uri: str, text: str, version: int | None, language_id: str = "python") -> "Document":
        data = _encode(text)
        return cls(uri=uri, version=version, data=data, language_id=language_id, path=uri_to_path(uri), line_starts=line_starts(data), pending=[RESET])

    @property
    def text(self) -> str:
        return _decode(self.data)

    def offset_at(self, line: int, character: int, encoding: str = UTF16) -> int:
        return offset_of(self.data, self.line_starts, line, character, encoding)

    def position_at(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        return position_of(self.data, self.line_starts, offset, encoding)

    def current_snapshot(self) -> Snapshot | None:
        """The latest analysis if it describes the text as it is now, else None."""
        snap = self.snapshot
        if snap is not None and snap.revision == self.revision:
            return snap
        return None

    def replace_all(self, text: str, version: int | None) -> None:
        data = _encode(text)
        starts = line_starts(data)
        with self.lock:
            self.data = data
            self.line_starts = starts
            self.pending = [RESET]
            self.version = version
            self.revision += 1

    def apply_change(self, start: tuple[int, int] | None, end: tuple[int, int] | None, text: str, version: int | None, encoding: str = UTF16) -> None:
        """Apply one content change: a range (two (line, character) positions) and its new text,
        or the whole document when ``start`` is None."""
        if start is None or end is None:
            self.replace_all(text, version)
            return
        old = self.data
        s = offset_of(old, self.line_starts, start[0], start[1], encoding)
        e = offset_of(old, self.line_starts, end[0], end[1], encoding)
        if e < s:  # a reversed range from a confused client: take it as the span it names
            s, e = e, s
        inserted = _encode(text)
        data = old[:s] + inserted + old[e:]
        new_end = s + len(inserted)
        start_point = ts_point(old, s)
        old_end_point = ts_point(old, e)
        newlines = inserted.count(b"\n")
        if newlines:
            new_end_point = (start_point[0] + newlines, len(inserted) - (inserted.rfind(b"\n") + 1))
        else:
            new_end_point = (start_point[0], start_point[1] + len(inserted))
        edit = TreeEdit(s, e, new_end, start_point, old_end_point, new_end_point)
        starts = splice_line_starts(self.line_starts, data, s, e, new_end)
        with self.lock:
            self.data = data
            self.line_starts = starts
            self.pending.append(edit)
            self.version = version
            self.revision += 1

    def take_pending(self) -> tuple[bytes, list[int], int, int | None, list[TreeEdit | None]]:
        """For the analysis thread: the current text and the tree edits not applied yet."""
        with self.lock:
            pending, self.pending = self.pending, []
            return self.data, self.line_starts, self.revision, self.version, pending


class DocumentStore:
    """Open documents by URI."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def add(self, doc: Document) -> None:
        self._docs[doc.uri] = doc

    def remove(self, uri: str) -> Document | None:
        doc = self._docs.pop(uri, None)
        if doc is not None:
            doc.closed = True
        return doc

    def __iter__(self):
        return iter(list(self._docs.values()))

    def __len__(self) -> int:
        return len(self._docs)
