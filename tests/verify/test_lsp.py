"""Verification through the real server over stdio (pytest-lsp, VS Code's capabilities): the
Verify code action and command, $/progress, the verdict as a message, in hover and in the
re-offered fix, invalidation by edits, cancellation, and the untrusted setting."""

import asyncio
import os
import shutil
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Union

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import EXAMPLES, snapshot

TIMEOUT = 60
SERVER = [sys.executable, "-m", "hasten", "server"]


# onnxruntime writes a small session-id file, `.ses`, into TMPDIR when the server loads the model;
# it is not a verification copy, and the tests here look for those.
def _leftovers(temp):
    return [p for p in temp.iterdir() if p.name != ".ses"]


async def _start(root: Path, temp: Path, init_options=None) -> LanguageClient:
    env = dict(os.environ)
    env.update({"HASTEN_CACHE_DIR": str(temp.parent / "cache"), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "TMPDIR": str(temp)})
    client = await ClientServerConfig(server_command=SERVER, server_env=env).start()
    _fix_code_action_parsing(client)
    await asyncio.wait_for(
        client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities("visual-studio-code"),
                initialization_options=init_options,
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            )
        ),
        TIMEOUT,
    )
    return client


def _fix_code_action_parsing(client: LanguageClient) -> None:
    # lsprotocol reads any code action that has a "command" as a Command, turning a CodeAction's
    # command object into a string; tell the two apart by the type of "command" instead.
    converter = client.protocol._converter

    def hook(obj, _):
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, types.Command)
        return converter.structure(obj, types.CodeAction)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], hook)


async def _stop(client: LanguageClient) -> None:
    await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
    await client.stop()


async def _open(client, path: Path, version=1):
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=path.read_text()))
    )

    async def wait():
        while not client.diagnostics.get(uri):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]

    return uri, await asyncio.wait_for(wait(), TIMEOUT)


async def _actions(client, uri, diagnostic):
    return await asyncio.wait_for(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic]),
            )
        ),
        TIMEOUT,
    )


def _diagnostic(diagnostics, code, line_text, text):
    lines = text.splitlines()
    for d in diagnostics:
        if d.code == code and line_text in lines[d.range.start.line]:
            return d
    raise AssertionError(f"no {code} diagnostic on a line with {line_text!r}")


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    return root, temp


async def test_verify_action_progress_verdict_hover_and_invalidation(workspace):
    root, temp = workspace
    before = snapshot(root)
    client = await _start(root, temp)
    try:
        path = root / "shop" / "inventory.py"
        text = path.read_text()
        uri, diagnostics = await _open(client, path)
        diagnostic = _diagnostic(diagnostics, "HS101", "not in known", text)

        actions = await _actions(client, uri, diagnostic)
        verify = [a for a in actions if a.title.startswith("Verify: ")]
        assert len(verify) == 1 and verify[0].command.command == "hasten.verifyFix"
        assert verify[0].title == "Verify: Build `known_set = set(known)` before the loop (unsafe: elements may be unhashable)"

        result = await asyncio.wait_for(
            client.workspace_execute_command_async(types.ExecuteCommandParams(command="hasten.verifyFix", arguments=verify[0].command.arguments)),
            TIMEOUT * 3,
        )
        assert result["kind"] == "verified-faster", result
        assert "faster" in result["evidence"]

        # $/progress: begin, reports for each stage, end.
        reports = [p for token, ps in client.progress_reports.items() if str(token).startswith("hasten-verify-") for p in ps]
        kinds = [getattr(r, "kind", None) for r in reports]
        assert kinds[0] == "begin" and kinds[-1] == "end"
        messages = " | ".join(r.message or "" for r in reports if getattr(r, "kind", None) == "report")
        for stage in ("collecting tests", "running tests", "timing"):
            assert stage in messages
        # The verdict as a message.
        assert any("verified:" in m.message and "HS101" in m.message for m in client.messages)

        # The fix is offered again, preferred, with its evidence in the title.
        actions = await _actions(client, uri, diagnostic)
        verified = [a for a in actions if "— verified" in a.title]
        assert len(verified) == 1 and verified[0].is_preferred and verified[0].edit is not None
        assert "faster" in verified[0].title

        # Hover shows the verdict.
        hover = await asyncio.wait_for(
            client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=diagnostic.range.start)),
            TIMEOUT,
        )
        assert "verified-faster" in hover.contents.value

        # An edit inside the function invalidates the verdict.
        line = diagnostic.range.start.line
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=line + 1, character=0), end=types.Position(line=line + 1, character=0)),
                    text="                # checked\n",
                )],
            )
        )
        await asyncio.sleep(0.5)
        new_text = path.read_text().splitlines(keepends=True)
        new_text.insert(line + 1, "                # checked\n")
        new_text = "".join(new_text)

        async def fresh_diagnostic():
            while True:
                await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
                found = [d for d in client.diagnostics[uri] if d.code == "HS101" and "not in known" in new_text.splitlines()[d.range.start.line]]
                if found and found[0].data.get("version") == 2:
                    return found[0]

        try:
            moved = await asyncio.wait_for(fresh_diagnostic(), 10)
        except asyncio.TimeoutError:
            moved = _diagnostic(client.diagnostics[uri], "HS101", "not in known", new_text)
        actions = await _actions(client, uri, moved)
        assert not any("— verified" in a.title for a in actions)
        assert any(a.title.startswith("Verify: ") for a in actions)
    finally:
        await _stop(client)
    assert snapshot(root) == before
    assert _leftovers(temp) == []


