"""The analysis scheduler: analyses off the event loop, snapshots, push diagnostics, and the events
other parts of the server subscribe to.

Every change starts an analysis at once (after ``debounce`` ms when that setting is above 0, which
it is not by default): the worker thread reparses from the old tree and re-checks what changed
(``worker.py``), and a newer edit cancels an analysis in flight (the checker stops when the
revision moves on; the newest text is analysed next). A result for a revision that is no longer
current is never published. Rule findings are published as soon as they are computed; the model's
findings (HS900) follow in a second publish for the same version, from a thread of their own, and
are published for every open document as soon as the model has loaded. Clients that support pull
diagnostics (``textDocument/diagnostic``) get them on request (with a refresh request when the
model adds findings) and nothing is pushed; others get ``textDocument/publishDiagnostics`` with
the version.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from hasten.analyzers.config import Config, load_config, resolve_config
from hasten.analyzers.finding import Finding
from hasten.server.lsp.conversions import to_diagnostic
from hasten.server.lsp.documents import Document, Snapshot
from hasten.server.lsp.extensions import Event
from hasten.server.lsp.settings import without_project_code
from hasten.server.lsp.worker import Worker

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.diagnostics")


@dataclass
class _DocumentState:
    """The scheduler's own record of an open document."""

    snapshot: Snapshot | None = None  # the latest analysis (maybe of an older revision)
    project: Config | None = None  # [tool.hasten] for the document's file, read once
    partial_noted: bool = False  # the user was told that the document's findings are partial
    model_seen: tuple = ()  # the model findings last delivered (pull clients are asked to refresh on change)


