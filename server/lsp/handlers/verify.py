"""Verification in the editor: "Verify: <fix title>" code actions, the ``hasten.verifyFix`` command,
verdicts in hover, and the verified fix offered again with its evidence in the title.

* ``hasten.verifyFix`` takes a diagnostic's ``data`` (as the code action and the VS Code client
  send it). The verification runs on its own thread (one at a time: test runs are heavy), reports
  ``$/progress`` (collecting, running tests, timing) on a server-created work-done token, and stops
  — killing every process it started — when the client cancels the progress or the request. The
  verdict comes back as ``window/showMessage`` and as the command's result
  (``{"kind", "evidence", "details", ...}``).
* Verdicts are kept per document, fix and text of the function the fix changes: any edit to that
  function invalidates them; edits elsewhere keep them.
* Verification runs only when asked, or on save when ``verify.onSave`` is on, and never when
  ``verify.enable`` is false (the VS Code client sets that in untrusted workspaces): no action is
  offered and the command refuses.

The work itself is ``hasten.server.verify``; nothing here runs tests.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types

from hasten.analyzers.finding import Applicability, Finding
from hasten.server.lsp.conversions import DiagnosticData, finding_for
from hasten.server.verify.verdict import CANNOT_VERIFY, VERIFIED_FASTER, Verdict
from hasten.server.verify.target import target_of

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.verify")

VERIFY_FIX = "hasten.verifyFix"
VERIFY_KIND = "quickfix.hasten.verify"
STAGES = {"collecting": "collecting tests", "running tests": "running tests", "timing": "timing"}
WAIT = 5.0


@dataclass
class Entry:
    verdict: Verdict | None = None
    running: bool = False
    cancel: threading.Event = field(default_factory=threading.Event)
    stage: str = ""


class VerifyState:
    """Verdicts and running verifications, touched on the event loop only."""

    def __init__(self) -> None:
        self.entries: dict[tuple, Entry] = {}
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hasten-verify")

    def get(self, key: tuple) -> Entry | None:
        return self.entries.get(key)

    def forget_document(self, uri: str) -> None:
        for key in [k for k in self.entries if k[0] == uri]:
            entry = self.entries[key]
            if not entry.running:
                del self.entries[key]


def fix_key(uri: str, source, finding: Finding) -> tuple | None:
    """(uri, code, fix title, edit contents, hash of the changed function's text): stable while
    that function is unchanged, whatever happens elsewhere in the file."""
    if finding.fix is None:
        return None
    target = target_of(source, finding.fix)
    if target is None:
        return None
    function_text = source.data[target.start : target.end]
    # Offsets relative to the function, so edits above it do not change the key.
    edits = tuple((e.start - target.start, e.end - target.start, e.content) for e in finding.fix.edits)
    digest = hashlib.sha256(function_text + repr(edits).encode()).hexdigest()[:24]
    return (uri, finding.code, finding.fix.title, target.qualname, digest)


def _message_type(verdict: Verdict) -> types.MessageType:
    return types.MessageType.Info if verdict.accepted else types.MessageType.Warning


def _result(verdict: Verdict, finding: Finding | None) -> dict:
    # No "message"/"summary"/"verdict" keys: the verdict is already shown with window/showMessage,
    # and clients that print one of those keys would show it twice.
    return {
        "kind": verdict.kind,
        "evidence": verdict.headline(),
        "details": verdict.details,
        "tests": verdict.tests,
        "ratio": verdict.ratio,
        "function": verdict.function,
        "code": finding.code if finding else None,
        "fix": finding.fix.title if finding and finding.fix else None,
    }


class _Progress:
    """Server-created work-done progress; quiet when the client does not support it."""

    def __init__(self, server, title: str, cancel: threading.Event):
        self.server = server
        self.title = title
        self.cancel = cancel
        self.token: str | None = None
        self.loop = asyncio.get_running_loop()

    async def begin(self) -> None:
        if not self.server.session.client.work_done_progress:
            return
        token = f"hasten-verify-{uuid.uuid4().hex}"
        try:
            await asyncio.wait_for(self.server.work_done_progress.create_async(token), WAIT)
        except Exception as exc:  # noqa: BLE001 - progress is a nicety; verification goes on
            log.debug("could not create a progress token: %s", exc)
            return
        self.token = token
        future = self.server.work_done_progress.tokens.get(token)
        if future is not None:
            future.add_done_callback(lambda f: self.cancel.set() if f.cancelled() else None)
        self.server.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=self.title, cancellable=True, message="starting", percentage=0))

    def report(self, stage: str, message: str, percent: int | None = None) -> None:
        """Called from the verification thread."""
        if self.token is None:
            return

        def send():
            try:
                self.server.work_done_progress.report(
                    self.token, types.WorkDoneProgressReport(message=f"{STAGES.get(stage, stage)}: {message}", percentage=percent, cancellable=True)
                )
            except Exception:  # noqa: BLE001
                pass

        self.loop.call_soon_threadsafe(send)

    def end(self, message: str) -> None:
        if self.token is None:
            return
        try:
            self.server.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
        finally:
            self.server.work_done_progress.tokens.pop(self.token, None)


def _request_future(server):
    """The future pygls answers the current request with. For workspace/executeCommand, pygls runs
    the command in a task of its own, so $/cancelRequest cancels this future but not our task:
    watching it is how a cancelled request reaches the verification."""
    protocol = server.protocol
    try:
        msg_id = protocol._ctx_msg_id.get()
        return protocol._request_futures.get(msg_id)
    except (AttributeError, LookupError):
        return None


async def run_verification(server, doc, snap, finding: Finding, *, show: bool = True, request=None) -> Verdict:
    """Verify ``finding``'s fix on the document's current text, with progress and cancellation."""
    state = server.verifications
    key = fix_key(doc.uri, snap.source, finding)
    if key is None:
        verdict = Verdict(CANNOT_VERIFY, "the fix is not inside one function, so its calls cannot be found")
        if show:
            server.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=f"hasten: {finding.code}: {verdict.headline()}"))
        return verdict
    entry = state.entries.get(key)
    if entry is not None and entry.running:
        raise RuntimeError(f"{finding.code}: this fix is already being verified")
    entry = Entry(running=True)
    state.entries[key] = entry
    if request is not None:
        request.add_done_callback(lambda f: entry.cancel.set() if f.cancelled() else None)
    progress = _Progress(server, f"hasten: verifying {finding.code} — {finding.fix.title}", entry.cancel)
    await progress.begin()
    text = snap.source.text
    config = snap.config

    def report(stage, message, percent=None):
        entry.stage = stage
        progress.report(stage, message, percent)

    from hasten.server.verify import Cancelled, verify_fix  # verification's modules, on first use

    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(state.executor, lambda: verify_fix(doc.path, finding.fix, text=text, config=config, progress=report, cancel=entry.cancel))
    try:
        verdict = await asyncio.shield(future)
    except asyncio.CancelledError:
        # The request was cancelled: stop the runs and wait for the cleanup to finish.
        entry.cancel.set()
        try:
            await asyncio.wait_for(future, 30)
        except BaseException:  # noqa: BLE001
            pass
        state.entries.pop(key, None)
        progress.end("cancelled")
        raise
    except Cancelled:
        state.entries.pop(key, None)
        progress.end("cancelled")
        if show:
            server.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=f"hasten: verification of {finding.code} cancelled"))
        return Verdict(CANNOT_VERIFY, "cancelled")
    except Exception as exc:  # noqa: BLE001
        log.exception("verification of %s failed", finding.code)
        state.entries.pop(key, None)
        progress.end("failed")
        verdict = Verdict(CANNOT_VERIFY, f"verification failed: {exc}")
        if show:
            server.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"hasten: {finding.code}: {verdict.headline()}"))
        return verdict
    entry.verdict = verdict
    entry.running = False
    progress.end(verdict.headline()[:200])
    log.info("verified %s (%s) in %s: %s", finding.code, finding.fix.title, doc.uri, verdict.headline())
    if show:
        server.window_show_message(types.ShowMessageParams(type=_message_type(verdict), message=f"hasten: {finding.code} {finding.fix.title}: {verdict.headline()}"))
    return verdict


def _verdict_for(server, doc, snap, finding: Finding) -> Entry | None:
    key = fix_key(doc.uri, snap.source, finding)
    return server.verifications.get(key) if key else None


def code_actions(server, doc, diagnostic: types.Diagnostic, params) -> list:
    """Per hasten diagnostic with a fix: the verified fix again (evidence in its title) when it was
    verified faster, and "Verify: <title>"."""
    snap = server.scheduler.snapshot(doc)
    if snap is None or not snap.enabled or not snap.config.verify.enable or not doc.path:
        return []
    from hasten.server.lsp.handlers.code_actions import quick_fix

    finding = finding_for(snap, server.session.position_encoding, diagnostic=diagnostic)
    if finding is None or finding.fix is None or finding.fix.applicability is Applicability.DISPLAY_ONLY:
        return []
    entry = _verdict_for(server, doc, snap, finding)
    actions = []
    if entry is not None and entry.verdict is not None and entry.verdict.kind == VERIFIED_FASTER:
        fix_action = quick_fix(server, doc, diagnostic, snap)
        if fix_action is not None:
            fix_action.title = f"{finding.fix.title} — {entry.verdict.short()}"
            fix_action.is_preferred = True
            actions.append(fix_action)
    title = f"Verify: {finding.fix.title}"
    if entry is not None and entry.running:
        title += " (running…)"
    elif entry is not None and entry.verdict is not None:
        title = f"Verify again: {finding.fix.title} (last: {entry.verdict.kind})"
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {"code": finding.code, "uri": doc.uri, "fix": {"title": finding.fix.title}}
    actions.append(
        types.CodeAction(
            title=title,
            kind=VERIFY_KIND,
            diagnostics=[diagnostic],
            command=types.Command(title=title, command=VERIFY_FIX, arguments=[data]),
        )
    )
    return actions


def hover_section(server, doc, offset: int, snap) -> str | None:
    if snap is None or not snap.enabled:
        return None
    lines = []
    for finding in snap.findings:
        if finding.fix is None or not finding.start <= offset <= finding.end:
            continue
        entry = _verdict_for(server, doc, snap, finding)
        if entry is None:
            continue
        if entry.running:
            lines.append(f"**Verification** of `{finding.fix.title}`: running ({STAGES.get(entry.stage, entry.stage) or 'starting'})")
        elif entry.verdict is not None:
            v = entry.verdict
            body = "\n".join(f"- {d}" for d in v.details[:6])
            lines.append(f"**Verification** of `{finding.fix.title}` — **{v.kind}**: {v.summary}" + (f"\n\n{body}" if body else ""))
    return "\n\n".join(lines) or None


async def verify_command(server, *args) -> dict:
    data = args[0] if args else None
    if isinstance(data, list) and data:  # some clients wrap the arguments once more
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("uri"), str):
        raise ValueError(f"{VERIFY_FIX} expects a hasten diagnostic's data (with its uri) as its argument")
    doc = server.documents.get(data["uri"])
    if doc is None:
        raise ValueError(f"{VERIFY_FIX}: {data['uri']} is not open")
    if not doc.path:
        raise ValueError(f"{VERIFY_FIX}: {data['uri']} is not a file on disk, so its project's tests cannot run")
    snap = await server.scheduler.wait_current(doc, WAIT)
    if snap is None:
        raise ValueError(f"{VERIFY_FIX}: the document is still being analysed; try again")
    if not snap.config.verify.enable:
        verdict = Verdict(CANNOT_VERIFY, "verification is off here (verify.enable is false, as in an untrusted workspace)")
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=f"hasten: {verdict.headline()}"))
        return _result(verdict, None)
    parsed = DiagnosticData.from_json(data)
    finding = finding_for(snap, server.session.position_encoding, data=parsed) if parsed else None
    if finding is None or finding.fix is None:
        verdict = Verdict(CANNOT_VERIFY, "this fix is no longer offered for the current text")
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=f"hasten: {verdict.headline()}"))
        return _result(verdict, None)
    verdict = await run_verification(server, doc, snap, finding, request=_request_future(server))
    return _result(verdict, finding)


async def verify_on_save(server, doc) -> None:
    """Verify every fix of a saved document that has no current verdict (verify.onSave)."""
    snap = await server.scheduler.wait_current(doc, WAIT)
    if snap is None or not snap.enabled or not snap.config.verify.enable or not snap.config.verify.on_save or not doc.path:
        return
    results = []
    for finding in list(snap.findings):
        if finding.fix is None or finding.fix.applicability is Applicability.DISPLAY_ONLY:
            continue
        if doc.revision != snap.revision:
            return  # edited meanwhile: the next save starts again
        entry = _verdict_for(server, doc, snap, finding)
        if entry is not None and (entry.running or entry.verdict is not None):
            continue
        verdict = await run_verification(server, doc, snap, finding, show=False)
        results.append((finding, verdict))
    if results:
        text = "; ".join(f"{f.code} {v.kind}" + (f" ({v.ratio:.1f}×)" if v.kind == VERIFIED_FASTER and v.ratio else "") for f, v in results)
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=f"hasten: verified on save: {text}"))


def on_saved(server: "HastenServer", doc) -> None:
    """On the scheduler's ``saved`` event: verify the document's fixes when ``verify.onSave`` is on."""
    try:
        task = asyncio.get_running_loop().create_task(verify_on_save(server, doc))
    except RuntimeError:
        return
    task.add_done_callback(lambda t: t.cancelled() or t.exception() and log.error("verify on save failed: %s", t.exception()))


def on_stopping(server: "HastenServer") -> None:
    """On the scheduler's ``stopping`` event: stop every verification (and the processes it started)."""
    state = server.verifications
    for entry in state.entries.values():
        entry.cancel.set()
    state.executor.shutdown(wait=False, cancel_futures=True)
