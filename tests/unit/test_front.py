"""The server front's pieces without a server: reading the first message, replaying it, the key,
watching the server's output, and the CLI's direct path to the front."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from hasten.server import usercache
from hasten.server.cli import _stdio_server
from hasten.server.lsp import front


def frame(message) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": 12, "rootUri": None, "capabilities": {}}}


def test_read_first_reads_exactly_one_message():
    data = b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" % len(json.dumps(INIT)) + json.dumps(INIT).encode()
    stream = io.BufferedReader(io.BytesIO(data + b"REST"))
    head, message = front.read_first(stream)
    assert head == data and message == INIT
    assert stream.read() == b"REST"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Content-Length: 5\r\n",  # ends inside the headers
        b"X-Other: 1\r\n" + frame(INIT),
        b"Content-Length : 5\r\n\r\n12345",
        b"content-length: 5x\r\n\r\n12345",
        b"Content-Length: 9999999999\r\n\r\n",
        b"Content-Length: 0\r\n\r\n",
        b"Content-Length: 2000000\r\n\r\n",  # over the front's limit: left unread
        b"Content-Type: text/plain; content-length: 5\r\n" + frame(INIT),
        b"Content-Length: 50\r\n\r\nshort",
        frame(b"[1]"),
        frame(b"{nope"),
        b"x" * 5000 + b"\r\n",
    ],
)
def test_read_first_gives_up_and_keeps_every_byte(data):
    stream = io.BufferedReader(io.BytesIO(data + b"REST"))
    head, message = front.read_first(stream)
    assert message is None
    assert head + stream.read() == data + b"REST"


def test_replay_gives_the_head_then_the_stream():
    replay = front.Replay(b"line one\nline t", io.BufferedReader(io.BytesIO(b"wo\nbody-bytes\nend")))
    assert replay.readline() == b"line one\n"
    assert replay.readline() == b"line two\n"
    assert replay.read(4) == b"body"
    assert replay.read(100) == b"-bytes\nend"
    assert replay.readline() == b""
    limited = front.Replay(b"abcdef", io.BufferedReader(io.BytesIO(b"gh\n")))
    assert limited.readline(4) == b"abcd"
    assert limited.readline(10) == b"efgh\n"


@pytest.mark.parametrize(
    "params",
    [
        {"processId": "12", "capabilities": {}},
        {"processId": True, "capabilities": {}},
        {"capabilities": {}, "workspaceFolders": [{"uri": 1, "name": "x"}]},
        {"capabilities": {}, "trace": "loud"},
        {"capabilities": {}, "workDoneToken": 1.5},
        {"capabilities": []},
    ],
)
def test_per_start_parameters_of_another_type_are_not_answered_by_the_front(params):
    assert not front._is_initialize({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})


def test_the_key_ignores_per_start_parameters_only():
    base = {"processId": 1, "rootUri": "file:///a", "capabilities": {"general": {"positionEncodings": ["utf-16"]}}, "clientInfo": {"name": "ed"}}
    same = {**base, "processId": 2, "rootUri": "file:///b", "rootPath": "/b", "workspaceFolders": [{"uri": "file:///b", "name": "b"}], "trace": "verbose", "workDoneToken": "t"}
    assert front._is_initialize({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": same})
    key = front.initialize_key(base)
    assert key is not None and front.initialize_key(same) == key
    assert front.initialize_key({**base, "capabilities": {"general": {"positionEncodings": ["utf-8"]}}}) != key
    assert front.initialize_key({**base, "clientInfo": {"name": "other"}}) != key
    assert front.initialize_key({**base, "initializationOptions": {"preview": True}}) != key


def test_watch_drops_the_servers_answer_after_the_front_answered(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(usercache, "_SECRET", None)
    out = io.BytesIO()
    result = {"capabilities": {"hoverProvider": True}}
    watch = front.Watch(out, 1, "a" * 64, result)
    log = frame({"jsonrpc": "2.0", "method": "window/logMessage", "params": {"type": 3, "message": "hi"}})
    watch.write(log)
    watch.write(frame({"id": 1, "jsonrpc": "2.0", "result": result}))
    later = frame({"id": 2, "jsonrpc": "2.0", "result": None})
    watch.write(later)
    assert out.getvalue() == log + later
    assert front.lookup("a" * 64) is None  # the same answer: nothing written


def test_watch_passes_and_remembers_the_servers_answer_on_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(usercache, "_SECRET", None)
    out = io.BytesIO()
    result = {"capabilities": {"hoverProvider": True}, "serverInfo": {"name": "hasten"}}
    answer = frame({"id": "x", "jsonrpc": "2.0", "result": result})
    watch = front.Watch(out, "x", "b" * 64, None)
    watch.write(answer[:10])
    watch.write(answer[10:])
    assert out.getvalue() == answer
    assert front.lookup("b" * 64) == result
    error = front.Watch(io.BytesIO(), 1, "c" * 64, None)
    error.write(frame({"id": 1, "jsonrpc": "2.0", "error": {"code": -32602, "message": "no"}}))
    assert front.lookup("c" * 64) is None  # errors are never remembered


def test_old_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(usercache, "_SECRET", None)
    for n in range(front.MAX_ENTRIES + 5):
        front.store(f"{n:064d}", {"capabilities": {}})
    assert len(list((tmp_path / "hasten" / "initialize").iterdir())) == front.MAX_ENTRIES


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["server"], []),
        (["server", "--log-file", "x.log"], ["x.log"]),
        (["server", "--log-file=x.log"], ["x.log"]),
        (["server", "--tcp", "127.0.0.1:9"], None),
        (["server", "--help"], None),
        (["server", "--log-file"], None),
        (["server", "--log-file="], None),
        (["server", "--log-file", "-h"], None),
        (["server", "extra"], None),
        (["check", "server"], None),
        ([], None),
    ],
)
def test_the_cli_goes_straight_to_the_front_only_for_plain_stdio(argv, expected):
    assert _stdio_server(argv) == expected


def test_the_direct_path_imports_no_argument_parser_nor_protocol_before_answering():
    code = (
        "import sys\n"
        "from hasten.server.lsp import front\n"
        "import hasten.server.cli\n"
        "front.initialize_key({'capabilities': {}}); front.lookup('0' * 64)\n"
        "print(','.join(sorted(m for m in ('argparse', 'lsprotocol', 'pygls') if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