class AnalysisScheduler:
    """Schedules analyses of the open documents, keeps their latest snapshot, and announces what
    happens to them. Lives on the event loop; the analysis itself runs on ``server.worker``."""

    def __init__(self, server: "HastenServer") -> None:
        self.server = server
        # Events, each ``fn(server, ...)``: subscribe to act on them (handlers/__init__.py does).
        self.saved = Event("saved")  # (server, doc): the client saved a document
        self.analysed = Event("analysed")  # (server, doc, snapshot): an analysis of the current text
        self.stopping = Event("stopping")  # (server,): the server shuts down
        self._state: dict[str, _DocumentState] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._running: dict[str, Any] = {}
        self._waiters: dict[str, list[tuple[int, asyncio.Future]]] = {}
        self.generation = 0  # bumped when settings change, part of pull result ids
        self._again: set[str] = set()  # documents to analyse again when their running job ends
        self._model_worker: Worker | None = None  # the model's thread, started with the first scoring
        self._scoring: dict[str, Any] = {}  # uri -> the model job in flight
        self._awaiting_model = False  # a callback waits for the model to finish loading

    @property
    def pull(self) -> bool:
        return self.server.session.client.pull_diagnostics

    # -- what the document handlers report ----------------------------------------------------

    def document_opened(self, doc: Document) -> None:
        self._state[doc.uri] = _DocumentState()
        self.schedule(doc, 0)

    def document_changed(self, doc: Document) -> None:
        self.schedule(doc)

    def document_saved(self, doc: Document) -> None:
        self._state_of(doc).project = None  # [tool.hasten] may have changed with the save: read it again
        self.schedule(doc, 0)
        self.saved.emit(self.server, doc)

    def document_closed(self, doc: Document) -> None:
        self._state.pop(doc.uri, None)
        timer = self._timers.pop(doc.uri, None)
        if timer is not None:
            timer.cancel()
        for _, waiter in self._waiters.pop(doc.uri, []):
            if not waiter.done():
                waiter.cancel()
        job = self._scoring.pop(doc.uri, None)
        if job is not None:
            job.cancel()
        if not self.pull:
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[]))

    def refresh_all(self) -> None:
        """Settings changed: analyse every open document again."""
        self.generation += 1
        for doc in self.server.documents:
            state = self._state_of(doc)
            state.project = state.snapshot = None
            self.schedule(doc, 0)
        if self.pull and self.server.session.client.diagnostic_refresh:
            self.server.workspace_diagnostic_refresh(None)

    def stop(self) -> None:
        self.stopping.emit(self.server)
        self.server.worker.stop()
        if self._model_worker is not None:
            self._model_worker.stop()

    def join(self, timeout: float) -> None:
        """Wait for the model's thread to end after ``stop`` (the server's exit): it may be
        inside onnxruntime."""
        if self._model_worker is not None:
            self._model_worker.join(timeout)

    # -- snapshots and configuration -------------------------------------------------------------

    def _state_of(self, doc: Document) -> "_DocumentState":
        return self._state.setdefault(doc.uri, _DocumentState())

    def snapshot(self, doc: Document) -> Snapshot | None:
        """The latest analysis if it describes the text as it is now, else None."""
        snap = self._state_of(doc).snapshot
        return snap if snap is not None and snap.revision == doc.revision else None

    def config_for(self, doc: Document) -> tuple[Config, bool]:
        """(Config, enabled) for ``doc``: its project's [tool.hasten] with the editor's settings."""
        state = self._state_of(doc)
        if state.project is None:
            config, messages = Config(), []
            if doc.path:
                try:
                    config, messages = load_config(doc.path)
                except Exception as exc:  # noqa: BLE001 - a broken pyproject must not stop the server
                    messages = [f"{doc.path}: could not read the configuration ({exc}); using defaults"]
                config, consent = without_project_code(config)  # the editor alone may run project code
                messages = [*messages, *consent]
            state.project = config
            if messages:
                self.server.report([f"hasten: {m}" for m in messages])
        settings = self.server.session.settings
        return resolve_config(state.project, settings.overrides()), settings.enable

    # -- scheduling ---------------------------------------------------------------------------

    def schedule(self, doc: Document, delay: float | None = None) -> None:
        if delay is None:
            delay = max(float(self.server.session.settings.debounce), 0.0) / 1000.0
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
            config, enabled = self.config_for(doc)
        except Exception:  # noqa: BLE001
            log.exception("could not read the settings for %s", doc.uri)
            config, enabled = Config(), True
        profile = self._promoting_profile(doc, config) if enabled else None
        future = server.worker.submit(server.worker.analyse, doc, config, enabled=enabled, budget=server.budget, profile=profile)
        wrapped = asyncio.wrap_future(future)
        self._running[doc.uri] = wrapped
        revision, generation = doc.revision, self.generation
        self._again.discard(doc.uri)
        wrapped.add_done_callback(lambda f, doc=doc: self._finished(doc, f, revision, generation))

    def _promoting_profile(self, doc: Document, config: Config):
        """The stored profile of ``doc``'s project when ``config`` leaves preview rules it may
        promote (``hasten.server.profile.promote``); the worker checks that it covers the text."""
        from hasten.server.lsp.handlers.profile import profile_for
        from hasten.server.profile.promote import promotable_rules

        if not doc.path or not promotable_rules(config, doc.path):
            return None
        try:
            return profile_for(self.server, doc.path, config.root)
        except Exception:  # noqa: BLE001 - a profile problem must not stop the analysis
            log.exception("could not read the profile for %s", doc.uri)
            return None

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
        state = self._state_of(doc)
        if snap is not None:
            if generation != self.generation:
                snap = None  # computed with settings that changed meanwhile
            elif state.snapshot is None or snap.revision >= state.snapshot.revision:
                state.snapshot = snap
        if snap is not None:
            result = snap.result
            if result is not None:
                # Notes (syntax errors, skipped statements) come with every keystroke: log them at
                # debug level, and say once per document that its findings are partial.
                for note in result.notes:
                    log.debug("%s", note)
                if not result.complete and not state.partial_noted:
                    state.partial_noted = True
                    log.warning(
                        "%s: analysis is partial (time budget %.1fs): %s",
                        doc.path or doc.uri, self.server.budget, "; ".join(result.notes[-3:]) or "no details",
                    )
                elif result.complete:
                    state.partial_noted = False
            log.debug("analysed %s revision %d in %.1f ms (%d findings)", doc.uri, snap.revision, snap.elapsed * 1000, len(snap.findings))
            if snap.revision == doc.revision:
                self._deliver(doc, snap)
                if snap.model_pending and snap.enabled:
                    self._score(doc, snap)
        stale = state.snapshot is None or state.snapshot.revision != doc.revision
        if (again or stale) and doc.uri not in self._timers:
            self._start(doc)  # the document or the settings moved on while we worked

    # -- the model's findings, a second step --------------------------------------------------

    def _score(self, doc: Document, snap: Snapshot) -> None:
        """Run the model's rules over ``snap`` on the model's thread; publish the merged findings."""
        from hasten.model.loader import ready_scorer, when_ready  # light: no numpy, no onnxruntime

        if self.server.worker.stopping:
            return  # the server is exiting: no new thread inside onnxruntime
        scorer = ready_scorer()
        if scorer is None:
            if not self._awaiting_model:  # the load has started; hear when it ends
                self._awaiting_model = True
                loop = asyncio.get_running_loop()

                def ready(scorer) -> None:  # on the loader's thread
                    if loop.is_closed():
                        return  # the server stopped while the model loaded: nobody to tell
                    try:
                        loop.call_soon_threadsafe(self._model_ready, scorer)
                    except RuntimeError:  # closed between the check and the call
                        pass

                when_ready(ready)
            return
        if self._model_worker is None:
            self._model_worker = Worker("hasten-model")
        previous = self._scoring.pop(doc.uri, None)
        if previous is not None:
            previous.cancel()  # not started yet: the newer snapshot replaces it
        worker = self._model_worker
        future = worker.submit(worker.score, doc, snap, scorer, self.server.budget)
        self._scoring[doc.uri] = future
        wrapped = asyncio.wrap_future(future)
        wrapped.add_done_callback(lambda f, doc=doc, snap=snap, job=future: self._scored(doc, snap, f, job))

    def _model_ready(self, scorer) -> None:
        """The model finished loading (``scorer`` is None when it failed): score the open documents."""
        self._awaiting_model = False
        for doc in list(self.server.documents):
            state = self._state.get(doc.uri)
            snap = state.snapshot if state is not None else None
            if doc.closed or snap is None or snap.revision != doc.revision or not snap.model_pending:
                continue
            if scorer is None:
                state.snapshot = replace(snap, model_pending=False)
            else:
                self._score(doc, snap)

    def _scored(self, doc: Document, snap: Snapshot, future: asyncio.Future, job) -> None:
        if self._scoring.get(doc.uri) is job:
            del self._scoring[doc.uri]
        if future.cancelled():
            return
        if future.exception() is not None:
            log.error("the model failed on %s", doc.uri, exc_info=future.exception())
            found: list[Finding] = []
        else:
            found = future.result()
        state = self._state.get(doc.uri)
        if found is None or doc.closed or state is None or state.snapshot is not snap or snap.revision != doc.revision:
            return  # superseded: the newer snapshot gets its own scoring
        merged = replace(snap, findings=sorted(snap.findings + found, key=Finding.sort_key), model_pending=False)
        state.snapshot = merged
        seen = tuple((f.start, f.end, f.message) for f in found)
        changed, state.model_seen = seen != state.model_seen, seen
        if self.pull:
            if (found or changed) and self.server.session.client.diagnostic_refresh:
                self.server.workspace_diagnostic_refresh(None)
        else:
            self._publish(doc, merged)  # always: the client learns that the model is done with this version

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
            self._publish(doc, snap)
        self.analysed.emit(self.server, doc, snap)

    def _publish(self, doc: Document, snap: Snapshot) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=self.diagnostics_of(doc, snap), version=snap.version)
        )

    def diagnostics_of(self, doc: Document, snap: Snapshot) -> list[types.Diagnostic]:
        if not snap.enabled:
            return []
        from hasten.server.lsp.handlers.profile import profiled_findings  # measured, hotOnly

        encoding = self.server.session.position_encoding
        return [to_diagnostic(f, snap, doc.uri, encoding) for f in profiled_findings(self.server, doc, snap)]

    async def current(self, doc: Document) -> Snapshot:
        """The analysis of the document as it is now, waiting (without debounce) if needed."""
        snap = self.snapshot(doc)
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

    async def wait_current(self, doc: Document, timeout: float) -> Snapshot | None:
        """``current``, or None when it takes longer than ``timeout`` seconds or fails."""
        try:
            return await asyncio.wait_for(self.current(doc), timeout)
        except (asyncio.TimeoutError, RuntimeError):
            return None
