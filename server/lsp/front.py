"""The server's front over stdio: answer ``initialize`` with the answer the server gave last time
to the same client, before pygls and its protocol types are imported, then hand the whole input
to the real server.

Importing ``lsprotocol.types`` (which pygls needs to read any message) takes longer than the
300 ms start-up target on a loaded machine, and pygls computes the server's capabilities from the
client's. So the front does not compute an answer: it reads the first message, and when it is an
``initialize`` request whose answer was remembered under the same key, writes that answer at once.
The key covers the request's parameters except those that change with every start and that
neither pygls nor hasten use for the answer (``VARYING``), and what the answer is made of: the
installed pygls and lsprotocol files, hasten's version and its ``server/lsp`` files, the Python
version. Then the real server starts with the original message first in its input, followed by
the rest of the stream, so its state (client capabilities, position encoding, settings,
workspace) is what it is without the front. Its own answer to that ``initialize`` is taken out of
its output when the front answered (a different answer is logged and remembered instead for the
next start), and remembered when the front did not.

A first message that is anything else (not ``initialize``, a header the server's reader would
read differently, no valid JSON, a body over ``FRONT_LIMIT``) leaves the front's path: the server
reads the same bytes it reads without the front. Entries are signed with this user's key
(``server/usercache.py``); one that fails the signature or the shape is not used.

Standard-library modules only, imported after ``neutral_start``: this runs before everything else.
"""

from __future__ import annotations

import os
import sys

MAX_MESSAGE = 512 * 1024 * 1024  # the server's reader skips frames over this (server.py)
MAX_LENGTH_DIGITS = len(str(MAX_MESSAGE))
FRONT_LIMIT = 1024 * 1024  # a larger first message is left to the server, unread
HEADER_LINE = 4096
MAX_ENTRY = 1024 * 1024
MAX_ENTRIES = 64  # remembered answers kept (clients and versions); the oldest go first
# Parameters that change with every start or project and that neither pygls nor hasten use to
# compute the answer (they set up the workspace and the session, from the replayed message).
# clientInfo, locale, initializationOptions and capabilities stay in the key: the same editor
# sends the same ones on each start, and the answer may depend on them.
VARYING = ("processId", "rootUri", "rootPath", "workspaceFolders", "workDoneToken", "trace")
CONTENT_TYPE = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"


def neutral_start() -> None:
    """Make the server independent of the folder it was started in. Editors such as Helix and
    Emacs' eglot start servers in the project's folder, and ``python -m`` puts that folder first
    on ``sys.path``: a project's ``ast.py`` would replace the standard module at the next import.
    Remove the working directory from ``sys.path`` and move to a neutral folder."""
    try:
        cwd = os.path.realpath(os.getcwd())
    except OSError:  # the folder was removed
        cwd = None

    def is_cwd(entry: str) -> bool:
        if entry in ("", "."):
            return True
        try:
            return cwd is not None and os.path.realpath(entry) == cwd
        except (OSError, ValueError):
            return False

    sys.path[:] = [entry for entry in sys.path if not is_cwd(entry)]
    for folder in (os.path.expanduser("~"), None, os.sep):
        try:
            if folder is None:
                import tempfile

                folder = tempfile.gettempdir()
            os.chdir(folder)
            return
        except OSError:
            continue


# -- reading the first message ----------------------------------------------------------------


def read_first(stream) -> tuple[bytes, dict | None]:
    """Read the first framed message: (the bytes read, the message), or (the bytes read so far,
    None) at anything the server's own reader might read differently."""
    import json

    consumed = bytearray()
    length = None
    while True:
        line = stream.readline(HEADER_LINE)
        consumed += line
        if not line.endswith(b"\n"):
            return bytes(consumed), None  # end of input, or a line longer than any header
        if not line.strip():
            break
        name, sep, value = line.partition(b":")
        lower = name.lower()
        if lower == b"content-length" and length is None:
            digits = value.strip(b" \t\r\n")
            if not digits.isdigit() or len(digits) > MAX_LENGTH_DIGITS:
                return bytes(consumed), None
            length = int(digits)
        elif not sep or lower != b"content-type" or b"content-length" in line.lower():
            return bytes(consumed), None
    if not length or length > FRONT_LIMIT:
        return bytes(consumed), None
    body = stream.read(length)
    consumed += body
    if len(body) != length:
        return bytes(consumed), None
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return bytes(consumed), None
    return bytes(consumed), message if isinstance(message, dict) else None


