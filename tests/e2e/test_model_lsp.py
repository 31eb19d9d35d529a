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
# -- two publishes per version: the rules at once, the model's findings after ----------------------

RULE_AND_MODEL = SLOW + """

def common(items, others):
    known = list(others)
    found = []
    for item in items:
        if item in known:
            found.append(item)
    return found
"""
SELECT = {"select": ["HS101", "HS900"]}  # by name: HS101 is a preview rule, and HS900 may become one


def _record(client):
    """Every publishDiagnostics as (version, codes), in arrival order."""
    client.published = []

    def on_publish(params: types.PublishDiagnosticsParams):
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append((params.version, sorted(str(d.code) for d in params.diagnostics)))

    client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish


async def _until(predicate, timeout=60.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            return False
        await asyncio.sleep(0.05)
    return True


async def test_rules_first_then_the_model_without_an_edit(tmp_path):
    """Open a file on a fresh server: the rules are published without waiting for the model; when
    the model has loaded, the same version is published again with HS900, with no edit between."""
    async with session(tmp_path, VSCODE, SELECT) as client:
        _record(client)
        open_doc(client, tmp_path / "queue.py", RULE_AND_MODEL)
        assert await _until(lambda: client.published)
        version, codes = client.published[0]
        assert version == 1 and "HS101" in codes and "HS900" not in codes  # the model loads meanwhile
        assert await _until(lambda: any("HS900" in c for _, c in client.published)), client.published
        later = [(v, c) for v, c in client.published if "HS900" in c]
        assert later[0][0] == 1 and "HS101" in later[0][1]  # merged with the rule findings, same version


async def test_each_edit_gets_rules_then_model(tmp_path):
    async with session(tmp_path, VSCODE, SELECT) as client:
        _record(client)
        uri = open_doc(client, tmp_path / "queue.py", RULE_AND_MODEL)
        assert await _until(lambda: any("HS900" in c for _, c in client.published))
        client.published.clear()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=RULE_AND_MODEL + "\n")],
            )
        )
        assert await _until(lambda: any(v == 2 and "HS900" in c for v, c in client.published)), client.published
        first = client.published[0]
        assert first[0] == 2 and "HS101" in first[1]  # the rules' publish comes first (or already merged)


async def test_superseded_versions_are_never_published(tmp_path):
    """A burst of edits: versions arrive in order, a version is never published after a newer one,
    and the last version is published with the model's findings."""
    async with session(tmp_path, VSCODE, SELECT) as client:
        _record(client)
        uri = open_doc(client, tmp_path / "queue.py", RULE_AND_MODEL)
        assert await _until(lambda: any("HS900" in c for _, c in client.published))
        last = 41
        for version in range(2, last + 1):
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=RULE_AND_MODEL + "\n" * version)],
                )
            )
        assert await _until(lambda: any(v == last and "HS900" in c for v, c in client.published)), client.published
        await asyncio.sleep(1.0)  # anything late would arrive now
        versions = [v for v, _ in client.published]
        assert versions == sorted(versions), versions
        assert versions[-1] == last
