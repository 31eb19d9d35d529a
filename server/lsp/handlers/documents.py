"""textDocument/didOpen, didChange, didSave, didClose: keep ``server.documents`` in step, and tell
the scheduler."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from hasten.analyzers.source import for_parsing, parse_bytes
from hasten.server.lsp.documents import Document

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.lsp.documents")


def did_open(server: "HastenServer", params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    if server.documents.get(item.uri) is not None:
        log.warning("didOpen for a document that is already open: %s; its text is replaced", item.uri)
    doc = Document.open(item.uri, item.text, item.version, item.language_id)
    server.documents.add(doc)
    server.scheduler.document_opened(doc)


def did_change(server: "HastenServer", params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    doc = server.document(uri, what="didChange")
    if doc is None:
        return
    version = params.text_document.version
    if version is not None and doc.version is not None and version <= doc.version:
        log.warning("didChange for %s has version %s after version %s; applied anyway", uri, version, doc.version)
    encoding = server.session.position_encoding
    for change in params.content_changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            r = change.range
            doc.apply_change((r.start.line, r.start.character), (r.end.line, r.end.character), change.text, version, encoding)
        else:
            doc.replace_all(change.text, version)
    server.scheduler.document_changed(doc)


def did_save(server: "HastenServer", params: types.DidSaveTextDocumentParams) -> None:
    doc = server.document(params.text_document.uri, what="didSave")
    if doc is None:
        return
    if params.text is not None and params.text.encode("utf-8", "surrogatepass") != doc.data:
        log.warning("didSave text of %s differs from the synced text; using the saved text", doc.uri)
        doc.replace_all(params.text, doc.version)
    server.scheduler.document_saved(doc)  # subscribers of `saved` (verify on save) run from here


def did_close(server: "HastenServer", params: types.DidCloseTextDocumentParams) -> None:
    doc = server.documents.remove(params.text_document.uri)
    if doc is None:
        log.warning("didClose for a document that is not open: %s", params.text_document.uri)
        return
    server.scheduler.document_closed(doc)


async def document_state(server: "HastenServer", params) -> dict | None:
    """``hasten/documentState``, for tests and bug reports: the server's copy of a document, after
    its analysis, and whether the incrementally edited tree equals a fresh parse of that text."""
    uri = params.get("uri") if isinstance(params, dict) else getattr(params, "uri", None)
    want_tree = (params.get("compareTree", True) if isinstance(params, dict) else getattr(params, "compareTree", True)) is not False
    doc = server.documents.get(uri) if isinstance(uri, str) else None
    if doc is None:
        return None
    snap = await server.scheduler.current(doc)

    def compare() -> bool | None:
        if not want_tree or doc.tree is None or doc.revision != snap.revision:
            return None
        return _shape(doc.tree) == _shape(parse_bytes(for_parsing(snap.source.data)))

    same = await asyncio.wrap_future(server.worker.submit(compare))
    return {"version": snap.version, "revision": snap.revision, "text": snap.source.text, "treeMatchesFreshParse": same}


def _shape(tree) -> list[tuple]:
    out = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        out.append((node.type, node.start_byte, node.end_byte, tuple(node.start_point), tuple(node.end_point)))
        stack.extend(reversed(node.children))
    return out
