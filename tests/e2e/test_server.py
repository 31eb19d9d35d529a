"""The real server over stdio, driven by pytest-lsp with VS Code's and Neovim's capabilities.

The fixtures trigger HS101 (unsafe fix) and HS301 (safe fix); both are preview rules, so the
sessions turn ``preview`` on.
"""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.source import Source

from .lsp_helpers import (
    NEOVIM,
    NEOVIM_UTF8,
    VSCODE,
    apply_edits,
    edits_of,
    index_of,
    open_doc,
    position_in,
    pulled,
    pushed,
    session,
    track_versions,
)

SLOW = """\
def common(items, others):
    known = list(others)
    found = []
    for item in items:
        if item in known:
            found.append(item)
    return found
"""


def codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


PREVIEW = Config(preview=True)  # what the sessions below select


def findings(text: str, code: str) -> int:
    return sum(1 for f in check(Source(text), PREVIEW).findings if f.code == code)


async def test_push_diagnostics_after_open_and_incremental_change(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}) as client:
        track_versions(client)
        uri = open_doc(client, tmp_path / "slow.py", SLOW, version=1)
        diagnostics = await pushed(client, uri, version=1)
        hs101 = [d for d in diagnostics if d.code == "HS101"]
        assert len(hs101) == 1
        d = hs101[0]
        assert d.source == "hasten"
        assert d.severity is not None
        line4 = SLOW.splitlines()[4]
        assert (d.range.start.line, d.range.start.character) == (4, line4.index("item in known"))
        assert (d.range.end.line, d.range.end.character) == (4, line4.index(":"))
        assert d.data["code"] == "HS101" and d.data["version"] == 1 and d.data["fix"]["edits"]

        # Incremental change: rename `known` in the test to a parameter; the finding disappears.
        start = line4.index("known")
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(line=4, character=start), end=types.Position(line=4, character=start + 5)),
                        text="others",
                    )
                ],
            )
        )
        diagnostics = await pushed(client, uri, version=2)
        assert "HS101" not in codes(diagnostics)


async def test_pull_diagnostics_neovim(tmp_path):
    async with session(tmp_path, NEOVIM, {"preview": True}) as client:
        assert client.init_result.capabilities.diagnostic_provider is not None
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        report = await pulled(client, uri)
        assert "HS101" in codes(report.items)
        again = await pulled(client, uri, previous=report.result_id)
        assert again.kind == "unchanged"
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                        text="# a comment\n",
                    )
                ],
            )
        )
        report2 = await pulled(client, uri, previous=report.result_id)
        assert report2.kind == "full"
        moved = [d for d in report2.items if d.code == "HS101"]
        assert moved and moved[0].range.start.line == 5
        assert not client.diagnostics  # pull clients get nothing pushed


@pytest.mark.parametrize("editor", [VSCODE, NEOVIM])
async def test_quick_fix_from_data_removes_the_finding(tmp_path, editor):
    async with session(tmp_path, editor, {"debounce": 0, "preview": True}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        if editor == VSCODE:
            diagnostics = await pushed(client, uri)
        else:
            diagnostics = (await pulled(client, uri)).items
        fixable = [d for d in diagnostics if d.data and d.data.get("fix")]
        assert fixable
        for diagnostic in fixable:
            actions = await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=diagnostic.range,
                    context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
                )
            )
            fixes = [a for a in actions if a.title.startswith(diagnostic.data["fix"]["title"])]
            assert len(fixes) == 1
            fix = fixes[0]
            safe = diagnostic.data["fix"]["applicability"] == "safe"
            assert bool(fix.is_preferred) == safe
            fixed = apply_edits(SLOW, edits_of(fix.edit, uri))
            assert fixed != SLOW
            compile(fixed, "fixed.py", "exec")
            assert findings(fixed, diagnostic.code) < findings(SLOW, diagnostic.code)


async def test_fix_all_applies_safe_fixes_only(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        await pushed(client, uri)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
            )
        )
        assert [a.kind for a in actions] == ["source.fixAll.hasten"]
        edits = edits_of(actions[0].edit, uri)
        assert len(edits) == 1  # one minimal edit
        fixed = apply_edits(SLOW, edits)
        compile(fixed, "fixed.py", "exec")
        after = check(Source(fixed), PREVIEW).findings
        assert not [f for f in after if f.fix is not None and f.fix.applicability.value == "safe"]
        # unsafe fixes are not applied: HS101's set() rewrite is unsafe
        assert "known_set" not in fixed

        # Without `only`, VS Code gets the action to resolve lazily.
        lazy = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        fix_all = [a for a in lazy if a.kind == "source.fixAll.hasten"]
        assert fix_all and fix_all[0].edit is None
        resolved = await client.code_action_resolve_async(fix_all[0])
        assert apply_edits(SLOW, edits_of(resolved.edit, uri)) == fixed


