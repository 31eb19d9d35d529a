"""Set resource limits, run the command, and see that nothing it started outlives the run.

Runs as: python _launch.py SETTINGS_JSON CMD...

A separate process rather than ``preexec_fn``: preexec_fn is unsafe in a threaded parent (the
language server), and this keeps the limits visible in the process table.

With ``watch_fd`` in the settings (the read end of a pipe whose write end only the hasten process
holds) the launcher stays as a supervisor: it forks the command into a process group of its own,
becomes a child subreaper on Linux (so a test's daemons, double forks and ``setsid`` sessions stay
its descendants instead of passing to init), and when the pipe reports end of file — the hasten
process died, even by SIGKILL — it kills every process of the run and removes the run's temporary
folder. Without ``watch_fd`` it sets the limits and execs the command.

Standalone: imports nothing from hasten; ``process.py`` reuses ``find_run`` and ``kill_all``.
"""

import json
import os
import select
import shutil
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover - no libc
        return False


def set_limits(limits: dict) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return

    def cap(which, value):
        try:
            soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, hard))
        except (ValueError, OSError):
            pass

    if limits.get("memory_bytes"):
        cap(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    if limits.get("cpu_seconds"):
        cap(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    if limits.get("file_bytes"):
        cap(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    cap(resource.RLIMIT_CORE, 0)


# -- finding the processes of a run (Linux /proc) ---------------------------------------------------


def _stat(pid: str) -> tuple[str, int, int, int] | None:
    """(state, parent, process group, session) of a process."""
    try:
        data = open(f"/proc/{pid}/stat", "rb").read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2:].split()
    return fields[0].decode(), int(fields[1]), int(fields[2]), int(fields[3])


def _inside(path: str, scopes: list[str]) -> bool:
    return any(path == s or path.startswith(s + os.sep) for s in scopes)


def _touches(pid: str, scopes: list[str], marker: bytes | None) -> bool:
    """Whether the process works in, holds a file of, or carries the marker of the run."""
    base = f"/proc/{pid}"
    if scopes:
        for link in ("cwd", "root"):
            try:
                if _inside(os.readlink(f"{base}/{link}"), scopes):
                    return True
            except OSError:
                pass
        try:
            fds = os.listdir(f"{base}/fd")
        except OSError:
            fds = []
        for fd in fds:
            try:
                if _inside(os.readlink(f"{base}/fd/{fd}"), scopes):
                    return True
            except OSError:
                pass
    if marker:
        try:
            if marker in open(f"{base}/environ", "rb").read().split(b"\0"):
                return True
        except OSError:
            pass
    return False


def ancestors() -> set[int]:
    """This process and its ancestors: never part of a run."""
    spare, pid = set(), os.getpid()
    while pid > 1 and pid not in spare:
        spare.add(pid)
        info = _stat(str(pid))
        if info is None:
            break
        pid = info[1]
    return spare


def find_run(leader: int | None, scopes: list[str], marker: bytes | None, spare: set[int]) -> list[int]:
    """Live processes of a run: the descendants of ``leader``, the members of its session, and any
    process that works in, holds a file in, or carries the marker of the run (one that escaped with
    ``setsid`` and a double fork, even with ``env -i``). ``spare`` is never included."""
    if not os.path.isdir("/proc"):
        return []
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            info = _stat(name)
            if info is not None and info[0] not in ("Z", "X"):
                table[int(name)] = info
    found = set()
    for pid, (_state, ppid, _pgid, sid) in table.items():
        if leader is not None and (sid == leader or pid == leader):
            found.add(pid)
            continue
        chain, seen = ppid, 0
        while leader is not None and chain in table and seen < 64:
            if chain == leader:
                found.add(pid)
                break
            chain, seen = table[chain][1], seen + 1
        if pid not in found and _touches(str(pid), scopes, marker):
            found.add(pid)
    return sorted(found - spare)


def kill_all(leader: int | None, scopes: list[str], marker: bytes | None, spare: set[int], keep_leader: bool = False) -> int:
    """Stop, then kill, every process of the run, sweeping until none is left (a forking process
    cannot outrun a stopped one); returns how many were killed, the leader not counted."""
    killed = 0
    for _ in range(40):
        pids = [p for p in find_run(leader, scopes, marker, spare) if p != leader]
        if not pids:
            break
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in pids:
                try:
                    os.kill(pid, sig)
                    killed += sig == signal.SIGKILL
                except (ProcessLookupError, PermissionError):
                    pass
        _reap()
        time.sleep(0.02)
    if leader is not None and not keep_leader:
        try:
            os.kill(leader, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    return killed


def _reap(child: int | None = None) -> int | None:
    """Reap finished children (orphans are ours as a subreaper); the status of ``child`` if it ended."""
    status = None
    while True:
        try:
            pid, st = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        if pid == child:
            status = st
    return status


def _supervise(settings: dict, command: list[str]) -> None:
    watch_fd = int(settings["watch_fd"])
    scopes = [os.path.realpath(s) for s in settings.get("scopes", [])]
    marker = settings.get("marker", "").encode() or None
    me = os.getpid()
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    child = os.fork()
    if child == 0:
        try:
            os.close(watch_fd)
            os.setpgid(0, 0)
            _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != me:
                os._exit(137)
            set_limits(settings)
            os.execvp(command[0], command)
        except OSError as exc:
            os.write(2, f"hasten: cannot run {command[0]}: {exc}\n".encode())
        os._exit(127)
    set_limits({})  # no core files of the supervisor
    status = None
    while status is None:
        ready, _, _ = select.select([watch_fd], [], [], 0.1)
        if ready and not os.read(watch_fd, 64):
            # The hasten process is gone: nobody else will clean up after this run.
            kill_all(me, scopes, marker, ancestors(), keep_leader=True)
            for scope in settings.get("remove", []):
                shutil.rmtree(scope, ignore_errors=True)
            os._exit(137)
        status = _reap(child)
    killed = kill_all(me, scopes, marker, ancestors(), keep_leader=True)
    if killed and settings.get("report"):
        try:
            with open(settings["report"], "w") as report:
                report.write(str(killed))
        except OSError:
            pass
    if os.WIFSIGNALED(status):
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(me, os.WTERMSIG(status))
        os._exit(128 + os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def main() -> None:
    settings = json.loads(sys.argv[1])
    command = sys.argv[2:]
    if settings.get("watch_fd") is not None and hasattr(os, "fork"):
        _supervise(settings, command)
    set_limits(settings)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
