"""The stored profile in the editor, over stdio with pytest-lsp: the measure in diagnostics'
data, hover and the metrics lens; ``hotOnly``; the ``hasten.profile`` command with $/progress;
and each diagnostic's ``codeDescription`` link to its rule's documentation."""

from __future__ import annotations

import asyncio
import textwrap

from lsprotocol import types

from hasten.analyzers.registry import rule_url
from tests.profiling.conftest import MEASURED as CODE
from tests.profiling.conftest import measured_project

from .lsp_helpers import NEOVIM, VSCODE, open_doc, pulled, pushed, session, track_versions

def project(root, profiled=True):
    return measured_project(root, profiled=profiled) / "mod.py"


def by_code(diagnostics):
    return {d.code: d for d in diagnostics}


async def test_diagnostics_link_to_their_rule_and_carry_the_measure(tmp_path):
    path = project(tmp_path)
    async with session(tmp_path, VSCODE, {"debounce": 0}) as client:
        uri = open_doc(client, path, CODE)
        found = by_code(await pushed(client, uri))
        assert set(found) == {"HS101", "HS115"}
        for code, diagnostic in found.items():
            assert diagnostic.code_description is not None and diagnostic.code_description.href == rule_url(code)
            assert diagnostic.code_description.href.endswith("#" + code.lower())
        assert found["HS115"].data["extra"]["profile"]["share"] == 0.4
        assert found["HS101"].data["extra"]["profile"]["share"] == 0.008
        hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=12, character=14))), 30)
        assert "**Profile** (HS115): this loop: 40% of the profiled run (4.00 s), `dedupe` called 3 times" in hover.contents.value
        lenses = await asyncio.wait_for(client.text_document_code_lens_async(types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))), 30)
        titles = {lens.range.start.line: lens.command.title for lens in lenses}
        assert titles[9].endswith(" · measured 40% (4.00 s)"), titles
        assert "measured" not in titles[0] or titles[0].endswith("(0.08 s)"), titles


async def test_hot_only_shows_findings_in_costly_code(tmp_path):
    path = project(tmp_path)
    async with session(tmp_path, NEOVIM, {"hotOnly": True}) as client:
        uri = open_doc(client, path, CODE)
        assert set(by_code((await pulled(client, uri)).items)) == {"HS115"}
    async with session(tmp_path, NEOVIM, {"hotOnly": True, "hotThreshold": 0.005}) as client:
        uri = open_doc(client, path, CODE)
        assert set(by_code((await pulled(client, uri)).items)) == {"HS101", "HS115"}
    async with session(tmp_path, VSCODE, {"debounce": 0, "hotOnly": True, "hotThreshold": 7}) as client:
        uri = open_doc(client, path, CODE)
        assert set(by_code(await pushed(client, uri))) == {"HS115"}  # the default threshold
        for _ in range(50):
            if client.messages:
                break
            await asyncio.sleep(0.1)
        assert any("hasten.hotThreshold" in m.message and "between 0 and 1" in m.message for m in client.messages)


async def test_profile_command_runs_the_tests_with_progress_and_refreshes(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    root.mkdir()
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    path = project(root, profiled=False)
    (root / "pyproject.toml").write_text(
        '[tool.hasten]\npreview = true\nselect = ["HS101", "HS115"]\n[tool.hasten.verify]\ntimeout = 120\n'
    )
    (root / "test_mod.py").write_text(textwrap.dedent("""
        from mod import dedupe, scan

        def test_dedupe():
            assert len(dedupe(list(range(3000)) * 2)) == 3000

        def test_scan():
            assert scan(range(10), [1, 2]) == 2
    """))
    async with session(root, VSCODE, {"debounce": 0}) as client:
        assert "hasten.profile" in client.init_result.capabilities.execute_command_provider.commands
        uri = open_doc(client, path, CODE)
        first = by_code(await pushed(client, uri))
        assert "profile" not in (first["HS115"].data.get("extra") or {})
        reply = await asyncio.wait_for(client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="hasten.profile", arguments=[root.as_uri()])), 180)
        assert reply["profiled"] is True, reply
        assert (root / ".hasten" / "profile.json").is_file()
        reports = [p for ps in client.progress_reports.values() for p in ps]
        assert isinstance(reports[0], types.WorkDoneProgressBegin) and "profiling" in reports[0].title
        assert isinstance(reports[-1], types.WorkDoneProgressEnd)

        async def measured():
            while True:
                got = by_code(client.diagnostics.get(uri) or [])
                if "HS115" in got and "profile" in (got["HS115"].data.get("extra") or {}):
                    return got
                await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        got = await asyncio.wait_for(measured(), 30)
        assert got["HS115"].data["extra"]["profile"]["samples"] > 0
    assert sorted(p.name for p in root.iterdir()) == [".hasten", "mod.py", "pyproject.toml", "test_mod.py"]


async def test_profile_command_refused_where_verification_is_off(tmp_path):
    project(tmp_path, profiled=False)
    async with session(tmp_path, VSCODE, {"debounce": 0, "verify": {"enable": False}}) as client:
        reply = await asyncio.wait_for(client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="hasten.profile", arguments=[tmp_path.as_uri()])), 30)
        assert reply["profiled"] is False and "verify.enable" in reply["message"]
    assert not (tmp_path / ".hasten").exists()


async def test_cancelling_the_progress_stops_the_profile_run(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    root.mkdir()
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    project(root, profiled=False)
    (root / "test_hang.py").write_text("import time\n\ndef test_hang():\n    time.sleep(600)\n")
    async with session(root, VSCODE, {"debounce": 0}) as client:
        task = asyncio.ensure_future(client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="hasten.profile", arguments=[root.as_uri()])))

        async def running_token():
            while True:
                for token, reports in client.progress_reports.items():
                    if any("running" in (getattr(r, "message", "") or "") for r in reports):
                        return token
                await asyncio.sleep(0.1)

        token = await asyncio.wait_for(running_token(), 60)
        client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
        reply = await asyncio.wait_for(task, 60)
        assert reply == {"profiled": False, "message": "cancelled"}
    assert not (root / ".hasten").exists()
    assert list(temp.iterdir()) == []  # the isolated copy is gone


async def test_default_settings_show_the_preview_findings_the_profile_proves(tmp_path):
    """As in `hasten check`: with a stored profile, HS101/HS102/HS304 (hot loops over large lists)
    are shown at the default settings, with the reason; an edit (the text no longer the profiled
    one) drops them; ``preview`` shows every preview finding, unmarked."""
    from tests.profiling.conftest import planted_project

    path = planted_project(tmp_path) / "ledger" / "books.py"
    text = path.read_text()
    async with session(tmp_path, VSCODE, {"debounce": 0}) as client:
        track_versions(client)
        uri = open_doc(client, path, text)
        found = by_code(await pushed(client, uri))
        assert set(found) == {"HS101", "HS102", "HS304"}
        assert found["HS102"].message.endswith(
            "(reported by default: the profile measured `queue`: list of up to 99,984 items, 16% of the run)"
        )
        assert found["HS102"].data["extra"]["promoted"] == "profile"
        assert found["HS102"].data["extra"]["profile"]["share"] > 0.15
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text + "\n# edited\n")],
        ))
        assert list(await pushed(client, uri, version=2)) == []
    async with session(tmp_path, NEOVIM, {"preview": True}) as client:
        uri = open_doc(client, path, text)
        items = (await pulled(client, uri)).items
        assert {"HS101", "HS102", "HS112", "HS304", "HS308"} <= set(by_code(items))
        assert not any("promoted" in (d.data or {}).get("extra", {}) for d in items)