async def test_ignore_this_line(tmp_path):
    text = SLOW.replace("if item in known:", "if item in known:  # noqa: HS999")
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        diagnostics = await pushed(client, uri)
        d = next(d for d in diagnostics if d.code == "HS101")
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri), range=d.range, context=types.CodeActionContext(diagnostics=[d]))
        )
        ignore = next(a for a in actions if a.title == "Ignore HS101 on this line")
        ignored = apply_edits(SLOW, edits_of(ignore.edit, uri))
        assert "if item in known:  # noqa: HS101\n" in ignored
        assert findings(ignored, "HS101") == 0

        # An existing noqa list is extended rather than doubled.
        uri2 = open_doc(client, tmp_path / "other.py", text)
        diagnostics = await pushed(client, uri2)
        d = next(d for d in diagnostics if d.code == "HS101")
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri2), range=d.range, context=types.CodeActionContext(diagnostics=[d]))
        )
        ignore = next(a for a in actions if a.title == "Ignore HS101 on this line")
        assert "# noqa: HS999, HS101\n" in apply_edits(text, edits_of(ignore.edit, uri2))


async def test_hover_shows_rule_documentation(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        diagnostics = await pushed(client, uri)
        d = next(d for d in diagnostics if d.code == "HS101")
        hover = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=d.range.start))
        assert hover is not None
        assert hover.contents.kind == types.MarkupKind.Markdown
        assert "HS101" in hover.contents.value and "## Why is this slow?" in hover.contents.value
        nothing = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0))
        )
        assert nothing is None


async def test_syntax_errors_still_get_findings(tmp_path):
    broken = SLOW + "\n\ndef broken(:\n    return [\n\nclass Half(\n"
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}) as client:
        uri = open_doc(client, tmp_path / "broken.py", broken)
        diagnostics = await pushed(client, uri)
        assert "HS101" in codes(diagnostics)
        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=9, character=3))
        )
        assert hover is None


async def test_close_clears_diagnostics(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        assert await pushed(client, uri)
        client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))

        async def cleared():
            while client.diagnostics.get(uri):
                await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        await asyncio.wait_for(cleared(), 10)


async def test_settings_select_ignore_and_bad_values(tmp_path):
    options = {"debounce": 0, "preview": True, "ignore": ["HS101"], "debounce_typo": 3, "logLevel": "loud"}
    async with session(tmp_path, VSCODE, options) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        diagnostics = await pushed(client, uri)
        assert "HS101" not in codes(diagnostics)
        for _ in range(50):
            if len(client.messages) >= 2:
                break
            await asyncio.sleep(0.1)
        texts = [m.message for m in client.messages]
        assert any("hasten.debounce_typo" in t for t in texts), texts
        assert any("hasten.logLevel" in t for t in texts), texts
        assert all(m.type == types.MessageType.Warning for m in client.messages)

    async with session(tmp_path, NEOVIM, {"select": ["HS101"]}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        report = await pulled(client, uri)
        assert set(codes(report.items)) == {"HS101"}


async def test_workspace_configuration_overrides_initialization_options(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}, configuration={"debounce": 0, "select": ["HS101"]}, extra_args=["--log-file", str(tmp_path / "server.log")]) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)

        async def only_hs101():
            while True:
                got = client.diagnostics.get(uri)
                if got and set(codes(got)) == {"HS101"}:
                    return
                await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        await asyncio.wait_for(only_hs101(), 10)
        client.set_configuration({"debounce": 0, "enable": False}, section="hasten")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

        async def disabled():
            while client.diagnostics.get(uri):
                await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        await asyncio.wait_for(disabled(), 10)


