"""Run one command in its own session with resource limits, a timeout and cancellation.

Whatever happens — normal exit, timeout, cancel, an exception here — every process of the run is
killed afterwards: the launcher's descendants (it is a child subreaper on Linux, so a double fork
does not leave its tree), its session, and any process that escaped both (``setsid`` and ``env -i``)
but works in, holds a file of, or carries the marker of the run's temporary folder. If this
process dies first (SIGKILL included), the launcher, left as a supervisor, does the same and removes
the folder; a folder left by a crash is removed by the next ``new_workdir``. Output goes to files,
never pipes, so a surviving grandchild holding a pipe open can never hang us.
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

from hasten.server.verify import _launch
from hasten.server.verify.project import workdir_of

MARKER = "HASTEN_VERIFY_RUN"
LAUNCHER = Path(_launch.__file__)


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
    """For command-line runs: turn SIGTERM and SIGHUP (a closed terminal) into SystemExit, so the
    ``finally`` blocks kill the test processes and remove the temporary copies. (Were the process
    killed outright, each run's supervisor would still do both.) An ignored SIGHUP (``nohup``)
    stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is None:
            continue
        try:
            if signal.getsignal(signum) is signal.SIG_IGN:
                continue
            signal.signal(signum, lambda number, frame: sys.exit(128 + number))
        except (ValueError, OSError):  # pragma: no cover
            pass


def kill_run(leader: int | None, token: str, scopes: list[str] = ()) -> int:
    """Kill every process of a run — the launcher's descendants and session, and any process
    that works in, holds a file of, or carries the marker of the run — and then the launcher;
    return how many there were besides the launcher."""
    marker = f"{MARKER}={token}".encode()
    scopes = [os.path.realpath(s) for s in scopes]
    killed = _launch.kill_all(leader, scopes, marker, _launch.ancestors())
    if leader is not None:
        try:
            os.killpg(leader, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    # Whatever the launcher's death orphaned before it was counted.
    return killed + _launch.kill_all(None, scopes, marker, _launch.ancestors())


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
    # Only hasten's own temporary folders mark a process as the run's: never the user's project.
    scopes = [str(s) for s in {workdir_of(Path(cwd)), workdir_of(log_dir)} if s is not None]
    watch_read, watch_write = os.pipe()  # the supervisor sees end of file when this process dies
    settings = dict(json.loads(limits.launcher_json()), watch_fd=watch_read, scopes=scopes,
                    marker=f"{MARKER}={token}", remove=scopes,
                    report=str(log_dir / f"{name}.escaped"))
    full = [sys.executable, str(LAUNCHER), json.dumps(settings), *command]
    start = time.monotonic()
    timed_out = False
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        try:
            proc = subprocess.Popen(
                full, cwd=str(cwd), env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                start_new_session=True, pass_fds=(watch_read,),
            )
        finally:
            os.close(watch_read)
        leader = proc.pid  # start_new_session: the launcher leads its own session
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
            escaped = kill_run(leader, token, scopes)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL was sent
                pass
            os.close(watch_write)
            try:  # the processes the launcher killed when the command ended
                escaped += int((log_dir / f"{name}.escaped").read_text())
            except (OSError, ValueError):
                pass
    seconds = time.monotonic() - start
    read = lambda p: p.read_text(encoding="utf-8", errors="replace")[-20000:]
    return RunResult(None if timed_out else proc.returncode, read(out_path), read(err_path), seconds, timed_out, escaped)
