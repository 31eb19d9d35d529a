"""workspace/executeCommand: ``hasten.fixAll`` applies every safe fix in a document through
workspace/applyEdit. (``hasten.verifyFix`` is in verify.py, ``hasten.showGrowth`` in metrics.py.)"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from hasten.server.lsp.handlers.code_actions import WAIT, edit_for, fix_all_edit

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.commands")

FIX_ALL = "hasten.fixAll"


def _uri_of(argument) -> str | None:
    if isinstance(argument, str):
        return argument
    if isinstance(argument, dict):
        value = argument.get("uri") or (argument.get("textDocument") or {}).get("uri")
        return value if isinstance(value, str) else None
    return None


async def fix_all(server: "HastenServer", *args) -> dict:
    uri = _uri_of(args[0]) if args else None
    if uri is None:
        raise ValueError(f"{FIX_ALL} expects the document URI as its argument")
    doc = server.documents.get(uri)
    if doc is None:
        raise ValueError(f"{FIX_ALL}: {uri} is not open")
    snap = await server.scheduler.wait_current(doc, WAIT)
    if snap is None:
        return {"applied": False, "reason": "the document is still being analysed"}
    edits = await fix_all_edit(server, doc, snap)
    if not edits:
        return {"applied": False, "reason": "no safe fixes"}
    result = await asyncio.wait_for(
        server.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit_for(server, doc, edits, snap.version), label="hasten: apply all safe fixes")),
        timeout=30,
    )
    return {"applied": bool(result.applied), "reason": result.failure_reason}
