"""Metrics over stdio: code lenses, the hasten.showGrowth command, hover on a function name,
settings, and the HS501/HS502 diagnostics — the real server driven by pytest-lsp."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from .lsp_helpers import NEOVIM, VSCODE, open_doc, pulled, pushed, session

CODE = """\
def dedupe(items):
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


class Shop:
    def total(self, prices):
        return sum(p for p in prices if p > 0)


def branchy(x):
    if x == 1:
        return 1
    elif x == 2:
        return 2
    elif x == 3 or x == 4:
        return 3
    return 0
"""


def doc_id(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def lenses(client, uri):
    return await asyncio.wait_for(client.text_document_code_lens_async(types.CodeLensParams(text_document=doc_id(uri))), 30)


async def test_code_lens_above_each_function_and_click_shows_growth(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0}) as client:
        assert client.init_result.capabilities.code_lens_provider is not None
        assert "hasten.showGrowth" in client.init_result.capabilities.execute_command_provider.commands
        uri = open_doc(client, tmp_path / "mod.py", CODE)
        result = await lenses(client, uri)
        titles = {(lens.range.start.line, lens.range.start.character): lens.command.title for lens in result}
        assert titles == {
            (0, 4): "complexity 3 (A) · O(n²)",
            (9, 8): "complexity 3 (A) · O(n)",
            (13, 4): "complexity 5 (A) · O(1)",
        }
        dedupe = next(lens for lens in result if lens.range.start.line == 0)
        assert dedupe.range.end == types.Position(line=0, character=10)  # the name `dedupe`
        assert dedupe.command.command == "hasten.showGrowth"
        reply = await asyncio.wait_for(
            client.workspace_execute_command_async(
                types.ExecuteCommandParams(command=dedupe.command.command, arguments=dedupe.command.arguments)
            ),
            30,
        )
        for _ in range(50):
            if client.messages:
                break
            await asyncio.sleep(0.1)
        shown = [m for m in client.messages if "dedupe" in m.message]
        assert shown, client.messages
        assert shown[0].type == types.MessageType.Info
        assert "O(n²)" in shown[0].message and "line 3: loop over `items`" in shown[0].message
        assert "line 4: `item not in out` scans a list" in shown[0].message
        assert reply["message"] == shown[0].message
        with pytest.raises(Exception) as excinfo:
            await asyncio.wait_for(
                client.workspace_execute_command_async(
                    types.ExecuteCommandParams(command="hasten.showGrowth", arguments=[{"uri": "file:///nowhere.py", "function": "f", "line": 1}])
                ),
                30,
            )
        assert "not open" in str(excinfo.value)


async def test_hover_on_a_function_name_shows_the_metrics(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0}) as client:
        uri = open_doc(client, tmp_path / "mod.py", CODE)
        hover = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=types.Position(line=9, character=10)))
        assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
        text = hover.contents.value
        for needle in ("Shop.total", "cyclomatic complexity", "Halstead volume", "Halstead difficulty", "maintainability", "O(n)", "line 11"):
            assert needle in text, needle
        body = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=types.Position(line=2, character=8)))
        assert body is None  # inside the body, not on a name: no metrics


async def test_settings_turn_lenses_off_and_thresholds_on(tmp_path):
    options = {"debounce": 0, "select": ["HS501", "HS502"], "metrics": {"codeLens": False, "complexityMax": 4, "growthMin": "O(n^2)"}}
    async with session(tmp_path, NEOVIM, options) as client:
        uri = open_doc(client, tmp_path / "mod.py", CODE)
        assert not await lenses(client, uri)
        report = await pulled(client, uri)
        found = sorted((d.code, d.range.start.line) for d in report.items)
        assert found == [("HS501", 13), ("HS502", 0)], found
        messages = {d.code: d.message for d in report.items}
        assert "complexity 5" in messages["HS501"] and "limit of 4" in messages["HS501"]
        assert "O(n²)" in messages["HS502"]


async def test_pyproject_metrics_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.hasten]\nselect = ["HS501"]\n[tool.hasten.metrics]\ncomplexity-max = 2\ncode-lens = false\n', encoding="utf-8")
    async with session(tmp_path, VSCODE, {"debounce": 0}) as client:
        uri = open_doc(client, tmp_path / "mod.py", CODE)
        diagnostics = await pushed(client, uri)
        assert sorted(d.range.start.line for d in diagnostics if d.code == "HS501") == [0, 9, 13]
        assert not await lenses(client, uri)


async def test_syntax_errors_still_get_lenses(tmp_path):
    broken = CODE + "\n\ndef half(:\n    return [\n"
    async with session(tmp_path, VSCODE, {"debounce": 0}) as client:
        uri = open_doc(client, tmp_path / "broken.py", broken)
        result = await lenses(client, uri)
        titles = {lens.range.start.line: lens.command.title for lens in result}
        assert titles[0] == "complexity 3 (A) · O(n²)"
        hover = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=types.Position(line=0, character=5)))
        assert hover is not None and "tree-sitter" in hover.contents.value


async def test_very_large_files_get_no_metrics_but_a_log_line(tmp_path):
    big = "".join(f"def f{i}(items):\n    return [x for x in items]\n\n" for i in range(14_000))  # > 500 kB
    async with session(tmp_path, VSCODE, {"debounce": 0, "logLevel": "info"}) as client:
        uri = open_doc(client, tmp_path / "big.py", big)
        assert not await lenses(client, uri)
        for _ in range(50):
            if any("no metrics" in m.message for m in client.log_messages):
                break
            await asyncio.sleep(0.1)
        assert any("larger than 500 kB" in m.message for m in client.log_messages)
