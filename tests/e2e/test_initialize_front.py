"""The server's front (``server/lsp/front.py``): ``initialize`` answered from the answer remembered
at the previous start, the real server behind it in the same state as without the front.

Every test uses a cache folder of its own (``XDG_CACHE_HOME``). "As today" is the server started
without the front (``hasten.server.lsp.server.start()``), given the same bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hasten.server import usercache
from hasten.server.lsp import front
from tests.e2e.lsp_helpers import NEOVIM, NEOVIM_UTF8, SERVER, open_doc, pulled, session

WITHOUT_FRONT = [sys.executable, "-c", "import sys; from hasten.server.lsp.server import start; sys.exit(start())"]
PARAMS = {"processId": None, "rootUri": None, "capabilities": {}, "clientInfo": {"name": "front-test"}}
UTF8_PARAMS = {**PARAMS, "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setattr(usercache, "_SECRET", None)  # this process signs with the folder's key
    return home


def frame(message) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def initialize(params=PARAMS, msg_id=1) -> bytes:
    return frame({"jsonrpc": "2.0", "id": msg_id, "method": "initialize", "params": params})


def goodbye(shutdown: bool = True) -> bytes:
    return (frame({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}) if shutdown else b"") + frame({"jsonrpc": "2.0", "method": "exit"})


def converse(data: bytes, command=SERVER, cwd=None) -> tuple[list[dict], int]:
    """Run the server on ``data`` (its whole input): the messages it wrote, in order, and its exit code."""
    done = subprocess.run(command, input=data, check=False, capture_output=True, timeout=120, cwd=cwd or os.path.expanduser("~"))
    out, messages = done.stdout, []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        length = int(next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")).split(b":")[1])
        messages.append(json.loads(rest[:length]))
        out = rest[length:]
    return messages, done.returncode


def answer(messages, msg_id=1) -> dict:
    return next(m for m in messages if m.get("id") == msg_id and "method" not in m)


def entries(home) -> list:
    folder = home / "hasten" / "initialize"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def canonical(messages) -> list[str]:
    return sorted(json.dumps(m, sort_keys=True) for m in messages)


def test_first_start_answers_as_today_and_remembers(cache_home):
    today, today_code = converse(initialize() + goodbye(), WITHOUT_FRONT)
    assert not entries(cache_home)
    first, code = converse(initialize() + goodbye())
    assert canonical(first) == canonical(today) and code == today_code == 0
    assert "capabilities" in answer(first)["result"]
    assert len(entries(cache_home)) == 1


def test_second_start_answers_from_the_entry_with_the_same_result(cache_home):
    first, _ = converse(initialize() + goodbye())
    [entry] = entries(cache_home)
    before = entry.stat()
    second, code = converse(initialize({**PARAMS, "processId": 4242, "rootUri": "file:///elsewhere"}, msg_id="init") + goodbye())
    assert code == 0
    assert answer(second, "init")["result"] == answer(first)["result"]
    # The front answered before the server wrote anything (its own answer then comes after a log message).
    assert second[0].get("id") == "init" and "result" in second[0]
    assert [m for m in second if m.get("id") == "init"] == [second[0]], "the server's own answer must not reach the client"
    [again] = entries(cache_home)
    assert (again.stat().st_ino, again.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_the_remembered_answer_is_what_the_client_gets_and_a_different_one_is_replaced(cache_home):
    first, _ = converse(initialize() + goodbye())
    real = answer(first)["result"]
    key = front.initialize_key(PARAMS)
    marked = {**real, "capabilities": {**real["capabilities"], "experimental": {"remembered": True}}}
    front.store(key, marked)
    second, _ = converse(initialize() + goodbye())
    assert answer(second)["result"] == marked  # the front answered from the entry
    assert front.lookup(key) == real  # the server's answer differed: it is remembered instead
    third, _ = converse(initialize() + goodbye())
    assert answer(third)["result"] == real


def test_other_client_capabilities_do_not_reuse_an_entry(cache_home):
    utf8, _ = converse(initialize(UTF8_PARAMS) + goodbye())
    plain, _ = converse(initialize() + goodbye())
    assert answer(utf8)["result"]["capabilities"]["positionEncoding"] == "utf-8"
    assert answer(plain)["result"]["capabilities"]["positionEncoding"] == "utf-16"
    assert len(entries(cache_home)) == 2
    again, _ = converse(initialize(UTF8_PARAMS) + goodbye())
    assert answer(again)["result"] == answer(utf8)["result"]


@pytest.mark.parametrize("damage", ["payload", "signature", "garbage", "other key", "link", "empty"])
def test_a_damaged_or_foreign_entry_is_not_used(cache_home, tmp_path, damage):
    first, _ = converse(initialize() + goodbye())
    real = answer(first)["result"]
    [entry] = entries(cache_home)
    signature, _, payload = entry.read_text(encoding="utf-8").partition("\n")
    forged = json.dumps({**real, "capabilities": {"forged": True}})
    if damage == "payload":
        entry.write_text(f"{signature}\n{forged}", encoding="utf-8")
    elif damage == "signature":
        entry.write_text(f"{'0' * 64}\n{payload}", encoding="utf-8")
    elif damage == "garbage":
        entry.write_bytes(b"\xff\xfe\x00 not an entry \xe9")
    elif damage == "other key":
        entry.write_text(f"{usercache.sign(b'x' * 32, entry.name, forged)}\n{forged}", encoding="utf-8")
    elif damage == "link":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.write_text(f"{usercache.sign(usercache.user_key(), entry.name, forged)}\n{forged}", encoding="utf-8")
        entry.unlink()
        entry.symlink_to(elsewhere)
    else:
        (cache_home / "hasten" / "cache-key").write_bytes(b"")
    second, code = converse(initialize() + goodbye())
    assert code == 0
    assert answer(second)["result"] == real


def test_an_unwritable_cache_folder_means_no_cache(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    today, _ = converse(initialize() + goodbye(), WITHOUT_FRONT)
    messages, code = converse(initialize() + goodbye())
    assert code == 0 and canonical(messages) == canonical(today)


FIRST_MESSAGES = {
    "not initialize": frame({"jsonrpc": "2.0", "id": 7, "method": "shutdown"}) + initialize(),
    "hover before initialize": frame({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {}}) + initialize(),
    "malformed header": b"Content-Lenght: 12\r\n\r\n{\"a\": 1}    " + initialize(),
    "garbage before the header": b"xx" + initialize(),
    "header without colon": b"Content-Length 5\r\n" + initialize(),
    "two lengths": b"Content-Length: 3\r\n" + initialize(),
    "huge Content-Length": b"Content-Length: 999999999\r\n\r\n{}\r\n" + initialize(),
    "ten digits": b"Content-Length: 1234567890\r\n\r\n" + initialize(),
    "not JSON": frame(b"{not json") + initialize(),
    "a list": frame(b"[1, 2]") + initialize(),
    "initialize with bad params": initialize({"processId": "me", "capabilities": {}}) + initialize(msg_id=2),
    "empty input": b"",
}


@pytest.mark.parametrize("name", sorted(FIRST_MESSAGES))
def test_odd_first_messages_behave_as_today(cache_home, name):
    converse(initialize() + goodbye())  # an answer is remembered: the front must still not use it
    data = FIRST_MESSAGES[name] + (goodbye() if FIRST_MESSAGES[name] else b"")
    today, today_code = converse(data, WITHOUT_FRONT)
    messages, code = converse(data)
    assert code == today_code
    assert canonical(messages) == canonical(today)


@pytest.mark.parametrize("shutdown,expected", [(True, 0), (False, 1)])
def test_exit_codes_after_a_remembered_answer(cache_home, shutdown, expected):
    converse(initialize() + goodbye())
    messages, code = converse(initialize() + goodbye(shutdown))
    assert code == expected
    assert "capabilities" in answer(messages)["result"]


@pytest.mark.parametrize("editor", [NEOVIM, NEOVIM_UTF8])
async def test_requests_right_after_a_remembered_answer(cache_home, tmp_path, editor):
    slow = "def f(items, others):\n    found = []\n    for item in items:\n        if item in list(others):\n            found.append(item)\n    return found\n"
    results = []
    for _ in range(2):  # the first start remembers the answer, the second is answered from it
        async with session(tmp_path, editor, {"preview": True}) as client:
            results.append(client.init_result)
            uri = open_doc(client, tmp_path / "slow.py", slow)
            report = await pulled(client, uri)
            assert report.items, "the pull after the start found nothing"
    assert len(entries(cache_home)) == 1
    assert results[0] == results[1]


def test_log_file_on_the_direct_path(cache_home, tmp_path):
    log = tmp_path / "server.log"
    converse(initialize() + goodbye(), SERVER + ["--log-file", "server.log"], cwd=tmp_path)  # relative to the start folder
    messages, code = converse(initialize() + goodbye(), SERVER + [f"--log-file={log}"])
    assert code == 0 and "capabilities" in answer(messages)["result"]
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if "hasten.server.lsp.settings" in line and "serving front-test" in line]) == 2
