"""The hasten language server: a thin LanguageServer whose state is declared here, plus the
handlers in ``handlers/``, registered in one place (``handlers/__init__.py``).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import os
import re
import sys
import threading
import time
from typing import Any, Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from hasten import __version__
from hasten.server.lsp.documents import Document, DocumentStore
from hasten.server.lsp.front import MAX_LENGTH_DIGITS, MAX_MESSAGE, neutral_start
from hasten.server.lsp.handlers.metrics import MetricsState
from hasten.server.lsp.handlers.profile import ProfileState
from hasten.server.lsp.handlers.verify import VerifyState
from hasten.server.lsp.scheduler import AnalysisScheduler
from hasten.server.lsp.session import Session
from hasten.server.lsp.worker import Worker

log = logging.getLogger("hasten.server")

LOG_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}
_LSP_TYPES = {logging.ERROR: types.MessageType.Error, logging.WARNING: types.MessageType.Warning, logging.INFO: types.MessageType.Info}


class _MalformedRequest:
    """A request whose params could not be read: answered with InvalidParams, not dropped."""

    def __init__(self, msg_id: Any, method: str, error: Exception):
        self.id = msg_id
        self.method = method
        self.error = error


class HastenProtocol(LanguageServerProtocol):
    """pygls' protocol, minus its own copy of the documents (``server.documents`` is the one
    copy, kept in step incrementally), and answering malformed requests instead of dropping them."""

    # Plain functions, not generators: pygls files the Future of a generator handler under a fresh
    # id that nothing removes for a notification (20,000 edits left 20,002 futures, +110 MB).
    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            handler(params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            handler(params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            handler(params)

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args) -> None:
        """Stop reading; ``start_io`` then stops the threads and the process ends with 0 after
        ``shutdown``, 1 without (the specification)."""
        server = self._server
        server.exit_code = 0 if self._shutdown else 1
        if not self._shutdown:
            log.warning("exit without shutdown: exiting with code 1")
        stop = getattr(server, "_stop_event", None)
        if stop is not None:
            stop.set()
        raise SystemExit(server.exit_code)

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except Exception as exc:
            if isinstance(data.get("method"), str) and "id" in data:
                return _MalformedRequest(data["id"], data["method"], exc)
            raise

    def handle_message(self, message):
        if isinstance(message, _MalformedRequest):
            log.warning("invalid params for %s (request %r); answered with InvalidParams", message.method, message.id)
            cause = message.error.__cause__ or message.error
            self._send_response(
                message.id,
                error=types.ResponseError(code=types.ErrorCodes.InvalidParams, message=f"invalid params for {message.method}: {cause}"[:2000]),
            )
            return
        if not hasattr(message, "jsonrpc"):
            log.warning("ignored a message that is not a JSON-RPC object: %.200r", message)
            return
        super().handle_message(message)
        self._forget_done_futures()

    _futures_limit = 64

    def _forget_done_futures(self) -> None:
        """pygls also keeps the inner Future of every step of its generator handlers (initialize,
        shutdown, ...): drop finished ones once the table doubles, so it stays bounded."""
        futures = self._request_futures
        if len(futures) <= self._futures_limit:
            return
        for msg_id in [k for k, f in futures.items() if f.done()]:
            futures.pop(msg_id, None)
        self._futures_limit = max(64, 2 * len(futures))


CodeActionProvider = Callable[..., Any]  # (server, doc, diagnostic, params) -> CodeActions (or a coroutine)
HoverProvider = Callable[..., Any]  # (server, doc, offset, snapshot) -> Markdown or None (or a coroutine)


class HastenServer(LanguageServer):
    """The server object handlers receive. All its state is declared here."""

    documents: DocumentStore  # the open documents, kept in step by handlers/documents.py
    worker: Worker  # the analysis thread
    scheduler: AnalysisScheduler  # analyses, snapshots, and the saved/analysed/stopping events
    session: Session  # client features, position encoding and settings (handlers/settings.py)
    verifications: VerifyState  # verdicts and running verifications (handlers/verify.py)
    metrics: MetricsState  # the metrics thread and what the lenses last showed (handlers/metrics.py)
    profiles: ProfileState  # the stored profiles read and the profile run (handlers/profile.py)
    code_action_providers: list[CodeActionProvider]  # more actions per hasten diagnostic
    hover_providers: list[HoverProvider]  # more hover sections
    loop: asyncio.AbstractEventLoop | None  # set at initialize, for log forwarding from threads
    reported: set[str]  # problems already shown to the user
    budget: float  # seconds of analysis per document revision
    exit_code: int  # 0 after shutdown + exit, 1 for exit without shutdown (set by HastenProtocol.lsp_exit)
    _lsp_log: "_LspLogHandler"  # forwards log records to the client

    def __init__(self) -> None:
        super().__init__(
            "hasten",
            __version__,
            protocol_cls=HastenProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.documents = DocumentStore()
        self.worker = Worker()
        self.scheduler = AnalysisScheduler(self)
        self.session = Session()
        self.verifications = VerifyState()
        self.metrics = MetricsState()
        self.profiles = ProfileState()
        self.code_action_providers = []
        self.hover_providers = []
        self.loop = None
        self.reported = set()
        self.budget = 2.0
        self.exit_code = 0
        self._lsp_log = _LspLogHandler(self)

    # -- helpers for handlers ---------------------------------------------------------------

    def document(self, uri: str, *, what: str = "request") -> Document | None:
        doc = self.documents.get(uri)
        if doc is None:
            log.warning("%s for a document that is not open: %s", what, uri)
        return doc

    def report(self, problems: list[str] | tuple[str, ...], *, show: bool = True) -> None:
        """Log each problem, and show it to the user once per session."""
        for text in problems:
            if text in self.reported:
                continue
            self.reported.add(text)
            log.warning("%s", text)
            if show:
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=text))

    def apply_log_level(self) -> None:
        self._lsp_log.setLevel(LOG_LEVELS.get(self.session.settings.log_level, logging.INFO))

    # -- lifecycle ----------------------------------------------------------------------------

    def start_io(self, stdin=None, stdout=None):  # noqa: D401 - pygls API
        """Serve LSP over stdin/stdout with a reader that resynchronises after malformed frames."""
        from concurrent.futures import ThreadPoolExecutor

        from pygls.io_ import StdinAsyncReader, StdoutWriter

        self._stop_event = threading.Event()
        reader_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hasten-stdin")
        reader = StdinAsyncReader(stdin or sys.stdin.buffer, reader_pool)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(read_messages(self._stop_event, reader, self.protocol))
        except BrokenPipeError:
            log.error("the connection to the client is lost; stopping")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            reader_pool.shutdown(wait=False, cancel_futures=True)
            self.shutdown()
            self.stop_threads()

    def shutdown(self):
        self.scheduler.stop()
        super().shutdown()

    def stop_threads(self, timeout: float = 10.0) -> None:
        """Let the analysis, metrics and model-loading threads finish and release the model's
        ONNX session, so that no thread is inside onnxruntime when the process ends (its thread
        pool aborted the process otherwise: "terminate called without an active exception")."""
        from hasten.model import loader

        deadline = time.monotonic() + timeout
        self.worker.join(max(deadline - time.monotonic(), 0.1))
        self.metrics.executor.shutdown(wait=False, cancel_futures=True)
        background = loader._background
        if background is not None:
            background.join(max(deadline - time.monotonic(), 0.1))
        # The model's thread may have started scoring with a model that loaded just before the
        # exit: it is inside onnxruntime then (2 in 10 exits during the load aborted).
        self.scheduler.join(max(deadline - time.monotonic(), 0.1))
        for thread in threading.enumerate():
            if thread.name.startswith("hasten-metrics"):
                thread.join(max(deadline - time.monotonic(), 0.1))
        loader.release_all()


_CONTENT_LENGTH = re.compile(rb"content-length:[ \t]*(\d+)", re.IGNORECASE)


async def read_messages(stop: threading.Event, reader, protocol: HastenProtocol) -> None:
    """Read ``Content-Length`` framed messages. Garbage between frames, bad headers and bodies that
    are not JSON are logged and skipped; the next well-formed header resynchronises the stream."""
    length: int | None = None
    while not stop.is_set():
        line = await reader.readline()
        if not line:
            break
        match = _CONTENT_LENGTH.search(line)
        if match:
            if match.start() > 0:
                log.warning("skipped %d bytes of garbage before a header", match.start())
            digits = match.group(1)
            if len(digits) > MAX_LENGTH_DIGITS:
                # int() of thousands of digits raises (Python's 4,300-digit limit) and is slow
                # before that: such a header is an error, and its body is skipped as garbage.
                log.error("ignored a frame whose Content-Length has %d digits (limit %d)", len(digits), MAX_LENGTH_DIGITS)
                length = None
                continue
            value = int(digits)
            if value > MAX_MESSAGE:
                log.error("ignored a frame of %d bytes (Content-Length limit %d)", value, MAX_MESSAGE)
                length = None
            else:
                length = value
            continue
        if line.strip():
            if b":" not in line:
                log.warning("ignored a malformed header line: %.80r", line)
            continue
        if length is None:
            log.warning("ignored a frame without Content-Length")
            continue
        body = await reader.readexactly(length) if length else b""
        length = None
        if not body:
            continue
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
        except Exception as exc:  # noqa: BLE001 - a bad frame must not stop the server
            log.warning("ignored a message that is not valid JSON-RPC (%s): %.200r", exc, body)
            continue
        try:
            protocol.handle_message(message)
        except Exception:  # noqa: BLE001
            log.exception("failed to handle a message")


def guard(fn: Callable) -> Callable:
    """Wrap a handler so that an exception is logged (with the method) and answered with null."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            try:
                return await fn(*args, **kwargs)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001
                log.exception("handler %s failed", getattr(fn, "__qualname__", fn))
                return None

    else:

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception:  # noqa: BLE001
                log.exception("handler %s failed", getattr(fn, "__qualname__", fn))
                return None

    return wrapper


