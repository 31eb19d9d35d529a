"""Diagnostics: analysis scheduling (debounced, off the event loop), push and pull.

Every change schedules an analysis after ``debounce`` ms; the worker thread reparses from the old
tree and re-checks what changed (``server/analysis.py``). A result for a revision that is no longer
current is dropped. Clients that support pull diagnostics (``textDocument/diagnostic``) get them
on request and nothing is pushed; others get ``textDocument/publishDiagnostics`` with the version.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from lsprotocol import types

from hasten.analyzers.finding import Finding, Severity
from hasten.server.documents import Document, Snapshot

log = logging.getLogger("hasten.server.diagnostics")

SOURCE = "hasten"

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def lsp_range(source, start: int, end: int, encoding: str) -> types.Range:
    a, b = source.byte_to_lsp(start, encoding), source.byte_to_lsp(end, encoding)
    return types.Range(start=types.Position(line=a.line, character=a.character), end=types.Position(line=b.line, character=b.character))


def range_json(r: types.Range) -> dict:
    return {"start": {"line": r.start.line, "character": r.start.character}, "end": {"line": r.end.line, "character": r.end.character}}


def fix_json(finding: Finding, source, encoding: str) -> dict | None:
    """The fix as LSP edits against the snapshot's text, for Diagnostic.data."""
    fix = finding.fix
    if fix is None:
        return None
    return {
        "title": fix.title,
        "applicability": fix.applicability.value,
        "edits": [{"range": range_json(lsp_range(source, e.start, e.end, encoding)), "newText": e.content} for e in fix.edits],
    }


def to_diagnostic(finding: Finding, snap: Snapshot, uri: str, encoding: str) -> types.Diagnostic:
    source = snap.source
    data: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "uri": uri,
        "version": snap.version,
        "revision": snap.revision,
        "fix": fix_json(finding, source, encoding),
    }
    if finding.extra:
        data["extra"] = finding.extra
    return types.Diagnostic(
        range=lsp_range(source, finding.start, finding.end, encoding),
        message=finding.message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        source=SOURCE,
        data=data,
    )


