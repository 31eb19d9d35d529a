"""Client-side helpers for the end-to-end tests: start the real server over stdio with a real
editor's capabilities, and apply LSP edits to text independently of the server's own code."""

from __future__ import annotations

import asyncio
import re
import sys
from contextlib import asynccontextmanager
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "hasten", "server"]
TIMEOUT = 30

VSCODE = "visual-studio-code"  # push diagnostics, UTF-16, resolve support
NEOVIM = "neovim@v0.10.0"  # pull diagnostics, UTF-16
NEOVIM_UTF8 = "neovim@v0.11.0"  # pull diagnostics, offers utf-8 first

_BREAK = re.compile(r"\r\n|\r|\n")


@asynccontextmanager
async def session(tmp_path, editor: str = VSCODE, init_options: Any = None, configuration: Any = None, extra_args: list[str] | None = None, adjust=None):
    client = await ClientServerConfig(server_command=SERVER + (extra_args or [])).start()
    assert isinstance(client, LanguageClient)
    if configuration is not None:
        client.set_configuration(configuration, section="hasten")
    capabilities = client_capabilities(editor)
    if adjust is not None:
        adjust(capabilities)
    result = await asyncio.wait_for(
        client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities,
                initialization_options=init_options,
                root_uri=tmp_path.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name=tmp_path.name)],
            )
        ),
        timeout=TIMEOUT,
    )
    client.init_result = result
    try:
        yield client
    finally:
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
        await client.stop()


def open_doc(client: LanguageClient, path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text))
    )
    return uri


async def pushed(client: LanguageClient, uri: str, version: int | None = None, timeout: float = TIMEOUT):
    """Wait for diagnostics published for ``uri`` (with ``version`` when given)."""

    async def wait():
        while True:
            got = client.diagnostics.get(uri)
            if got is not None and (version is None or client.versions.get(uri) == version):
                return got
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), timeout)


async def pulled(client: LanguageClient, uri: str, previous: str | None = None):
    return await asyncio.wait_for(
        client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous)
        ),
        TIMEOUT,
    )


def track_versions(client: LanguageClient) -> None:
    """Record the version of each publishDiagnostics (pytest-lsp keeps only the diagnostics)."""
    client.versions = {}
    original = client.protocol.fm.features.get(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    def on_publish(params: types.PublishDiagnosticsParams):
        client.versions[params.uri] = params.version
        client.diagnostics[params.uri] = params.diagnostics

    client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish
    del original


# -- an independent implementation of LSP positions, for checking the server ------------------


def line_offsets(text: str) -> list[int]:
    return [0] + [m.end() for m in _BREAK.finditer(text)]


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def index_of(text: str, line: int, character: int, encoding: str = "utf-16") -> int:
    """String index of an LSP position (clamped like the specification says)."""
    starts = line_offsets(text)
    if line >= len(starts):
        return len(text)
    begin = starts[line]
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    body = text[begin:end]
    if line + 1 < len(starts):
        body = body.rstrip("\r\n")  # exactly one line break ends the line
    count = 0
    for i, ch in enumerate(body):
        if count >= character:
            return begin + i
        width = units(ch, encoding)
        if count + width > character:
            return begin + i
        count += width
    return begin + len(body)


def position_in(text: str, index: int, encoding: str = "utf-16") -> types.Position:
    starts = line_offsets(text)
    line = max(i for i, s in enumerate(starts) if s <= index)
    return types.Position(line=line, character=units(text[starts[line] : index], encoding))


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    spans = []
    for edit in edits:
        r = edit.range
        spans.append((index_of(text, r.start.line, r.start.character, encoding), index_of(text, r.end.line, r.end.character, encoding), edit.new_text))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def edits_of(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    if edit.document_changes:
        out = []
        for change in edit.document_changes:
            if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
                out.extend(change.edits)
        return out
    return list((edit.changes or {}).get(uri, []))