class _LspLogHandler(logging.Handler):
    """Forwards hasten's log records to the client as window/logMessage, from any thread."""

    def __init__(self, server: HastenServer):
        super().__init__(logging.INFO)
        self.server = server
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        server = self.server
        loop = server.loop
        if loop is None or loop.is_closed() or server.protocol.writer is None:
            return
        try:
            text = self.format(record)
        except Exception:  # noqa: BLE001
            return
        level = _LSP_TYPES.get(record.levelno, types.MessageType.Log)
        if record.levelno >= logging.ERROR:
            level = types.MessageType.Error
        params = types.LogMessageParams(type=level, message=text)

        def send():
            try:
                server.window_log_message(params)
            except Exception:  # noqa: BLE001 - logging must never fail the caller
                pass

        try:
            if threading.current_thread() is threading.main_thread() and _on_loop(loop):
                send()
            else:
                loop.call_soon_threadsafe(send)
        except RuntimeError:
            pass


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def create_server() -> HastenServer:
    from hasten.server.lsp.handlers import register

    server = HastenServer()
    hasten_log = logging.getLogger("hasten")
    hasten_log.addHandler(server._lsp_log)
    if hasten_log.level == logging.NOTSET or hasten_log.level > logging.DEBUG:
        hasten_log.setLevel(logging.DEBUG)
    register(server)
    return server


