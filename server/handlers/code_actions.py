"""Code actions: a quick fix per diagnostic (from Diagnostic.data, no second analysis), "Ignore
CODE on this line", ``source.fixAll.hasten`` (safe fixes only), and actions other handlers
contribute per diagnostic through ``server.code_action_providers``."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from lsprotocol import types

from hasten.analyzers.finding import Applicability
from hasten.analyzers.suppression import ALL, parse_comment
from hasten.analyzers.source import line_span
from hasten.server.documents import Document, Snapshot
from hasten.server.handlers.diagnostics import SOURCE, fix_json, lsp_range

log = logging.getLogger("hasten.server.code_actions")

FIX_ALL_KIND = "source.fixAll.hasten"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]
_NOQA_CODES = re.compile(r"#\s*noqa:\s*[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]+[0-9]+$")


def wanted(kind: str, only: list[str] | None) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(f"{o}.") for o in only)


def workspace_edit(server, doc: Document, edits: list[types.TextEdit], version: int | None = None) -> types.WorkspaceEdit:
    caps = server.protocol.client_capabilities
    ws = caps.workspace if caps else None
    if ws and ws.workspace_edit and ws.workspace_edit.document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version if version is None else version),
                    edits=edits,
                )
            ]
        )
    return types.WorkspaceEdit(changes={doc.uri: edits})


def _range(value: dict) -> types.Range:
    s, e = value["start"], value["end"]
    return types.Range(start=types.Position(line=int(s["line"]), character=int(s["character"])), end=types.Position(line=int(e["line"]), character=int(e["character"])))


def _same_range(a: types.Range, b: types.Range) -> bool:
    return (a.start.line, a.start.character, a.end.line, a.end.character) == (b.start.line, b.start.character, b.end.line, b.end.character)


def finding_for(server, doc: Document, snap: Snapshot, diagnostic: types.Diagnostic):
    """The finding of the current analysis behind a diagnostic (same code and range), if any."""
    code = str(diagnostic.code)
    for finding in snap.findings:
        if finding.code == code and _same_range(lsp_range(snap.source, finding.start, finding.end, server.position_encoding), diagnostic.range):
            return finding
    return None


def quick_fix(server, doc: Document, diagnostic: types.Diagnostic, snap: Snapshot | None) -> types.CodeAction | None:
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    fix = data.get("fix")
    if data.get("revision") != doc.revision or data.get("uri") not in (None, doc.uri):
        # The edits were computed for another text: use the current analysis' finding, if any.
        finding = finding_for(server, doc, snap, diagnostic) if snap is not None else None
        fix = fix_json(finding, snap.source, server.position_encoding) if finding is not None else None
    if not fix or fix.get("applicability") == Applicability.DISPLAY_ONLY.value:
        return None
    safe = fix.get("applicability") == Applicability.SAFE.value
    edits = [types.TextEdit(range=_range(e["range"]), new_text=str(e["newText"])) for e in fix.get("edits", [])]
    if not edits:
        return None
    title = fix.get("title") or f"Fix {diagnostic.code}"
    if not safe:
        title += " (unsafe fix)"
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=workspace_edit(server, doc, edits),
        is_preferred=safe,
    )


def _inside_string(node, offset: int) -> bool:
    while node is not None:
        if node.type in ("string", "string_content", "concatenated_string") and node.start_byte < offset < node.end_byte:
            return True
        node = node.parent
    return False


def ignore_action(server, doc: Document, diagnostic: types.Diagnostic, snap: Snapshot) -> types.CodeAction | None:
    code = str(diagnostic.code or "").upper()
    if not _CODE.match(code):
        return None
    source = snap.source
    data, starts = source.data, source.line_starts
    line = diagnostic.range.start.line
    if not 0 <= line < len(starts):
        return None
    begin, end = line_span(data, starts, line)
    content_end = begin + len(data[begin:end].rstrip(b" \t\x0c"))
    if data[begin:content_end].endswith(b"\\"):
        return None  # a comment cannot follow a line continuation
    root = source.tree.root_node
    node = root.descendant_for_byte_range(max(content_end - 1, begin), content_end) if content_end > begin else None
    enc = server.position_encoding
    insert_at = content_end
    new_text = f"  # noqa: {code}"
    comment = None
    if node is not None and node.type == "comment":
        comment = node
    if comment is not None:
        text = source.slice(comment.start_byte, comment.end_byte)
        codes = parse_comment(text)
        if codes and (ALL in codes or code in codes):
            return None  # already suppressed
        match = _NOQA_CODES.search(text)
        if match:
            insert_at = comment.start_byte + len(text[: match.end()].encode("utf-8", "surrogatepass"))
            new_text = f", {code}"
    elif node is not None and _inside_string(node, content_end):
        return None  # the line ends inside a string: a comment there would change the string
    at = source.byte_to_lsp(insert_at, enc)
    position = types.Position(line=at.line, character=at.character)
    edit = types.TextEdit(range=types.Range(start=position, end=position), new_text=new_text)
    return types.CodeAction(
        title=f"Ignore {code} on this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=workspace_edit(server, doc, [edit]),
    )


def _boundary(buf: bytes, i: int) -> bool:
    return i >= len(buf) or (buf[i] & 0xC0) != 0x80


def minimal_edit(old: bytes, new: bytes) -> tuple[int, int, bytes] | None:
    """(start, end, replacement) turning ``old`` into ``new`` with one edit, on character bounds."""
    if old == new:
        return None
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    while prefix > 0 and not (_boundary(old, prefix) and _boundary(new, prefix)):
        prefix -= 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    while suffix > 0 and not (_boundary(old, len(old) - suffix) and _boundary(new, len(new) - suffix)):
        suffix -= 1
    return prefix, len(old) - suffix, new[prefix : len(new) - suffix]


def _fix_all_job(text: str, config, path: str | None) -> str:
    from hasten.analyzers.fixes import fix_text

    return fix_text(text, config, path=path).text


async def fix_all_edit(server, doc: Document, snap: Snapshot) -> list[types.TextEdit] | None:
    """One minimal edit that applies every safe fix (to a fixed point), or None."""
    source = snap.source
    future = server.worker.submit(_fix_all_job, source.text, snap.config, doc.path)
    fixed = await asyncio.wrap_future(future)
    if doc.revision != snap.revision:
        return None
    change = minimal_edit(source.data, fixed.encode("utf-8", "surrogatepass"))
    if change is None:
        return None
    start, end, replacement = change
    return [types.TextEdit(range=lsp_range(source, start, end, server.position_encoding), new_text=replacement.decode("utf-8", "surrogatepass"))]


def has_safe_fix(snap: Snapshot) -> bool:
    return any(f.fix is not None and f.fix.applicability is Applicability.SAFE for f in snap.findings)


def _resolve_supported(server) -> bool:
    caps = server.protocol.client_capabilities
    ca = caps.text_document.code_action if caps and caps.text_document else None
    return bool(ca and ca.resolve_support and "edit" in (ca.resolve_support.properties or []))


async def _current(server, doc: Document, timeout: float = 5.0) -> Snapshot | None:
    try:
        return await asyncio.wait_for(server.diagnostics.current(doc), timeout)
    except (asyncio.TimeoutError, RuntimeError):
        return None


def register(server) -> None:
    @server.handler(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True))
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        doc = server.document(params.text_document.uri, what="codeAction")
        if doc is None:
            return None
        only = list(params.context.only) if params.context.only else None
        snap = await _current(server, doc)
        if snap is None or not snap.enabled:
            return None
        actions: list[Any] = []
        ours = [d for d in params.context.diagnostics if d.source == SOURCE]
        if wanted(types.CodeActionKind.QuickFix, only):
            for diagnostic in ours:
                action = quick_fix(server, doc, diagnostic, snap)
                if action is not None:
                    actions.append(action)
            for diagnostic in ours:
                action = ignore_action(server, doc, diagnostic, snap)
                if action is not None:
                    actions.append(action)
        for diagnostic in ours:
            for provider in list(server.code_action_providers):
                try:
                    extra = provider(server, doc, diagnostic, params)
                    if asyncio.iscoroutine(extra):
                        extra = await extra
                except Exception:  # noqa: BLE001
                    log.exception("code action provider %r failed", provider)
                    continue
                for action in extra or ():
                    if isinstance(action, (types.CodeAction, types.Command)) and wanted(getattr(action, "kind", None) or "", only):
                        actions.append(action)
        if wanted(FIX_ALL_KIND, only) and has_safe_fix(snap):
            action = types.CodeAction(
                title="hasten: apply all safe fixes",
                kind=FIX_ALL_KIND,
                data={"uri": doc.uri, "revision": snap.revision, "kind": "fixAll"},
            )
            explicit = bool(only) and any(o.startswith("source") for o in only)
            if explicit or not _resolve_supported(server):
                edits = await fix_all_edit(server, doc, snap)
                if edits:
                    action.edit = workspace_edit(server, doc, edits, snap.version)
                    actions.append(action)
            else:
                actions.append(action)
        # Preferred fixes first (a fix re-offered with its verification evidence comes from a
        # provider, after the plain quick fixes); the sort is stable, so the rest keep their order.
        actions.sort(key=lambda a: not getattr(a, "is_preferred", False))
        return actions

    @server.handler(types.CODE_ACTION_RESOLVE)
    async def resolve(action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        if data.get("kind") != "fixAll" or action.edit is not None:
            return action
        doc = server.document(str(data.get("uri")), what="codeAction/resolve")
        if doc is None:
            return action
        snap = await _current(server, doc)
        if snap is None:
            return action
        edits = await fix_all_edit(server, doc, snap)
        if edits:
            action.edit = workspace_edit(server, doc, edits, snap.version)
        return action
