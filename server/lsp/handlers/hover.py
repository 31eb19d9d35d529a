"""Hover over a flagged range: the rule's documentation, plus sections other handlers contribute
through ``server.hover_providers`` (metrics, verification verdicts)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from hasten.analyzers.registry import get_rule
from hasten.server.lsp.conversions import lsp_range
from hasten.server.lsp.extensions import provided

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.hover")

WAIT = 5.0  # seconds to wait for the analysis of the current text


async def hover(server: "HastenServer", params: types.HoverParams) -> types.Hover | None:
    doc = server.document(params.text_document.uri, what="hover")
    if doc is None:
        return None
    snap = await server.scheduler.wait_current(doc, WAIT)
    if snap is None:
        return None
    encoding = server.session.position_encoding
    offset = doc.offset_at(params.position.line, params.position.character, encoding)
    hits = []
    if snap.enabled:
        hits = sorted((f for f in snap.findings if f.start <= offset <= f.end), key=lambda f: (f.end - f.start, f.code))
    sections: list[str] = []
    seen: set[str] = set()
    for finding in hits:
        if finding.code in seen:
            continue
        seen.add(finding.code)
        rule = get_rule(finding.code)
        body = rule.explanation() if rule is not None else ""
        sections.append(f"**{finding.code}** ({finding.name}): {finding.message}\n\n{body}".rstrip())
    sections.extend(str(extra) for extra in await provided(server.hover_providers, server, doc, offset, snap) if extra)
    if not sections:
        return None
    kind = types.MarkupKind.Markdown if server.session.client.markdown_hover else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value="\n\n---\n\n".join(sections)),
        range=lsp_range(snap.source, hits[0].start, hits[0].end, encoding) if hits else None,
    )