def _is_initialize(message: dict) -> bool:
    """An ``initialize`` request whose per-start parameters have the types the server expects:
    with another type the server answers InvalidParams, so the front must not answer."""
    params = message.get("params")
    if message.get("jsonrpc") != "2.0" or message.get("method") != "initialize" or not isinstance(params, dict):
        return False
    if type(message.get("id")) not in (int, str):
        return False
    folders = params.get("workspaceFolders")
    return (
        (params.get("processId") is None or type(params["processId"]) is int)
        and all(params.get(name) is None or isinstance(params[name], str) for name in ("rootUri", "rootPath"))
        and (folders is None or isinstance(folders, list) and all(isinstance(f, dict) and set(f) == {"uri", "name"} and all(isinstance(v, str) for v in f.values()) for f in folders))
        and ("workDoneToken" not in params or type(params["workDoneToken"]) in (int, str))
        and params.get("trace") in (None, "off", "messages", "verbose")
        and isinstance(params.get("capabilities"), dict)
    )


# -- the key and the entries ------------------------------------------------------------------


def _files_identity(folder: str, digest) -> None:
    """Each ``.py`` file under ``folder``: its path, size, modification and change times."""
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(parent, name)
                info = os.stat(path)
                digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\n".encode("utf-8", "surrogateescape"))


def initialize_key(params: dict) -> str | None:
    """The key of the answer to an ``initialize`` with ``params``, or None when the installed
    pygls or lsprotocol cannot be found without importing them."""
    import hashlib
    import importlib.util
    import json

    from hasten import __version__

    digest = hashlib.sha256()
    kept = {name: value for name, value in params.items() if name not in VARYING}
    digest.update(json.dumps(kept, sort_keys=True, separators=(",", ":")).encode())
    digest.update(f"\0hasten {__version__}\0{sys.version}\0".encode())
    for package in ("pygls", "lsprotocol"):
        spec = importlib.util.find_spec(package)
        locations = list(spec.submodule_search_locations or ()) if spec is not None else []
        if not locations:
            return None
        for folder in locations:
            _files_identity(folder, digest)
    _files_identity(os.path.dirname(os.path.abspath(__file__)), digest)
    return digest.hexdigest()


def _entries() -> str:
    from hasten.server.usercache import user_cache_dir

    return os.path.join(user_cache_dir(), "initialize")


def lookup(key: str) -> dict | None:
    """The remembered answer for ``key`` when there is one, signed with this user's key, of the
    shape of an ``InitializeResult``; else None."""
    import json

    from hasten.server.usercache import signed_payload, user_key

    secret = user_key(create=False)
    if secret is None:
        return None
    try:
        fd = os.open(os.path.join(_entries(), key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_ENTRY + 1)
        payload = signed_payload(secret, key, data.decode("utf-8")) if len(data) <= MAX_ENTRY else None
        result = json.loads(payload) if payload is not None else None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(result, dict) or not isinstance(result.get("capabilities"), dict):
        return None
    return result


def store(key: str, result: dict | None) -> None:
    """Remember ``result`` as the answer for ``key`` (None: forget it). Nothing happens when the
    cache folder is not writable."""
    import json

    from hasten.server.usercache import sign, user_key

    secret = user_key()
    folder = _entries()
    path = os.path.join(folder, key)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        if result is None:
            os.unlink(path)
            return
        if secret is None:
            return
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if os.path.islink(folder):
            return
        payload = json.dumps(result, sort_keys=True, separators=(",", ":"))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"{sign(secret, key, payload)}\n{payload}")
        os.replace(tmp, path)
        _prune(folder)
    except (OSError, ValueError, TypeError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _prune(folder: str) -> None:
    """Keep the ``MAX_ENTRIES`` most recently written answers (hasten or pygls upgrades, or
    other clients, leave old ones behind)."""
    with os.scandir(folder) as found:
        entries = [(entry.stat(follow_symlinks=False).st_mtime_ns, entry.path) for entry in found if len(entry.name) == 64]
    for _, path in sorted(entries)[:-MAX_ENTRIES]:
        os.unlink(path)


# -- the streams the real server gets -----------------------------------------------------------


class Replay:
    """stdin for the server: the bytes the front read, then the live stream (what the stream has
    buffered included). pygls reads it with ``readline`` and ``read(n)`` from one thread."""

    def __init__(self, head: bytes, stream):
        self.head = head
        self.stream = stream

    def readline(self, limit: int = -1) -> bytes:
        head = self.head
        if not head:
            return self.stream.readline(limit)
        end = head.find(b"\n") + 1  # 0: no line break in what is left of the head
        if end and (limit < 0 or end <= limit):
            self.head = head[end:]
            return head[:end]
        if limit >= 0 and limit <= len(head):
            self.head = head[limit:]
            return head[:limit]
        self.head = b""
        return head + self.stream.readline(limit - len(head) if limit >= 0 else -1)

    def read(self, n: int = -1) -> bytes:
        if not self.head:
            return self.stream.read(n)
        if n < 0:
            data, self.head = self.head, b""
            return data + self.stream.read()
        data, self.head = self.head[:n], self.head[n:]
        return data + (self.stream.read(n - len(data)) if len(data) < n else b"")


def _frame(message: dict) -> bytes:
    import json

    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n" % len(body) + CONTENT_TYPE + b"\r\n" + body


def _split(buffer: bytearray) -> tuple[int, object] | None | bool:
    """The first frame in ``buffer``: (its size, its message), None when it is not complete yet,
    False when it is not a frame."""
    import json

    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None if len(buffer) < HEADER_LINE else False
    length = None
    for line in bytes(buffer[:end]).split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value.strip())
    if length is None:
        return False
    if len(buffer) < end + 4 + length:
        return None
    try:
        return end + 4 + length, json.loads(bytes(buffer[end + 4:end + 4 + length]))
    except (ValueError, RecursionError):
        return False


