"""How the editors start the server, read from where each is defined, and a hostile workspace to
start it in.

The VS Code extension's launcher is read from vscode-client/src/config.ts, and the command of every
editor configuration from docs/editors.md, so the tests check what users actually run.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EDITORS_DOC = ROOT / "docs" / "editors.md"
CLIENT_CONFIG = ROOT / "vscode-client" / "src" / "config.ts"

# Placeholders in docs/editors.md that stand for the environment hasten is installed in.
_VENV_PLACEHOLDER = "/path/to/venv/bin/"


def hasten_executable() -> Path:
    """The `hasten` executable of the environment running the tests (beside its Python)."""
    name = "hasten.exe" if os.name == "nt" else "hasten"
    return Path(sys.executable).parent / name


def vscode_launcher() -> str:
    """SERVER_LAUNCHER from the extension's source: the Python code it runs with `-c`."""
    text = CLIENT_CONFIG.read_text(encoding="utf-8")
    match = re.search(r'export const SERVER_LAUNCHER =\s*"((?:[^"\\]|\\.)*)";', text)
    assert match, f"SERVER_LAUNCHER not found in {CLIENT_CONFIG}"
    return json.loads(f'"{match.group(1)}"')


def vscode_server_args() -> list[str]:
    """What the extension appends to the interpreter (SERVER_ARGS in config.ts)."""
    text = CLIENT_CONFIG.read_text(encoding="utf-8")
    assert re.search(r'export const SERVER_ARGS: readonly string\[\] = \["-c", SERVER_LAUNCHER, "server"\];', text), (
        "SERVER_ARGS in vscode-client/src/config.ts is no longer `-c <launcher> server`; update this helper"
    )
    return ["-c", vscode_launcher(), "server"]


@dataclass(frozen=True)
class DocumentedCommand:
    editor: str  # the section of docs/editors.md
    argv: tuple[str, ...]
    snippet: str  # the code it was read from, for messages
    sets_cwd: bool  # the configuration starts the server outside the project
    inline: bool = False  # written in the text rather than in a code block


def _strings(text: str, quote: str) -> tuple[str, ...]:
    return tuple(re.findall(f"{quote}([^{quote}]*){quote}", text))


def documented_commands() -> list[DocumentedCommand]:
    """Every server command in docs/editors.md: in Lua, TOML, Emacs Lisp, JSON and shell blocks, and
    the Lua tables written inline in the text."""
    text = EDITORS_DOC.read_text(encoding="utf-8")
    found: list[DocumentedCommand] = []
    section = ""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("## "):
            section = line[3:].strip()
        fence = re.match(r"\s*```(\w*)", line)
        if not fence:
            for inline in re.findall(r"`(cmd = \{[^`]*\})`", line):
                found.append(DocumentedCommand(section, _strings(inline, "'"), inline, sets_cwd=False, inline=True))
            index += 1
            continue
        language = fence.group(1)
        end = index + 1
        while not re.match(r"\s*```\s*$", lines[end]):
            end += 1
        block = "\n".join(lines[index + 1 : end])
        index = end + 1
        if language == "lua":
            for match in re.finditer(r"cmd = \{([^}]*)\}", block):
                found.append(DocumentedCommand(section, _strings(match.group(1), "'"), match.group(0), "cmd_cwd =" in block))
        elif language == "toml":
            for match in re.finditer(r'command = "([^"]*)"\s*\nargs = \[([^\]]*)\]', block):
                found.append(DocumentedCommand(section, (match.group(1), *_strings(match.group(2), '"')), match.group(0), False))
        elif language == "elisp":
            for match in re.finditer(r'\.\s*\(((?:\s*"[^"]*")+)', block):
                found.append(DocumentedCommand(section, _strings(match.group(1), '"'), match.group(0), False))
        elif language == "json":
            for match in re.finditer(r'"command":\s*\[([^\]]*)\]', block):
                found.append(DocumentedCommand(section, _strings(match.group(1), '"'), match.group(0), False))
        elif language == "sh":
            for command_line in block.split("\n"):
                command_line = command_line.split("  #")[0].strip()
                if command_line.startswith("python3 -c "):
                    code = re.match(r'python3 -c "([^"]*)" (.*)$', command_line)
                    assert code, command_line
                    found.append(DocumentedCommand(section, ("python3", "-c", code.group(1), *code.group(2).split()), command_line, False))
    return found


def runnable(argv: tuple[str, ...]) -> list[str]:
    """A documented command with its placeholders pointed at the environment running the tests."""
    out = []
    for position, arg in enumerate(argv):
        if position == 0 and arg == "hasten":
            arg = str(hasten_executable())
        elif position == 0 and arg in ("python", "python3"):
            arg = sys.executable
        elif arg.startswith(_VENV_PLACEHOLDER):
            name = arg[len(_VENV_PLACEHOLDER) :]
            arg = str(hasten_executable()) if name == "hasten" else str(Path(sys.executable).parent / name)
        out.append(arg)
    return out


PLANTED = ("argparse.py", "hasten/__init__.py", "hasten/__main__.py", "hasten/server/__init__.py", "hasten/server/cli.py")


def hostile_workspace(folder: Path, marker: Path) -> Path:
    """A workspace whose code, if the server imported it, would write `marker`: an `argparse.py` (the
    server imports argparse at start) and a `hasten/` package that would replace the server."""
    plant = f"import pathlib\npathlib.Path({str(marker)!r}).write_text(__file__)\n"
    for name in PLANTED:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(plant, encoding="utf-8")
    return folder


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _reader(stream, out: queue.Queue) -> None:
    while True:
        length = None
        while True:
            header = stream.readline()
            if not header:
                out.put(None)
                return
            header = header.strip()
            if not header:
                break
            name, _, value = header.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            continue
        out.put(json.loads(stream.read(length)))


@dataclass
class StartResult:
    initialized: bool
    server_name: str | None
    exit_code: int | None
    stderr: str


def start_and_stop(argv: list[str], cwd: Path, root: Path, timeout: float = 120) -> StartResult:
    """Start a server as an editor would (in `cwd`, for the project `root`), initialize, shut down."""
    process = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    messages: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, messages), daemon=True).start()
    stderr_chunks: list[bytes] = []
    threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True).start()

    def send(message: dict) -> None:
        try:
            process.stdin.write(_frame({"jsonrpc": "2.0", **message}))
            process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def answer(request_id: int) -> dict | None:
        while True:
            try:
                message = messages.get(timeout=timeout)
            except queue.Empty:
                return None
            if message is None:
                return None
            if message.get("id") == request_id and "method" not in message:
                return message
            if "method" in message and "id" in message:  # a request from the server: answer it plainly
                send({"id": message["id"], "result": None})

    initialized = False
    server_name = None
    try:
        send({"id": 1, "method": "initialize", "params": {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}, "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}]}})
        reply = answer(1)
        if reply is not None and "result" in reply:
            initialized = True
            server_name = ((reply["result"] or {}).get("serverInfo") or {}).get("name")
            send({"method": "initialized", "params": {}})
            send({"id": 2, "method": "shutdown"})
            answer(2)
        send({"method": "exit"})
        try:
            process.stdin.close()
        except OSError:
            pass
        exit_code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        exit_code = process.wait()
    return StartResult(initialized, server_name, exit_code, b"".join(stderr_chunks).decode(errors="replace")[-3000:])