class DiagnosticsService:
    def __init__(self, server) -> None:
        self.server = server
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._running: dict[str, Any] = {}
        self._waiters: dict[str, list[tuple[int, asyncio.Future]]] = {}
        self.generation = 0  # bumped when settings change, part of pull result ids
        self._again: set[str] = set()  # documents to analyse again when their running job ends

    # -- mode -------------------------------------------------------------------------------

    @property
    def pull(self) -> bool:
        caps = getattr(self.server.protocol, "client_capabilities", None)
        return bool(caps and caps.text_document and caps.text_document.diagnostic is not None)

    # -- events -----------------------------------------------------------------------------

    def opened(self, doc: Document) -> None:
        self.schedule(doc, 0)

    def changed(self, doc: Document) -> None:
        self.schedule(doc)

    def saved(self, doc: Document) -> None:
        self.schedule(doc, 0)

    def closed(self, doc: Document) -> None:
        timer = self._timers.pop(doc.uri, None)
        if timer is not None:
            timer.cancel()
        for _, waiter in self._waiters.pop(doc.uri, []):
            if not waiter.done():
                waiter.cancel()
        if not self.pull:
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[]))

    def refresh_all(self) -> None:
        """Settings changed: analyse every open document again."""
        self.generation += 1
        for doc in self.server.documents:
            doc.pyproject = None
            doc.snapshot = None
            self.schedule(doc, 0)
        if self.pull:
            caps = self.server.protocol.client_capabilities
            ws = caps.workspace if caps else None
            if ws and ws.diagnostics and ws.diagnostics.refresh_support:
                self.server.workspace_diagnostic_refresh(None)

    # -- scheduling ---------------------------------------------------------------------------

    def schedule(self, doc: Document, delay: float | None = None) -> None:
        if delay is None:
            delay = max(float(self.server.settings["debounce"]), 0.0) / 1000.0
        timer = self._timers.pop(doc.uri, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        if delay <= 0:
            self._start(doc)
        else:
            self._timers[doc.uri] = loop.call_later(delay, self._start, doc)

    def _start(self, doc: Document) -> None:
        self._timers.pop(doc.uri, None)
        if doc.closed:
            return
        running = self._running.get(doc.uri)
        if running is not None and not running.done():
            # It stops early when the revision changed; _finished starts the next one.
            self._again.add(doc.uri)
            return
        server = self.server
        try:
            config, enabled = server.config_for(doc)
        except Exception:  # noqa: BLE001
            log.exception("could not read the settings for %s", doc.uri)
            from hasten.analyzers.config import Config

            config, enabled = Config(), True
        future = server.worker.submit(server.worker.analyse, doc, config, enabled=enabled, budget=server.budget)
        wrapped = asyncio.wrap_future(future)
        self._running[doc.uri] = wrapped
        revision, generation = doc.revision, self.generation
        self._again.discard(doc.uri)
        wrapped.add_done_callback(lambda f, doc=doc: self._finished(doc, f, revision, generation))

    def _finished(self, doc: Document, future: asyncio.Future, started: int, generation: int) -> None:
        if self._running.get(doc.uri) is future:
            del self._running[doc.uri]
        again = doc.uri in self._again or generation != self.generation
        self._again.discard(doc.uri)
        snap = None
        if future.cancelled():
            pass
        elif future.exception() is not None:
            log.error("analysis of %s failed", doc.uri, exc_info=future.exception())
            if doc.revision == started:  # it would fail again: answer waiting pulls with nothing
                for _, waiter in self._waiters.pop(doc.uri, []):
                    if not waiter.done():
                        waiter.set_exception(RuntimeError("analysis failed; see the server log"))
                return
        else:
            snap = future.result()
        if doc.closed:
            return
        if snap is not None:
            if generation != self.generation:
                snap = None  # computed with settings that changed meanwhile
            elif doc.snapshot is None or snap.revision >= doc.snapshot.revision:
                doc.snapshot = snap
        if snap is not None:
            result = snap.result
            if result is not None:
                # Notes (syntax errors, skipped statements) come with every keystroke: log them at
                # debug level, and say once per document that its findings are partial.
                for note in result.notes:
                    log.debug("%s", note)
                if not result.complete and not doc.partial_noted:
                    doc.partial_noted = True
                    log.warning(
                        "%s: analysis is partial (time budget %.1fs): %s",
                        doc.path or doc.uri, self.server.budget, "; ".join(result.notes[-3:]) or "no details",
                    )
                elif result.complete:
                    doc.partial_noted = False
            log.debug("analysed %s revision %d in %.1f ms (%d findings)", doc.uri, snap.revision, snap.elapsed * 1000, len(snap.findings))
            if snap.revision == doc.revision:
                self._deliver(doc, snap)
        stale = doc.snapshot is None or doc.snapshot.revision != doc.revision
        if (again or stale) and doc.uri not in self._timers:
            self._start(doc)  # the document or the settings moved on while we worked

    def _deliver(self, doc: Document, snap: Snapshot) -> None:
        waiters = self._waiters.pop(doc.uri, [])
        keep = []
        for revision, waiter in waiters:
            if waiter.done():
                continue
            if snap.revision >= revision:
                waiter.set_result(snap)
            else:
                keep.append((revision, waiter))
        if keep:
            self._waiters[doc.uri] = keep
        if not self.pull:
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=self.diagnostics_of(doc, snap), version=snap.version)
            )
        for listener in list(self.server.analysis_listeners):
            try:
                listener(self.server, doc, snap)
            except Exception:  # noqa: BLE001
                log.exception("analysis listener %r failed", listener)

    def diagnostics_of(self, doc: Document, snap: Snapshot) -> list[types.Diagnostic]:
        if not snap.enabled:
            return []
        encoding = self.server.position_encoding
        return [to_diagnostic(f, snap, doc.uri, encoding) for f in snap.findings]

    async def current(self, doc: Document) -> Snapshot:
        """The analysis of the document as it is now, waiting (without debounce) if needed."""
        snap = doc.current_snapshot()
        if snap is not None:
            return snap
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        self._waiters.setdefault(doc.uri, []).append((doc.revision, waiter))
        if doc.uri in self._timers or doc.uri not in self._running:
            self.schedule(doc, 0)
        try:
            return await waiter
        finally:
            entries = self._waiters.get(doc.uri)
            if entries:
                self._waiters[doc.uri] = [(r, w) for r, w in entries if w is not waiter]


def register(server) -> None:
    service = DiagnosticsService(server)
    server.diagnostics = service

    @server.handler(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False),
    )
    async def pull_diagnostics(params: types.DocumentDiagnosticParams):
        doc = server.documents.get(params.text_document.uri)
        if doc is None:
            log.warning("textDocument/diagnostic for a document that is not open: %s", params.text_document.uri)
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        try:
            snap = await service.current(doc)
        except RuntimeError:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{service.generation}:{snap.revision}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=service.diagnostics_of(doc, snap), result_id=result_id)
