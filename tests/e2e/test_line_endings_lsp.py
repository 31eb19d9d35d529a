"""Lone CR and mixed line endings in the editor (issue 19, item 18): LSP ends lines at ``\\n``,
``\\r\\n`` and a lone ``\\r``, and so does Python. A document whose lines end with lone CRs, or
with a mix of the three, gets its diagnostics at the same lines and columns as its ``\\n`` twin,
its quick fixes give the same text (line endings aside), and its hovers say the same. Before,
the server parsed such a document with tree-sitter as it came, which does not end a line at a
lone ``\\r``: a syntax error and no findings."""

from __future__ import annotations

import re

import pytest
from lsprotocol import types

from .lsp_helpers import NEOVIM, apply_edits, edits_of, open_doc, pulled, session
from .test_server import SLOW

LF = SLOW + "\n\n" + SLOW.replace("common", "other").replace("found", "seen")


def lone_cr(text: str) -> str:
    return text.replace("\n", "\r")


def mixed(text: str) -> str:
    endings = ["\r", "\r\n", "\n"]
    lines = text.split("\n")
    return "".join(line + endings[i % 3] for i, line in enumerate(lines[:-1])) + lines[-1]


def as_lf(text: str) -> str:
    return re.sub(r"\r\n?", "\n", text)


def key(diagnostics) -> list[tuple]:
    return sorted(
        (d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.message)
        for d in diagnostics
    )


async def _quick_fixes(client, uri: str, text: str, diagnostics) -> dict[tuple, str]:
    """Each fixable diagnostic's quick fix, applied to ``text`` by the client's rules."""
    out = {}
    for diagnostic in diagnostics:
        if not (diagnostic.data and diagnostic.data.get("fix")):
            continue
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
            )
        )
        [fix] = [a for a in actions if a.title.startswith(diagnostic.data["fix"]["title"])]
        out[key([diagnostic])[0]] = apply_edits(text, edits_of(fix.edit, uri))
    return out


async def _hover(client, uri: str, position: types.Position) -> str | None:
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    if hover is None:
        return None
    contents = hover.contents
    return contents.value if isinstance(contents, types.MarkupContent) else str(contents)


@pytest.mark.parametrize("variant", [lone_cr, mixed], ids=["lone-cr", "mixed"])
async def test_line_endings_do_not_move_diagnostics_fixes_or_hovers(tmp_path, variant):
    text = variant(LF)
    assert "\r" in text and as_lf(text) == LF
    async with session(tmp_path, NEOVIM, {"debounce": 0, "preview": True}) as client:
        lf_uri = open_doc(client, tmp_path / "lf.py", LF)
        uri = open_doc(client, tmp_path / "cr.py", text)
        lf_diagnostics = (await pulled(client, lf_uri)).items
        diagnostics = (await pulled(client, uri)).items
        assert any(d.code == "HS101" and d.range.start.line == 13 for d in lf_diagnostics), key(lf_diagnostics)
        assert key(diagnostics) == key(lf_diagnostics)

        lf_fixes = await _quick_fixes(client, lf_uri, LF, lf_diagnostics)
        fixes = await _quick_fixes(client, uri, text, diagnostics)
        assert lf_fixes and fixes.keys() == lf_fixes.keys()
        for which, fixed in fixes.items():
            assert as_lf(fixed) == lf_fixes[which], which
            compile(fixed, "fixed.py", "exec")
            if variant is lone_cr:  # lines a fix adds end as the file's do
                assert "\n" not in fixed

        for diagnostic in lf_diagnostics:
            position = diagnostic.range.start
            assert await _hover(client, uri, position) == await _hover(client, lf_uri, position)
