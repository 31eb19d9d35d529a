"""The stored profile (``hasten profile``) in the editor.

* Diagnostics: each finding in profiled code carries its measure in ``data.extra.profile``;
  HS501/HS502 messages get the measured time beside the estimate; with the setting
  ``hasten.hotOnly`` only findings in code that took at least ``hasten.hotThreshold`` of the
  profiled run are shown (``profiled_findings``, called where diagnostics are made).
* Hover on a finding: its measured share of the run (a hover provider).
* The metrics code lens: the function's measured time beside the estimate (``lens_suffixes``).
* ``hasten.profile`` ("Profile the tests", workspace/executeCommand): runs the project's tests once
  under the profiler in an isolated copy, with ``$/progress`` and cancel; only when the user
  invokes it, and never where verification is off (an untrusted workspace). When the profile
  lands, the diagnostics of the open documents are made again.

The profile file is read again whenever its modification time or size changes (one ``stat`` per
use), so a profile written by the CLI is picked up at the next analysis.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from lsprotocol import types

from hasten.analyzers.finding import Finding
from hasten.server.profile.measure import Measure, annotate, file_profile, is_hot, measure, percent_text, seconds_text
from hasten.server.profile.store import Profile, ProfileError, load, store_path

if TYPE_CHECKING:
    from hasten.server.lsp.documents import Document, Snapshot
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.profile")

PROFILE = "hasten.profile"


@dataclass
class ProfileState:
    # root -> ((mtime_ns, size) of the file when read, the profile or None)
    loaded: dict[str, tuple[tuple[int, int] | None, Profile | None]] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)  # "directory\0configured root" of a document -> project root
    running: threading.Event | None = None  # the cancel event of the profile run under way
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="hasten-profile")
    )


def _root_of(server: "HastenServer", path: str, config_root: str | None) -> str:
    from hasten.server.verify.project import find_project_root

    key = os.path.dirname(os.path.abspath(path)) + "\0" + (config_root or "")
    roots = server.profiles.roots
    if key not in roots:
        roots[key] = str(find_project_root(path, config_root))
    return roots[key]


def profile_for(server: "HastenServer", path: str | None, config_root: str | None = None) -> Profile | None:
    """The stored profile of ``path``'s project, read again when the file changed on disk."""
    if not path:
        return None
    root = _root_of(server, path, config_root)
    try:
        info = os.stat(store_path(root))
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
    cached = server.profiles.loaded.get(root)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    profile = None
    if stamp is not None:
        try:
            profile = load(root)
        except ProfileError as exc:
            server.report([f"hasten: {exc}"])
    server.profiles.loaded[root] = (stamp, profile)
    return profile


def profiled_findings(server: "HastenServer", doc: "Document", snap: "Snapshot") -> list[Finding]:
    """The snapshot's findings as diagnostics show them: measured where the profile covers them
    (copies: the snapshot's own findings are not changed), filtered by ``hotOnly``."""
    findings = snap.findings
    profile = profile_for(server, doc.path, snap.config.root) if findings else None
    settings = server.session.settings
    if profile is None:
        return [] if settings.hot_only and findings else findings
    from hasten.server.cli.profiled import with_measure  # the CLI's formatting of a measure, on first use

    copies = [replace(f, extra=dict(f.extra)) for f in findings]
    out = []
    for finding, m in zip(copies, annotate(profile, snap.source, copies)):
        if settings.hot_only and not is_hot(finding, settings.hot_threshold):
            continue
        out.append(with_measure(finding, m))
    return out


def hover_section(server: "HastenServer", doc: "Document", offset: int, snap: "Snapshot") -> str | None:
    if snap is None or not snap.enabled:
        return None
    hits = [f for f in snap.findings if f.start <= offset <= f.end]
    profile = profile_for(server, doc.path, snap.config.root) if hits else None
    if profile is None:
        return None
    lines, seen = [], set()
    for finding in hits:
        m = measure(profile, snap.source, finding)
        if m is not None and m.summary() not in seen:
            seen.add(m.summary())
            lines.append(f"**Profile** ({finding.code}): {m.summary()}")
    return "\n\n".join(lines) or None


