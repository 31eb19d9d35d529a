"""textDocument/diagnostic (pull diagnostics). Pushed diagnostics go out from the scheduler."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from hasten.server.lsp.conversions import SOURCE

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.diagnostics")

OPTIONS = types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False)


async def pull_diagnostics(server: "HastenServer", params: types.DocumentDiagnosticParams):
    doc = server.documents.get(params.text_document.uri)
    if doc is None:
        log.warning("textDocument/diagnostic for a document that is not open: %s", params.text_document.uri)
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    scheduler = server.scheduler
    try:
        snap = await scheduler.current(doc)
    except RuntimeError:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    # The model's findings complete a revision later (merged into the same revision's snapshot):
    # the count changes the result id when they add anything.
    result_id = f"{scheduler.generation}:{snap.revision}:{len(snap.findings)}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=scheduler.diagnostics_of(doc, snap), result_id=result_id)
