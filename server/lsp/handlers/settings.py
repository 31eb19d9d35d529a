"""initialize, initialized, ``workspace/configuration`` (section ``hasten``) and
``workspace/didChangeConfiguration``: the session (client features, position encoding, settings).

pyproject.toml gives each file its project's configuration (select, ignore, per-file-ignores,
severity, ...). The editor's settings override it where the user set them: a non-empty
``select``/``ignore``/``severity``, ``preview = true``, and any model/metrics/verify setting that
differs from its default (``Settings.overrides``; the scheduler resolves both per document).
``enable = false`` turns diagnostics off. Problems in either source are logged and shown once
(window/showMessage, warning), and the defaults are used.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING

from lsprotocol import types

from hasten.analyzers.source import ENCODINGS, UTF16
from hasten.server.lsp.session import ClientFeatures
from hasten.server.lsp.settings import Settings

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

log = logging.getLogger("hasten.server.lsp.settings")

SECTION = "hasten"


def _unwrap(raw):
    """Accept ``{"hasten": {...}}`` as well as the bare settings object."""
    if isinstance(raw, dict) and set(raw) == {SECTION} and isinstance(raw[SECTION], dict):
        return raw[SECTION]
    return raw


def apply_settings(server: "HastenServer", *layers) -> bool:
    """Rebuild the session's settings from the layers; report problems; True when anything changed."""
    session = server.session
    settings = Settings.from_raw(*[_unwrap(layer) for layer in layers if layer is not None])
    changed = settings != session.settings
    session.settings = settings
    server.apply_log_level()
    if settings.problems:
        server.report(settings.problems)
    return changed


async def pull_configuration(server: "HastenServer") -> bool:
    """Ask the client for the ``hasten`` section; True when the settings changed."""
    session = server.session
    if not session.client.configuration:
        return False
    try:
        result = await asyncio.wait_for(
            server.workspace_configuration_async(types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])),
            timeout=10,
        )
    except Exception as exc:  # noqa: BLE001 - the client may not answer; keep what we have
        log.warning("workspace/configuration failed: %s", exc)
        return False
    session.client_settings = result[0] if result else None
    return apply_settings(server, session.init_options, session.client_settings)


def initialize(server: "HastenServer", params: types.InitializeParams) -> None:
    from pygls.capabilities import ServerCapabilitiesBuilder

    session = server.session
    server.loop = asyncio.get_running_loop()
    session.client = ClientFeatures.of(params.capabilities)
    encoding = ServerCapabilitiesBuilder.choose_position_encoding(params.capabilities)
    session.position_encoding = str(getattr(encoding, "value", encoding))
    if session.position_encoding not in ENCODINGS:
        session.position_encoding = UTF16
    session.init_options = params.initialization_options
    session.settings = Settings.from_raw(_unwrap(params.initialization_options))
    server.apply_log_level()
    info = params.client_info
    log.info(
        "hasten %s serving %s (positions in %s)",
        server.version, f"{info.name} {info.version or ''}".strip() if info else "an unnamed client", session.position_encoding,
    )


async def initialized(server: "HastenServer", params: types.InitializedParams) -> None:
    session = server.session
    if session.settings.problems:
        server.report(session.settings.problems)
    if session.client.configuration_registration:
        try:
            await asyncio.wait_for(
                server.client_register_capability_async(
                    types.RegistrationParams(registrations=[types.Registration(id=str(uuid.uuid4()), method=types.WORKSPACE_DID_CHANGE_CONFIGURATION, register_options={"section": SECTION})])
                ),
                timeout=10,
            )
        except Exception as exc:  # noqa: BLE001
            log.debug("could not register for configuration changes: %s", exc)
    if await pull_configuration(server):
        server.scheduler.refresh_all()


async def did_change_configuration(server: "HastenServer", params: types.DidChangeConfigurationParams) -> None:
    session = server.session
    if session.client.configuration:
        changed = await pull_configuration(server)
    else:
        raw = params.settings
        if isinstance(raw, dict) and SECTION in raw:
            raw = raw[SECTION]
        session.client_settings = raw
        changed = apply_settings(server, session.init_options, raw)
    # pyproject.toml may have changed as well: re-read it even when the editor's settings did not.
    server.scheduler.refresh_all()
    log.info("settings %s", "changed" if changed else "unchanged")