def lens_suffixes(server: "HastenServer", doc: "Document", snap: "Snapshot", functions) -> list[str]:
    """For each function: `` · measured 41% (1.20 s)`` where the profile covers it, else ``""``."""
    profile = profile_for(server, doc.path, snap.config.root) if functions else None
    entry = file_profile(profile, snap.source) if profile is not None else None
    if entry is None:
        return [""] * len(functions)
    out = []
    for fn in functions:
        m: Measure | None = measure(profile, snap.source, Finding("", "", "", fn.name_start, fn.name_end), entry)
        out.append("" if m is None else f" · measured {percent_text(m.share)} ({seconds_text(m.seconds)})")
    return out


def refresh(server: "HastenServer") -> None:
    """The profile changed: make the diagnostics (and lenses) of the open documents again."""
    server.profiles.loaded.clear()
    server.scheduler.refresh_all()
    if server.session.client.code_lens_refresh:
        server.workspace_code_lens_refresh(None)


def _root_argument(server: "HastenServer", args) -> str | None:
    argument = args[0] if args else None
    if isinstance(argument, list) and argument:  # some clients wrap the arguments once more
        argument = argument[0]
    uri = argument if isinstance(argument, str) else (argument or {}).get("uri") if isinstance(argument, dict) else None
    if isinstance(uri, str):
        doc = server.documents.get(uri)
        if doc is not None and doc.path:
            return doc.path
        if uri.startswith("file:"):
            from pygls.uris import to_fs_path

            return to_fs_path(uri)
        raise ValueError(f"{PROFILE}: {uri!r} is not a file or folder on disk")
    folders = list(server.workspace.folders.values()) if server.workspace is not None else []
    if folders:
        from pygls.uris import to_fs_path

        return to_fs_path(folders[0].uri)
    return server.workspace.root_path if server.workspace is not None else None


async def profile_command(server: "HastenServer", *args) -> dict:
    """"Profile the tests": only when the user runs this command, since it runs project code."""
    from hasten.server.lsp.handlers.verify import _Progress, _request_future
    from hasten.server.profile import profile_project
    from hasten.server.verify.process import Cancelled

    path = _root_argument(server, args)
    if not path or not os.path.exists(path):
        raise ValueError(f"{PROFILE}: no workspace folder or file to profile (pass a file or folder URI)")
    if not server.session.settings.verify.enable:
        message = "hasten: profiling runs the project's tests, and that is off here (hasten.verify.enable is false, as in an untrusted workspace)"
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
        return {"profiled": False, "message": message}
    state = server.profiles
    if state.running is not None:
        raise RuntimeError(f"{PROFILE}: a profile run is already under way")
    cancel = state.running = threading.Event()
    request = _request_future(server)
    if request is not None:
        request.add_done_callback(lambda f: cancel.set() if f.cancelled() else None)
    progress = _Progress(server, "hasten: profiling the tests", cancel)
    await progress.begin()
    loop = asyncio.get_running_loop()

    def run():
        from hasten.analyzers.config import load_config, resolve_config

        config = resolve_config(load_config(path)[0], server.session.settings.overrides())  # verify.testCommand, timeout
        return profile_project(path, config=config, progress=progress.report, cancel=cancel)

    future = loop.run_in_executor(state.executor, run)
    try:
        outcome = await asyncio.shield(future)
    except asyncio.CancelledError:
        cancel.set()
        try:
            await asyncio.wait_for(future, 30)
        except BaseException:  # noqa: BLE001
            pass
        progress.end("cancelled")
        raise
    except Cancelled:
        progress.end("cancelled")
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message="hasten: profiling cancelled"))
        return {"profiled": False, "message": "cancelled"}
    except Exception as exc:  # noqa: BLE001
        log.exception("profiling failed")
        progress.end("failed")
        message = f"hasten: profiling failed: {exc}"
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
        return {"profiled": False, "message": message}
    finally:
        state.running = None
    message = "hasten: " + "; ".join([outcome.message, *outcome.problems])
    progress.end(outcome.message[:200])
    kind = types.MessageType.Info if outcome.profile is not None and not outcome.problems else types.MessageType.Warning
    server.window_show_message(types.ShowMessageParams(type=kind, message=message))
    if outcome.profile is not None:
        refresh(server)
    return {"profiled": outcome.profile is not None, "message": message, "stored": str(outcome.path) if outcome.path else None}


def on_stopping(server: "HastenServer") -> None:
    if server.profiles.running is not None:
        server.profiles.running.set()
    server.profiles.executor.shutdown(wait=False, cancel_futures=True)
