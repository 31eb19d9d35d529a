"""The server adds the model's HS900 findings once the model has loaded in the background.

HS900 is a preview rule, so these sessions turn preview on (or select it explicitly)."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from tests.e2e.lsp_helpers import VSCODE, open_doc, session

SLOW = """def drain(tasks):
    done = []
    while tasks:
        task = tasks.pop(0)
        done.append(task)
    return done
"""


async def _pull(client, uri):
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return list(report.items)


async def test_model_findings_arrive_once_loaded(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True}) as client:
        uri = open_doc(client, tmp_path / "queue.py", SLOW)
        version = 1
        found = []
        for _ in range(60):  # the model loads off the event loop; rules answer meanwhile
            items = await _pull(client, uri)
            found = [d for d in items if d.code == "HS900"]
            if found:
                break
            await asyncio.sleep(0.5)
            version += 1
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=SLOW + "\n" * (version % 2))],
                )
            )
        assert found, "no HS900 finding from the model"
        d = found[0]
        assert d.severity == types.DiagnosticSeverity.Information
        assert d.range.start.line == 3
        assert d.message.startswith("Likely slow: ")


async def test_model_off_by_setting(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0, "preview": True, "model": {"enable": False}}) as client:
        uri = open_doc(client, tmp_path / "queue.py", SLOW)
        await asyncio.sleep(3)
        items = await _pull(client, uri)
        assert not [d for d in items if d.code == "HS900"]


async def test_model_off_by_default(tmp_path):
    async with session(tmp_path, VSCODE, {"debounce": 0}) as client:
        uri = open_doc(client, tmp_path / "queue.py", SLOW)
        await asyncio.sleep(3)
        items = await _pull(client, uri)
        assert not [d for d in items if d.code == "HS900"], "HS900 is preview: off unless selected"
