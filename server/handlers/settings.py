"""Settings: ``initializationOptions``, ``workspace/configuration`` (section ``hasten``) and
``workspace/didChangeConfiguration``, merged with ``[tool.hasten]`` from pyproject.toml.

pyproject.toml gives each file its project's configuration (select, ignore, per-file-ignores,
severity, ...). The editor's settings override it where the user set them: a non-empty
``select``/``ignore``/``severity``, ``preview = true``, and any model/metrics/verify setting that
differs from its default. ``enable = false`` turns diagnostics off. Problems in either source are
logged and shown once (window/showMessage, warning), and the defaults are used.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import replace

from lsprotocol import types

from hasten.analyzers.config import Config, load_config
from hasten.analyzers.finding import Severity
from hasten.analyzers.source import ENCODINGS, UTF16
from hasten.server.settings import DEFAULTS, EditorSettings

log = logging.getLogger("hasten.server.settings")

SECTION = "hasten"


def _codes(values) -> tuple[str, ...]:
    return tuple(v.strip().upper() for v in values if v.strip())


def _changed(settings: EditorSettings, key: str) -> bool:
    return settings[key] != DEFAULTS[key]


def effective_config(server, doc) -> tuple[Config, bool]:
    settings: EditorSettings = server.settings
    if doc.pyproject is None:
        config, messages = Config(), []
        if doc.path:
            try:
                config, messages = load_config(doc.path)
            except Exception as exc:  # noqa: BLE001 - a broken pyproject must not stop the server
                messages = [f"{doc.path}: could not read the configuration ({exc}); using defaults"]
        doc.pyproject = config
        if messages:
            server.report([f"hasten: {m}" for m in messages])
    config = doc.pyproject
    changes: dict = {}
    if settings["select"]:
        changes["select"] = _codes(settings["select"])
    if settings["ignore"]:
        changes["ignore"] = _codes(settings["ignore"])
    if settings["preview"]:
        changes["preview"] = True
    if settings["severity"]:
        merged = dict(config.severity)
        for code, value in settings["severity"].items():
            merged[code.strip().upper()] = Severity.parse(str(value))
        changes["severity"] = tuple(merged.items())
    model = config.model
    if _changed(settings, "model.enable"):
        model = replace(model, enable=settings["model.enable"])
    if _changed(settings, "model.threshold"):
        model = replace(model, threshold=float(settings["model.threshold"]))
    if _changed(settings, "model.severity"):
        model = replace(model, severity=Severity.parse(settings["model.severity"]))
    if model != config.model:
        changes["model"] = model
    metrics = config.metrics
    if _changed(settings, "metrics.codeLens"):
        metrics = replace(metrics, code_lens=settings["metrics.codeLens"])
    if _changed(settings, "metrics.complexityMax"):
        metrics = replace(metrics, complexity_max=int(settings["metrics.complexityMax"]))
    if _changed(settings, "metrics.growthMin"):
        growth = settings["metrics.growthMin"]
        metrics = replace(metrics, growth_min=None if growth == "off" else growth)
    if metrics != config.metrics:
        changes["metrics"] = metrics
    verify = config.verify
    for key, field in (("verify.enable", "enable"), ("verify.onSave", "on_save"), ("verify.timeout", "timeout"), ("verify.testCommand", "test_command")):
        if _changed(settings, key):
            verify = replace(verify, **{field: settings[key]})
    if verify != config.verify:
        changes["verify"] = verify
    if changes:
        config = config.with_overrides(**changes)
    return config, bool(settings["enable"])


def _unwrap(raw):
    """Accept ``{"hasten": {...}}`` as well as the bare settings object."""
    if isinstance(raw, dict) and set(raw) == {SECTION} and isinstance(raw[SECTION], dict):
        return raw[SECTION]
    return raw


def apply_settings(server, *layers) -> bool:
    """Rebuild ``server.settings`` from the layers; report problems; True when anything changed."""
    settings = EditorSettings.from_raw(*[_unwrap(layer) for layer in layers if layer is not None])
    changed = settings.values != server.settings.values
    server.settings = settings
    server.apply_log_level()
    if settings.problems:
        server.report(settings.problems)
    return changed


def _supports_configuration(server) -> bool:
    caps = server.protocol.client_capabilities
    return bool(caps and caps.workspace and caps.workspace.configuration)


async def pull_configuration(server) -> bool:
    """Ask the client for the ``hasten`` section; True when the settings changed."""
    if not _supports_configuration(server):
        return False
    try:
        result = await asyncio.wait_for(
            server.workspace_configuration_async(types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])),
            timeout=10,
        )
    except Exception as exc:  # noqa: BLE001 - the client may not answer; keep what we have
        log.warning("workspace/configuration failed: %s", exc)
        return False
    server.client_settings = result[0] if result else None
    return apply_settings(server, server.init_options, server.client_settings)


def register(server) -> None:
    @server.handler(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        from pygls.capabilities import ServerCapabilitiesBuilder

        server.loop = asyncio.get_running_loop()
        encoding = ServerCapabilitiesBuilder.choose_position_encoding(params.capabilities)
        server.position_encoding = str(getattr(encoding, "value", encoding))
        if server.position_encoding not in ENCODINGS:
            server.position_encoding = UTF16
        server.init_options = params.initialization_options
        server.settings = EditorSettings.from_raw(_unwrap(params.initialization_options))
        server.apply_log_level()
        info = params.client_info
        log.info(
            "hasten %s serving %s (positions in %s)",
            server.version, f"{info.name} {info.version or ''}".strip() if info else "an unnamed client", server.position_encoding,
        )

    @server.handler(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        if server.settings.problems:
            server.report(server.settings.problems)
        caps = server.protocol.client_capabilities
        dynamic = caps and caps.workspace and caps.workspace.did_change_configuration and caps.workspace.did_change_configuration.dynamic_registration
        if dynamic:
            try:
                await asyncio.wait_for(
                    server.client_register_capability_async(
                        types.RegistrationParams(registrations=[types.Registration(id=str(uuid.uuid4()), method=types.WORKSPACE_DID_CHANGE_CONFIGURATION, register_options={"section": SECTION})])
                    ),
                    timeout=10,
                )
            except Exception as exc:  # noqa: BLE001
                log.debug("could not register for configuration changes: %s", exc)
        if await pull_configuration(server) and server.diagnostics is not None:
            server.diagnostics.refresh_all()

    @server.handler(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        if _supports_configuration(server):
            changed = await pull_configuration(server)
        else:
            raw = params.settings
            if isinstance(raw, dict) and SECTION in raw:
                raw = raw[SECTION]
            server.client_settings = raw
            changed = apply_settings(server, server.init_options, raw)
        if server.diagnostics is not None:
            # pyproject.toml may have changed as well: re-read it even when the editor's did not.
            server.diagnostics.refresh_all()
        log.info("settings %s", "changed" if changed else "unchanged")
