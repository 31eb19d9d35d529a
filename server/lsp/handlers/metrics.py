"""Complexity metrics in the editor: a code lens above each function and a hover on its name.

* ``textDocument/codeLens``: ``complexity 14 (C) · O(n²)`` above each function (methods and nested
  functions included), when ``metrics.codeLens`` (``[tool.hasten.metrics] code-lens``) is on.
  Each lens carries the command ``hasten.showGrowth``, which the *server* executes by sending the
  justification of the estimate as ``window/showMessage`` — so clicking works in any client that
  runs server commands through ``workspace/executeCommand`` (VS Code, Neovim, Helix, eglot, ...),
  with no client-side code.
* Hover on a function's name: the full metrics (cyclomatic complexity and rank, Halstead volume
  and difficulty, line counts, maintainability index, growth and the lines that justify it), as a
  section of the server's hover (a hover provider).

The metrics come from ``hasten.analyzers.metrics`` on the snapshot's ``Source``; they are computed
on a thread of their own (never on the event loop, never in front of diagnostics) and cached per
snapshot; radon's per-function figures are cached by the function's text, so an edit recomputes
only the functions it touched (plus the growth estimates, which are cheap).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types

from hasten.analyzers.config import MetricsConfig
from hasten.server.lsp.conversions import lsp_range

# The metrics (radon), their presentation and the stored profile are imported on first use, not
# while the server starts: a client may never ask for a lens or a hover.

if TYPE_CHECKING:
    from hasten.analyzers.metrics import FileMetrics
    from hasten.server.lsp.documents import Document, Snapshot
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.metrics")

SHOW_GROWTH = "hasten.showGrowth"
WAIT = 5.0  # seconds to wait for an analysis before answering without metrics
# Above this size (bytes) the editor gets no metrics: radon and the estimate take about a
# millisecond per function, tens of seconds for a generated file. `hasten metrics` has no limit.
MAX_BYTES = 500_000
OPTIONS = types.CodeLensOptions(resolve_provider=False)


@dataclass
class MetricsState:
    # Metrics run on their own thread, not on the analysis worker: radon on a large file takes a
    # second or more, and diagnostics must not wait behind a code lens.
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="hasten-metrics")
    )
    last_seen: MetricsConfig | None = None  # the metrics settings of the last analysis


async def file_metrics(server: "HastenServer", snap: "Snapshot", *, maintainability: bool = False) -> FileMetrics:
    """The metrics of a snapshot, computed off the event loop."""
    from hasten.analyzers.metrics import metrics_for

    loop = asyncio.get_running_loop()
    job = functools.partial(metrics_for, snap.source, maintainability=maintainability)
    return await loop.run_in_executor(server.metrics.executor, job)


def lens_argument(doc_uri: str, fn) -> dict:
    # Small on purpose (a large file has hundreds of lenses): the server recomputes the message
    # from the document as it is when the lens is clicked.
    return {"uri": doc_uri, "function": fn.qualname, "line": fn.line}


async def code_lens(server: "HastenServer", params: types.CodeLensParams) -> list[types.CodeLens] | None:
    doc = server.document(params.text_document.uri, what="codeLens")
    if doc is None:
        return None
    snap = await server.scheduler.wait_current(doc, WAIT)
    if snap is None or not snap.enabled or not snap.config.metrics.code_lens or _too_big(server, doc, snap):
        return []
    from hasten.server.lsp.handlers.profile import lens_suffixes
    from hasten.server.metrics_presentation import lens_title

    metrics = await file_metrics(server, snap)
    lenses = []
    for fn, measured in zip(metrics.functions, lens_suffixes(server, doc, snap, metrics.functions)):
        where = lsp_range(snap.source, fn.name_start, fn.name_end, server.session.position_encoding)
        command = types.Command(title=lens_title(fn) + measured, command=SHOW_GROWTH, arguments=[lens_argument(doc.uri, fn)])
        lenses.append(types.CodeLens(range=where, command=command))
    return lenses


async def show_growth(server: "HastenServer", *args) -> dict:
    argument = args[0] if args else None
    if isinstance(argument, list) and argument:  # some clients wrap the arguments once more
        argument = argument[0]
    if not isinstance(argument, dict):
        raise TypeError(f"{SHOW_GROWTH} expects the code lens argument ({{'uri', 'function', 'line'}})")
    text = await _current_message(server, argument)
    server.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=text))
    return {"message": text}


async def hover_section(server: "HastenServer", doc: "Document", offset: int, snap: "Snapshot") -> str | None:
    if snap is None or not snap.enabled or _too_big(server, doc, snap):
        return None
    metrics = await file_metrics(server, snap)
    for fn in metrics.functions:
        if fn.name_start <= offset <= fn.name_end:
            from hasten.server.metrics_presentation import hover_markdown

            metrics = await file_metrics(server, snap, maintainability=True)
            return hover_markdown(fn, metrics)
    return None


def refresh_lenses(server: "HastenServer", doc: "Document", snap: "Snapshot") -> None:
    """On ``analysed``: lenses depend on [tool.hasten.metrics] and the editor's metrics.* settings;
    when those change, ask the client to request lenses again (if it can be asked)."""
    state = server.metrics
    current = snap.config.metrics
    previous, state.last_seen = state.last_seen, current
    if previous is None or previous == current:
        return
    if server.session.client.code_lens_refresh:
        server.workspace_code_lens_refresh(None)


def _too_big(server, doc, snap) -> bool:
    if len(snap.source.data) <= MAX_BYTES:
        return False
    message = f"hasten: {doc.path or doc.uri} is larger than {MAX_BYTES // 1000} kB: no metrics lenses or hover for it (run `hasten metrics` on it instead)"
    if message not in server.reported:
        server.reported.add(message)
        log.info("%s", message)
    return True


async def _current_message(server, argument: dict) -> str:
    """The justification for the lens' function, computed on the document's current text (the
    lens may be older than the text: the function is found by name, nearest to its old line)."""
    uri = argument.get("uri")
    doc = server.documents.get(uri) if isinstance(uri, str) else None
    if doc is None:
        raise ValueError(f"{SHOW_GROWTH}: {uri!r} is not open")
    snap = await server.scheduler.wait_current(doc, WAIT)
    if snap is None:
        return f"{argument.get('function')}: the document is still being analysed; try again in a moment"
    metrics = await file_metrics(server, snap)
    name = argument.get("function")
    line = argument.get("line")
    candidates = [f for f in metrics.functions if f.qualname == name]
    if candidates:
        from hasten.server.metrics_presentation import growth_message

        best = min(candidates, key=lambda f: abs(f.line - line) if isinstance(line, int) else 0)
        return growth_message(best)
    raise ValueError(f"{SHOW_GROWTH}: no function {argument.get('function')!r} in {uri}")