async def test_pyproject_configuration_applies_per_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.hasten]\npreview = true\nignore = ["HS101"]\n', encoding="utf-8")
    async with session(tmp_path, NEOVIM, {"preview": True}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        report = await pulled(client, uri)
        assert "HS101" not in codes(report.items)
    async with session(tmp_path, NEOVIM, {"select": ["HS101"], "ignore": ["HS999"]}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        report = await pulled(client, uri)
        assert set(codes(report.items)) == {"HS101"}  # the editor's non-empty ignore overrides


UNICODE = "def f(items, others):\r\n    known = list(others)  # é\r\n    for item in items:\r\n        if 'é😀\U0001f600' != item and item in known: pass\r\n"


@pytest.mark.parametrize("editor,encoding", [(VSCODE, "utf-16"), (NEOVIM_UTF8, "utf-8")])
async def test_positions_exact_with_non_ascii_crlf_and_astral(tmp_path, editor, encoding):
    async with session(tmp_path, editor, {"debounce": 0, "preview": True}) as client:
        assert client.init_result.capabilities.position_encoding == encoding
        track_versions(client)
        uri = open_doc(client, tmp_path / "u.py", UNICODE)
        if editor == VSCODE:
            diagnostics = await pushed(client, uri)
        else:
            diagnostics = (await pulled(client, uri)).items
        d = next(d for d in diagnostics if d.code == "HS101")
        begin = UNICODE.index("item in known")
        assert d.range.start == position_in(UNICODE, begin, encoding)
        assert d.range.end == position_in(UNICODE, begin + len("item in known"), encoding)

        # Insert astral characters before the finding on the same line, incrementally.
        at = UNICODE.index("'é😀")
        pos = position_in(UNICODE, at, encoding)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=pos, end=pos), text="'𝔘' != item and ")],
            )
        )
        new_text = UNICODE[:at] + "'𝔘' != item and " + UNICODE[at:]
        if editor == VSCODE:
            diagnostics = await pushed(client, uri, version=2)
        else:
            diagnostics = (await pulled(client, uri)).items
        d = next(d for d in diagnostics if d.code == "HS101")
        begin = new_text.index("item in known")
        assert d.range.start == position_in(new_text, begin, encoding)
        assert index_of(new_text, d.range.end.line, d.range.end.character, encoding) == begin + len("item in known")


async def test_unopened_documents_and_unknown_methods(tmp_path):
    async with session(tmp_path, NEOVIM, {"preview": True}) as client:
        uri = (tmp_path / "never.py").as_uri()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="x = 1\n")],
            )
        )
        report = await pulled(client, uri)
        assert list(report.items) == []
        hover = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0)))
        assert hover is None
        with pytest.raises(Exception) as excinfo:
            await asyncio.wait_for(client.protocol.send_request_async("hasten/noSuchMethod", {}), 10)
        assert "noSuchMethod" in str(excinfo.value) or "not found" in str(excinfo.value).lower()
        client.protocol.notify("hasten/noSuchNotification", {})
        # still alive
        uri2 = open_doc(client, tmp_path / "slow.py", SLOW)
        assert "HS101" in codes((await pulled(client, uri2)).items)
        assert any("not open" in m.message for m in client.log_messages)


async def test_fix_all_command_applies_through_apply_edit(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}) as client:
        commands = client.init_result.capabilities.execute_command_provider.commands
        assert "hasten.fixAll" in commands
        applied = []

        def apply_edit(params: types.ApplyWorkspaceEditParams):
            applied.append(params)
            return types.ApplyWorkspaceEditResult(applied=True)

        client.feature(types.WORKSPACE_APPLY_EDIT)(apply_edit)
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        await pushed(client, uri)
        result = await asyncio.wait_for(
            client.workspace_execute_command_async(types.ExecuteCommandParams(command="hasten.fixAll", arguments=[uri])), 30
        )
        applied_flag = result.get("applied") if isinstance(result, dict) else result.applied
        assert applied_flag is True
        fixed = apply_edits(SLOW, edits_of(applied[0].edit, uri))
        assert fixed != SLOW
        compile(fixed, "fixed.py", "exec")


async def test_settings_pushed_by_clients_without_workspace_configuration(tmp_path):
    def no_configuration(caps: types.ClientCapabilities) -> None:
        caps.workspace.configuration = False

    async with session(tmp_path, NEOVIM, {"preview": True}, adjust=no_configuration) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        assert "HS101" in codes((await pulled(client, uri)).items)
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"hasten": {"preview": True, "ignore": ["HS101"]}}))
        for _ in range(50):
            if "HS101" not in codes((await pulled(client, uri)).items):
                break
            await asyncio.sleep(0.1)
        assert "HS101" not in codes((await pulled(client, uri)).items)


async def test_saving_rereads_pyproject(tmp_path):
    async with session(tmp_path, NEOVIM, {"preview": True}) as client:
        uri = open_doc(client, tmp_path / "slow.py", SLOW)
        assert "HS101" in codes((await pulled(client, uri)).items)
        (tmp_path / "pyproject.toml").write_text('[tool.hasten]\nignore = ["HS101"]\n', encoding="utf-8")
        client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        for _ in range(50):
            if "HS101" not in codes((await pulled(client, uri)).items):
                break
            await asyncio.sleep(0.1)
        assert "HS101" not in codes((await pulled(client, uri)).items)