class Watch:
    """stdout for the server: everything passes, but for the server's answer to the first
    ``initialize``. When the front already answered (``sent``), the server's answer is dropped and
    compared with it; otherwise it passes and is remembered under ``key`` for the next start."""

    def __init__(self, stream, msg_id, key: str, sent: dict | None):
        self.stream = stream
        self.msg_id = msg_id
        self.key = key
        self.sent = sent
        self.pending = bytearray()
        self.watching = True

    def write(self, data: bytes) -> None:
        if not self.watching:
            self.stream.write(data)
            return
        self.pending += data
        out = bytearray()
        answer = None
        while self.watching:
            found = _split(self.pending)
            if found is None:
                break
            if found is False:  # not what pygls writes: stop watching, change nothing
                self.watching = False
                break
            size, message = found
            frame = bytes(self.pending[:size])
            del self.pending[:size]
            if self._is_answer(message):
                self.watching = False
                answer = message
                if self.sent is None:
                    out += frame
            else:
                out += frame
        if not self.watching:
            out += self.pending
            self.pending.clear()
        if out:
            self.stream.write(bytes(out))
        if answer is not None:
            self.stream.flush()
            self._settle(answer)

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.stream.close()

    def _is_answer(self, message) -> bool:
        return (
            isinstance(message, dict) and "method" not in message and ("result" in message or "error" in message)
            and type(message.get("id")) is type(self.msg_id) and message.get("id") == self.msg_id
        )

    def _settle(self, answer: dict) -> None:
        result = answer.get("result") if "error" not in answer else None
        if not isinstance(result, dict):
            result = None
        if self.sent is None:
            if result is not None:
                store(self.key, result)
            return
        if result == self.sent:
            return
        import logging

        log = logging.getLogger("hasten.server.lsp.front")
        if result is None:
            log.warning("initialize: the server answered %.300s after the remembered answer was sent; the remembered answer is dropped", answer.get("error"))
        else:
            log.warning("initialize: the remembered answer differed from the server's; the server's is remembered for the next start")
        store(self.key, result)


# -- the start ----------------------------------------------------------------------------------


def answer_first(stdin, stdout) -> tuple[Replay, object]:
    """Read the first message from ``stdin`` and, when it is an ``initialize`` with a remembered
    answer, write that answer to ``stdout``. Returns the input and output streams for the real
    server (``commands/server.py`` starts it)."""
    head, message = read_first(stdin)
    key = sent = None
    if message is not None and _is_initialize(message):
        try:
            key = initialize_key(message["params"])
            sent = lookup(key) if key is not None else None
        except Exception:  # noqa: BLE001 - the front never stops the start: no remembered answer
            key = sent = None
        if sent is not None:
            try:
                stdout.write(_frame({"jsonrpc": "2.0", "id": message["id"], "result": sent}))
                stdout.flush()
            except OSError:  # the client is gone: the server finds out for itself
                sent = None
    return Replay(head, stdin), (Watch(stdout, message["id"], key, sent) if key is not None else stdout)
