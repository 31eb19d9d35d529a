"""The session with one client: what it supports (read once, at ``initialize``), the position
encoding agreed then, and the editor's settings. Written only by the settings handlers
(``handlers/settings.py``); everything else reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from hasten.analyzers.source import UTF16
from hasten.server.lsp.settings import Settings


@dataclass(frozen=True)
class ClientFeatures:
    """The client capabilities the server acts on."""

    pull_diagnostics: bool = False  # textDocument/diagnostic: nothing is pushed
    diagnostic_refresh: bool = False  # workspace/diagnostic/refresh
    code_lens_refresh: bool = False  # workspace/codeLens/refresh
    configuration: bool = False  # workspace/configuration
    configuration_registration: bool = False  # dynamic registration of didChangeConfiguration
    document_changes: bool = False  # versioned edits in a WorkspaceEdit
    code_action_resolve: bool = False  # codeAction/resolve may fill in the edit
    work_done_progress: bool = False  # server-created $/progress
    markdown_hover: bool = True  # hover as Markdown, else plain text

    @classmethod
    def of(cls, caps: types.ClientCapabilities | None) -> "ClientFeatures":
        if caps is None:
            return cls()
        text = caps.text_document
        ws = caps.workspace
        window = caps.window
        action = text.code_action if text else None
        hover_formats = text.hover.content_format if text and text.hover else None
        change_configuration = ws.did_change_configuration if ws else None
        return cls(
            pull_diagnostics=bool(text and text.diagnostic is not None),
            diagnostic_refresh=bool(ws and ws.diagnostics and ws.diagnostics.refresh_support),
            code_lens_refresh=bool(ws and ws.code_lens and ws.code_lens.refresh_support),
            configuration=bool(ws and ws.configuration),
            configuration_registration=bool(change_configuration and change_configuration.dynamic_registration),
            document_changes=bool(ws and ws.workspace_edit and ws.workspace_edit.document_changes),
            code_action_resolve=bool(
                action and action.resolve_support and "edit" in (action.resolve_support.properties or [])
            ),
            work_done_progress=bool(window and window.work_done_progress),
            markdown_hover=not hover_formats or types.MarkupKind.Markdown in hover_formats,
        )


@dataclass
class Session:
    client: ClientFeatures = field(default_factory=ClientFeatures)
    position_encoding: str = UTF16
    settings: Settings = field(default_factory=Settings)
    init_options: Any = None  # initializationOptions, the first layer of settings
    client_settings: Any = None  # the last answer to workspace/configuration, the second
