"""Run one command in its own session with resource limits, a timeout and cancellation.

Whatever happens — normal exit, timeout, cancel, an exception here — the whole process group is
killed afterwards, and so is any process that escaped the group (``setsid``, double fork) but still
carries the run's marker in its environment. Output goes to files, never pipes, so a surviving
grandchild holding a pipe open can never hang us.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

MARKER = "HASTEN_VERIFY_RUN"
LAUNCHER = Path(__file__).with_name("_launch.py")


class Cancelled(Exception):
    """Verification was cancelled by the user."""


@dataclass
class Limits:
    timeout: float = 120.0
    memory_mb: int = 2048
    file_mb: int = 1024

    def launcher_json(self) -> str:
        return json.dumps({
            "memory_bytes": self.memory_mb * 1024 * 1024 if self.memory_mb else 0,
            # CPU time is a backstop for the wall-clock timeout, which we enforce ourselves.
            "cpu_seconds": int(self.timeout * 2) + 10 if self.timeout else 0,
            "file_bytes": self.file_mb * 1024 * 1024 if self.file_mb else 0,
        })


@dataclass
class RunResult:
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False
    killed_escapees: int = 0

    def tail(self, lines: int = 15) -> str:
        text = (self.stdout.strip() + "\n" + self.stderr.strip()).strip()
        return "\n".join(text.splitlines()[-lines:])


def exit_cleanly_on_sigterm() -> None:
    """For command-line runs: turn SIGTERM into SystemExit, so the ``finally`` blocks kill the test
    processes and remove the temporary copies (the default action would leave both behind)."""
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    except (ValueError, OSError):  # pragma: no cover
        pass


def _marked_pids(token: str) -> list[int]:
    """Processes (of any session) whose environment carries this run's marker."""
    needle = f"{MARKER}={token}".encode()
    pids = []
    proc = Path("/proc")
    if not proc.is_dir():
        return pids
    me = os.getpid()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            pids.append(int(entry.name))
    return pids


def kill_run(pgid: int | None, token: str) -> int:
    """Kill the process group and every process carrying the marker; return how many escaped."""
    if pgid is not None:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    escaped = 0
    # A forking process can create new children while we kill; sweep until nothing is left.
    for _ in range(20):
        pids = _marked_pids(token)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                escaped += 1
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.05)
    return escaped


def run_limited(
    command: list[str],
    cwd: str | os.PathLike,
    env: dict[str, str],
    limits: Limits,
    log_dir: str | os.PathLike,
    cancel: threading.Event | None = None,
    name: str = "run",
) -> RunResult:
    token = uuid.uuid4().hex
    env = dict(env)
    env[MARKER] = token
    log_dir = Path(log_dir)
    out_path = log_dir / f"{name}.stdout"
    err_path = log_dir / f"{name}.stderr"
    full = [sys.executable, str(LAUNCHER), limits.launcher_json(), *command]
    start = time.monotonic()
    timed_out = False
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            full, cwd=str(cwd), env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
        pgid = proc.pid  # start_new_session: the child leads its own group
        try:
            while True:
                try:
                    proc.wait(timeout=0.05)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                if limits.timeout and time.monotonic() - start > limits.timeout:
                    timed_out = True
                    break
        finally:
            escaped = kill_run(pgid, token)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL was sent
                pass
    seconds = time.monotonic() - start
    read = lambda p: p.read_text(encoding="utf-8", errors="replace")[-20000:]
    return RunResult(None if timed_out else proc.returncode, read(out_path), read(err_path), seconds, timed_out, escaped)
