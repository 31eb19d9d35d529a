"""The analysis threads of the language server: one reparses a document from its previous tree and
checks it with the incremental checker (``hasten.analyzers.incremental``), rules only; another runs
the model's rules (HS900) over a snapshot the rules have already been published for."""

from __future__ import annotations

import time
from typing import Callable

from hasten.analyzers.checker import CheckResult, check, enabled_rules, wants_scorer
from hasten.analyzers.config import Config
from hasten.analyzers.incremental import Cancelled, IncrementalChecker
from hasten.analyzers.rule import Reads
from hasten.analyzers.source import Source
from hasten.server.lsp.documents import Document, Snapshot


# Above this size the parse reads the text in chunks with a progress callback, so the event loop
# gets the GIL back regularly and a parse can be abandoned (document closed, server stopping).
LARGE_DOCUMENT = 512 * 1024
PARSE_CHUNK = 1024  # Node.text of a tree parsed from a callback reads through it: keep reads small
# A parse that takes longer than this is abandoned; the document then gets no findings and a note.
PARSE_LIMIT = 20.0


class Worker:
    """One daemon thread that parses and checks, one job at a time.

    One thread keeps tree-sitter parsers and the per-document caches single-threaded; the event
    loop hands it jobs and receives futures. A daemon thread never holds up the server's exit.
    """

    def __init__(self, name: str = "hasten-analysis") -> None:
        import queue
        import threading

        self._queue: "queue.Queue" = queue.Queue()
        self._parser = None
        self.stopping = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn, *args, **kwargs):
        from concurrent.futures import Future

        future: Future = Future()
        self._queue.put((future, fn, args, kwargs))
        return future

    def stop(self) -> None:
        self.stopping = True
        self._queue.put(None)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread to end after ``stop`` (the server's exit)."""
        self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            future, fn, args, kwargs = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to the event loop, which logs it
                future.set_exception(exc)

    # -- jobs (run on the worker thread) --------------------------------------------------

    def parse(self, data: bytes, old_tree, should_stop: Callable[[], bool]):
        """The tree of ``data`` as every front end parses it (``source.for_parsing``: a lone
        ``\\r`` is read as the line break it is), or None when the parse was abandoned."""
        from hasten.analyzers.source import for_parsing, new_parser

        data = for_parsing(data)
        if self._parser is None:
            self._parser = new_parser()
        parser = self._parser
        if len(data) < LARGE_DOCUMENT:
            return parser.parse(data, old_tree) if old_tree is not None else parser.parse(data)
        limit = time.monotonic() + PARSE_LIMIT

        def read(offset, _point):
            return data[offset : offset + PARSE_CHUNK]

        def progress(_offset, _has_error):
            return self.stopping or should_stop() or time.monotonic() > limit

        try:
            if old_tree is None:  # the binding rejects an explicit None here
                return parser.parse(read, progress_callback=progress)
            return parser.parse(read, old_tree, progress_callback=progress)
        except ValueError:  # the progress callback stopped the parse
            parser.reset()
            return None

    def analyse(self, doc: Document, config: Config, *, enabled: bool = True, budget: float | None = None, profile=None) -> Snapshot | None:
        """Bring ``doc``'s tree up to date and check it. Returns a Snapshot, or None when the
        document changed meanwhile (a newer job follows) or was closed. With ``profile`` (the
        stored profile), the preview rules' findings it proves costly in this exact text are
        added (``hasten.server.profile.promote``)."""
        started = time.monotonic()
        data, starts, revision, version, pending = doc.take_pending()
        old_tree = doc.tree
        if old_tree is not None and all(edit is not None for edit in pending):
            old_tree = old_tree.copy()  # the previous snapshot keeps its own, unedited tree
            for edit in pending:
                edit.apply(old_tree)
        else:
            old_tree = None
        tree = self.parse(data, old_tree, lambda: doc.closed)
        if tree is None:
            doc.tree = None
            doc.reparse_from_scratch()
            if doc.closed or self.stopping:
                return None
            source = Source("", doc.path, line_starts=[0])
            result = CheckResult(complete=False, notes=[
                f"{doc.path or doc.uri}: the file could not be parsed within {PARSE_LIMIT:.0f}s; it is not analysed"
            ])
            return Snapshot(revision, version, source, config, [], result, complete=False, enabled=enabled,
                            elapsed=time.monotonic() - started)
        doc.tree = tree
        source = Source(data.decode("utf-8", errors="surrogatepass"), doc.path, tree=tree, line_starts=starts)
        if doc.closed:
            return None
        if not enabled:
            return Snapshot(revision, version, source, config, [], None, enabled=False, elapsed=time.monotonic() - started)
        if doc.revision != revision:
            return None  # superseded before the check started: the tree is ready for the next job
        if doc.checker is None:
            doc.checker = IncrementalChecker()
        remaining = None if budget is None else max(budget - (time.monotonic() - started), 0.05)
        try:
            # Rules only: the model's findings follow in a second step (``score``), so they never
            # delay the rules'.
            result = doc.checker.check(
                source, config, budget=remaining, scorer=None,
                cancelled=lambda: doc.closed or self.stopping or doc.revision != revision,
            )
        except Cancelled:
            return None
        findings = result.findings
        if profile is not None:
            from hasten.server.profile.promote import promoted_findings

            promoted = promoted_findings(profile, source, config, earlier=findings, budget=budget)
            findings = sorted(findings + promoted, key=lambda f: f.sort_key()) if promoted else findings
        return Snapshot(revision, version, source, config, findings, result, complete=result.complete,
                        enabled=True, elapsed=time.monotonic() - started, model_pending=wants_scorer(config, doc.path))

    def score(self, doc: Document, snap: Snapshot, scorer, budget: float | None = None) -> list | None:
        """The model's findings (HS900) for ``snap``, given the rule findings it already holds; None
        when the document moved on before the model ran (a newer snapshot follows)."""
        if doc.closed or self.stopping or doc.revision != snap.revision:
            return None
        rules = tuple(r for r in enabled_rules(snap.config, snap.source.path) if Reads.SCORER in r.reads)
        if not rules:
            return []
        part = check(snap.source, snap.config, rules=rules, budget=budget, scorer=scorer, earlier=snap.findings)
        return part.findings
