"""Open documents under incremental sync: the live text, exact positions, and tree edits.

The client's text is the truth. Each ``didChange`` is applied here, on the event loop, to the bytes
of the document (UTF-8, lone surrogates kept with ``surrogatepass`` so that any JSON string
round-trips). Positions are converted exactly in the encoding agreed at ``initialize``: UTF-16 code
units (the LSP default), UTF-8 bytes or UTF-32 code points. Lines end at ``\\n``, ``\\r\\n`` or a
lone ``\\r`` as the LSP specification says; positions past the end of a line or of the document
clamp to it, and a position inside a character (half a surrogate pair, the middle of a UTF-8
sequence) snaps to the character's start: the conversions are ``analyzers.source``'s, the same
that ``Source`` uses.

The tree-sitter tree is *not* reparsed here: each change is recorded as a tree edit (exact byte
offsets and tree-sitter points) and the analysis thread applies the pending edits to the previous
tree and reparses from it (see ``worker.py``), so a large file never blocks the event loop. The
tree is of ``source.for_parsing(data)`` (a ``\\n`` for each lone ``\\r``, as the command line
parses), so its rows are the LSP lines; an edit just after a ``\\r`` can make it lone or not, so
such an edit starts one byte earlier, at the ``\\r``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from hasten.analyzers.source import UTF16, line_starts, offset_of, splice_line_starts, ts_point

if TYPE_CHECKING:
    from tree_sitter import Tree

    from hasten.analyzers.checker import CheckResult
    from hasten.analyzers.config import Config
    from hasten.analyzers.finding import Finding
    from hasten.analyzers.incremental import IncrementalChecker
    from hasten.analyzers.source import Source

_ENCODING_ERRORS = "surrogatepass"  # lone surrogates round-trip, as any JSON string must


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors=_ENCODING_ERRORS)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors=_ENCODING_ERRORS)


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
    model_pending: bool = False  # the model's findings (HS900) are still to come for this revision


def uri_to_path(uri: str) -> str | None:
    """The file-system path of a ``file:`` URI, or None for other schemes (untitled:,
    vscode-notebook-cell:) and for a path no file system takes (a NUL in it)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if "\0" in path:  # no file system takes it (os.stat raises ValueError): not a file
        return None
    if parsed.netloc and parsed.netloc != "localhost":
        path = f"//{parsed.netloc}{path}"
    if re.match(r"^/[A-Za-z]:", path):  # file:///C:/x -> C:/x
        path = path[1:]
    return path


@dataclass(eq=False)
class Document:
    """One open document: the client's text. Every field is written by the methods below, which
    the document handlers call on the event loop, except ``tree`` and ``checker``, which only the
    analysis thread (``worker.Worker``) writes. ``lock`` guards what that thread reads (``data``,
    ``line_starts``, ``revision``, ``version``, ``pending``). Analyses of the document belong to
    the scheduler (``scheduler.AnalysisScheduler.snapshot``)."""

    uri: str
    version: int | None
    data: bytes
    language_id: str = "python"
    path: str | None = None
    revision: int = 0  # bumped on every change, whatever version numbers the client sends
    line_starts: list[int] = field(default_factory=list)
    pending: list[TreeEdit | None] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    closed: bool = False
    # Owned by the analysis thread:
    tree: "Tree | None" = field(default=None, repr=False)
    checker: "IncrementalChecker | None" = field(default=None, repr=False)

    @classmethod
    def open(cls, uri: str, text: str, version: int | None, language_id: str = "python") -> "Document":
        data = _encode(text)
        return cls(uri=uri, version=version, data=data, language_id=language_id, path=uri_to_path(uri), line_starts=line_starts(data), pending=[RESET])

    @property
    def text(self) -> str:
        return _decode(self.data)

    def offset_at(self, line: int, character: int, encoding: str = UTF16) -> int:
        return offset_of(self.data, self.line_starts, line, character, encoding)

    def close(self) -> None:
        self.closed = True

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
        # Tree-sitter reads a lone \r as \n: whether the \r before the edit is lone depends on
        # the byte after it, which this edit may change, so the tree edit starts at that \r.
        edit_start = s - 1 if s > 0 and old[s - 1] == 0x0D else s
        edit = TreeEdit(edit_start, e, new_end, ts_point(old, edit_start), ts_point(old, e), ts_point(data, new_end))
        starts = splice_line_starts(self.line_starts, data, s, e, new_end)
        with self.lock:
            self.data = data
            self.line_starts = starts
            self.pending.append(edit)
            self.version = version
            self.revision += 1

    def reparse_from_scratch(self) -> None:
        """For the analysis thread, when a parse was abandoned: the next one starts afresh."""
        with self.lock:
            self.pending.insert(0, RESET)

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
            doc.close()
        return doc

    def __iter__(self):
        return iter(list(self._docs.values()))

    def __len__(self) -> int:
        return len(self._docs)
