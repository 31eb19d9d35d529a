"""Hover over a flagged range: the rule's documentation, plus sections other handlers contribute
through ``server.hover_providers`` (e.g. metrics)."""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types

from hasten.analyzers.registry import get_rule
from hasten.server.handlers.diagnostics import lsp_range

log = logging.getLogger("hasten.server.hover")


def register(server) -> None:
    @server.handler(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        doc = server.document(params.text_document.uri, what="hover")
        if doc is None:
            return None
        try:
            snap = await asyncio.wait_for(server.diagnostics.current(doc), 5.0)
        except (asyncio.TimeoutError, RuntimeError):
            return None
        offset = doc.offset_at(params.position.line, params.position.character, server.position_encoding)
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
        for provider in list(server.hover_providers):
            try:
                extra = provider(server, doc, offset, snap)
                if asyncio.iscoroutine(extra):
                    extra = await extra
            except Exception:  # noqa: BLE001
                log.exception("hover provider %r failed", provider)
                continue
            if extra:
                sections.append(str(extra))
        if not sections:
            return None
        caps = server.protocol.client_capabilities
        formats = caps.text_document.hover.content_format if caps and caps.text_document and caps.text_document.hover else None
        kind = types.MarkupKind.Markdown if not formats or types.MarkupKind.Markdown in formats else types.MarkupKind.PlainText
        return types.Hover(
            contents=types.MarkupContent(kind=kind, value="\n\n---\n\n".join(sections)),
            range=lsp_range(snap.source, hits[0].start, hits[0].end, server.position_encoding) if hits else None,
        )
