"""Code actions: a quick fix per diagnostic (from Diagnostic.data, no second analysis), "Ignore
CODE on this line", ``source.fixAll.hasten`` (safe fixes only), and actions other handlers
contribute per diagnostic through ``server.code_action_providers``."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from hasten.analyzers.finding import Applicability
from hasten.analyzers.source import line_span
from hasten.analyzers.suppression import ALL, parse_comment
from hasten.server.lsp.conversions import SOURCE, DiagnosticData, FixData, finding_for, lsp_range, workspace_edit
from hasten.server.lsp.documents import Document, Snapshot
from hasten.server.lsp.extensions import provided

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.code_actions")

FIX_ALL_KIND = "source.fixAll.hasten"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]
_NOQA_CODES = re.compile(r"#\s*noqa:\s*[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]+[0-9]+$")
WAIT = 5.0  # seconds to wait for the analysis of the current text


def wanted(kind: str, only: list[str] | None) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(f"{o}.") for o in only)


def edit_for(server: "HastenServer", doc: Document, edits: list[types.TextEdit], version: int | None = None) -> types.WorkspaceEdit:
    return workspace_edit(doc.uri, doc.version if version is None else version, edits, server.session.client.document_changes)


def quick_fix(server: "HastenServer", doc: Document, diagnostic: types.Diagnostic, snap: Snapshot | None) -> types.CodeAction | None:
    data = DiagnosticData.from_json(diagnostic.data)
    fix = data.fix if data is not None else None
    if data is None or data.revision != doc.revision or data.uri not in (None, doc.uri):
        # The edits were computed for another text: use the current analysis' finding, if any.
        encoding = server.session.position_encoding
        finding = finding_for(snap, encoding, diagnostic=diagnostic) if snap is not None else None
        fix = FixData.of(finding, snap.source, encoding) if finding is not None else None
    if fix is None or fix.applicability is Applicability.DISPLAY_ONLY or not fix.edits:
        return None
    safe = fix.applicability is Applicability.SAFE
    title = fix.title or f"Fix {diagnostic.code}"
    if not safe:
        title += " (unsafe fix)"
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=edit_for(server, doc, list(fix.edits)),
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
    enc = server.session.position_encoding
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
        edit=edit_for(server, doc, [edit]),
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
    return [types.TextEdit(range=lsp_range(source, start, end, server.session.position_encoding), new_text=replacement.decode("utf-8", "surrogatepass"))]


def has_safe_fix(snap: Snapshot) -> bool:
    return any(f.fix is not None and f.fix.applicability is Applicability.SAFE for f in snap.findings)


OPTIONS = types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True)


async def code_action(server: "HastenServer", params: types.CodeActionParams) -> list[types.CodeAction] | None:
    doc = server.document(params.text_document.uri, what="codeAction")
    if doc is None:
        return None
    only = list(params.context.only) if params.context.only else None
    snap = await server.scheduler.wait_current(doc, WAIT)
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
        for extra in await provided(server.code_action_providers, server, doc, diagnostic, params):
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
        if explicit or not server.session.client.code_action_resolve:
            edits = await fix_all_edit(server, doc, snap)
            if edits:
                action.edit = edit_for(server, doc, edits, snap.version)
                actions.append(action)
        else:
            actions.append(action)
    # Preferred fixes first (a fix re-offered with its verification evidence comes from a
    # provider, after the plain quick fixes); the sort is stable, so the rest keep their order.
    actions.sort(key=lambda a: not getattr(a, "is_preferred", False))
    return actions


async def resolve(server: "HastenServer", action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    if data.get("kind") != "fixAll" or action.edit is not None:
        return action
    doc = server.document(str(data.get("uri")), what="codeAction/resolve")
    if doc is None:
        return action
    snap = await server.scheduler.wait_current(doc, WAIT)
    if snap is None:
        return action
    edits = await fix_all_edit(server, doc, snap)
    if edits:
        action.edit = edit_for(server, doc, edits, snap.version)
    return action