def _configure_logging(log_file: str | None) -> None:
    root = logging.getLogger()
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(logging.Formatter("hasten %(levelname)s %(name)s: %(message)s"))
    root.addHandler(stderr)
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if log_file else logging.WARNING)
    # pygls logs every message body at INFO: only worth it when debugging into a log file.
    logging.getLogger("pygls").setLevel(logging.DEBUG if log_file else logging.WARNING)


def _fewer_malloc_arenas() -> None:
    """With glibc, each thread that allocates may get a malloc arena of its own; the server's
    threads (the event loop, the analysis, the model) then hold freed memory in several arenas.
    Two arenas, set before any thread starts, keep a few MB of peak memory off (the same as
    ``MALLOC_ARENA_MAX=2``; the analysis thread rarely contends for the allocator)."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(-8, 2)  # M_ARENA_MAX; not glibc: no mallopt, or a no-op
    except (OSError, AttributeError):
        pass


def start(host: str | None = None, port: int | None = None, log_file: str | None = None, stdin=None, stdout=None, neutral: bool = True) -> int:
    """Run the server: over stdio (``stdin``/``stdout``, binary streams; the process's by default),
    or on TCP when ``host`` and ``port`` are given. ``neutral=False``: the caller has already run
    ``neutral_start`` (``hasten server`` over stdio, ``commands/server.py``). Returns the process's
    exit code (1 when the client sent ``exit`` without ``shutdown``)."""
    if log_file:
        log_file = os.path.abspath(log_file)
    if neutral:
        neutral_start()
    _fewer_malloc_arenas()
    _configure_logging(log_file)
    server = create_server()
    if host is not None and port is not None:
        server.start_tcp(host, port)
        server.stop_threads()
    else:
        server.start_io(stdin, stdout)
    return server.exit_code