@pytest.mark.parametrize("how", ["progress", "request"])
async def test_cancel_stops_everything(workspace, how):
    root, temp = workspace
    marker = f"hasten-lsp-{uuid.uuid4().hex}"
    (root / "tests" / "test_slow.py").write_text(textwrap.dedent(f"""
        import subprocess, sys, time
        from shop.inventory import unknown_skus
        from shop.models import Product

        def test_slow():
            assert unknown_skus([], [Product("A", "a", 2.0)]) == []
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)  # {marker}"], start_new_session=True)
            time.sleep(600)
    """))
    before = snapshot(root)
    client = await _start(root, temp)
    try:
        path = root / "shop" / "inventory.py"
        uri, diagnostics = await _open(client, path)
        diagnostic = _diagnostic(diagnostics, "HS101", "not in known", path.read_text())
        request_id = f"verify-{uuid.uuid4().hex}"
        task = asyncio.ensure_future(client.protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND, types.ExecuteCommandParams(command="hasten.verifyFix", arguments=[diagnostic.data]), msg_id=request_id,
        ))

        async def token_with_reports():
            while True:
                for token, reports in client.progress_reports.items():
                    if str(token).startswith("hasten-verify-") and len(reports) >= 2:
                        return token
                await asyncio.sleep(0.1)

        token = await asyncio.wait_for(token_with_reports(), TIMEOUT)
        await asyncio.sleep(2.0)  # let the test run start its children
        # The server answers other requests while the tests run.
        started = asyncio.get_running_loop().time()
        hover = await asyncio.wait_for(
            client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=diagnostic.range.start)),
            5,
        )
        assert asyncio.get_running_loop().time() - started < 2
        assert "running" in hover.contents.value
        if how == "progress":
            # The user pressed cancel on the progress notification.
            client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
            result = await asyncio.wait_for(task, 20)
            assert result["kind"] == "cannot-verify" and "cancelled" in result["evidence"]
        else:
            # The client cancelled the request itself.
            client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=request_id))
            with pytest.raises(Exception, match="cancel"):
                await asyncio.wait_for(task, 20)
            # The end of the progress says so once the runs are stopped and the copies removed.
            async def ended():
                while not any(getattr(r, "kind", None) == "end" for r in client.progress_reports[token]):
                    await asyncio.sleep(0.1)
            try:
                await asyncio.wait_for(ended(), 20)
            except asyncio.TimeoutError:
                raise AssertionError(f"no end of progress: {client.progress_reports[token]} {client.log_messages[-10:]}")
    finally:
        await _stop(client)
    assert snapshot(root) == before
    assert _leftovers(temp) == []
    await asyncio.sleep(0.3)
    survivors = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes() and (entry / "stat").read_text().split()[2] != "Z":
                    survivors.append(entry.name)
            except OSError:
                pass
    assert survivors == []


async def test_untrusted_workspace_never_verifies(workspace):
    root, temp = workspace
    client = await _start(root, temp, init_options={"verify": {"enable": False}})
    try:
        path = root / "shop" / "inventory.py"
        uri, diagnostics = await _open(client, path)
        diagnostic = _diagnostic(diagnostics, "HS101", "not in known", path.read_text())
        actions = await _actions(client, uri, diagnostic)
        assert not any(a.title.startswith("Verify") for a in actions)
        result = await asyncio.wait_for(
            client.workspace_execute_command_async(types.ExecuteCommandParams(command="hasten.verifyFix", arguments=[diagnostic.data])),
            TIMEOUT,
        )
        assert result["kind"] == "cannot-verify" and "verify.enable" in result["evidence"]
        assert not any(str(t).startswith("hasten-verify-") for t in client.progress_reports)
    finally:
        await _stop(client)
    assert _leftovers(temp) == []


async def test_verify_on_save(workspace):
    root, temp = workspace
    # One file with one fix keeps this short: orders.py without its HS301 loops.
    path = root / "shop" / "orders.py"
    path.write_text(textwrap.dedent('''
        from shop.models import Order


        def orders_for_customers(orders: list[Order], customers: list[str]) -> list[Order]:
            wanted = list(customers)
            return [order for order in orders if order.customer in wanted]
    ''').lstrip())
    (root / "tests" / "test_orders.py").write_text(textwrap.dedent('''
        from shop import orders as shop_orders


        def test_orders_for_customers(orders):
            customers = sorted({o.customer for o in orders})[:50]
            picked = shop_orders.orders_for_customers(orders, customers)
            assert picked and all(o.customer in customers for o in picked)
    ''').lstrip())
    client = await _start(root, temp, init_options={"verify": {"onSave": True}})
    try:
        uri, diagnostics = await _open(client, path)
        assert any(d.code == "HS101" for d in diagnostics)
        client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))

        async def saved_message():
            while True:
                for m in client.messages:
                    if "verified on save" in m.message:
                        return m.message
                await asyncio.sleep(0.2)

        message = await asyncio.wait_for(saved_message(), TIMEOUT * 2)
        assert "HS101" in message
    finally:
        await _stop(client)
    assert _leftovers(temp) == []
