"""LSP handlers: plain functions ``fn(server, params)`` (commands: ``fn(server, *arguments)``), one
module per concern, all registered here.

To add one, write the function in the module of its concern and add a row to ``FEATURES`` (an LSP
method, its options, the function) or ``COMMANDS``. A feature handler that raises is logged and
answered with null; it never reaches the client as an error. A command that raises answers with
that error (its message says what was wrong with the arguments). Commands are listed in
``executeCommandProvider`` automatically.

Handlers find the server's state on the server object (``server/lsp/server.py`` declares it all):
``server.documents`` (the open documents' text), ``server.scheduler`` (``snapshot(doc)``, the
analysis of exactly the current text or None; ``await current(doc)`` waits for it;
``config_for(doc)``), ``server.session`` (client features, position encoding, typed settings) and
``server.worker`` (``submit(fn, *args)`` runs on the analysis thread; wrap with
``asyncio.wrap_future``). Conversions between findings and LSP objects are in ``conversions.py``.

Extensions, also registered here: code action providers ``fn(server, doc, diagnostic, params)``
and hover providers ``fn(server, doc, offset, snapshot)`` (each may return a coroutine), and
subscribers to the scheduler's events ``saved`` ``(server, doc)``, ``analysed`` ``(server, doc,
snapshot)`` and ``stopping`` ``(server,)``.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types

from hasten.server.lsp.handlers import code_actions, commands, diagnostics, documents, hover, metrics, profile, settings, verify

if TYPE_CHECKING:
    from hasten.server.lsp.server import HastenServer

FEATURES: list[tuple[str, Any, Callable[..., Any]]] = [
    (types.INITIALIZE, None, settings.initialize),
    (types.INITIALIZED, None, settings.initialized),
    (types.WORKSPACE_DID_CHANGE_CONFIGURATION, None, settings.did_change_configuration),
    (types.TEXT_DOCUMENT_DID_OPEN, None, documents.did_open),
    (types.TEXT_DOCUMENT_DID_CHANGE, None, documents.did_change),
    (types.TEXT_DOCUMENT_DID_SAVE, None, documents.did_save),
    (types.TEXT_DOCUMENT_DID_CLOSE, None, documents.did_close),
    ("hasten/documentState", None, documents.document_state),
    (types.TEXT_DOCUMENT_DIAGNOSTIC, diagnostics.OPTIONS, diagnostics.pull_diagnostics),
    (types.TEXT_DOCUMENT_CODE_ACTION, code_actions.OPTIONS, code_actions.code_action),
    (types.CODE_ACTION_RESOLVE, None, code_actions.resolve),
    (types.TEXT_DOCUMENT_HOVER, None, hover.hover),
    (types.TEXT_DOCUMENT_CODE_LENS, metrics.OPTIONS, metrics.code_lens),
]

COMMANDS: list[tuple[str, Callable[..., Any]]] = [
    (commands.FIX_ALL, commands.fix_all),
    (metrics.SHOW_GROWTH, metrics.show_growth),
    (verify.VERIFY_FIX, verify.verify_command),
    (profile.PROFILE, profile.profile_command),
]


def register(server: "HastenServer") -> None:
    from hasten.server.lsp.server import guard

    for method, options, fn in FEATURES:
        server.feature(method, options)(guard(_bound(server, fn)))
    for name, fn in COMMANDS:
        server.command(name)(_bound(server, fn))  # a command's error is its answer
    server.code_action_providers.append(verify.code_actions)
    server.hover_providers.extend([profile.hover_section, metrics.hover_section, verify.hover_section])
    server.scheduler.saved.subscribe(verify.on_saved)
    server.scheduler.analysed.subscribe(metrics.refresh_lenses)
    server.scheduler.stopping.subscribe(verify.on_stopping)
    server.scheduler.stopping.subscribe(profile.on_stopping)


def _bound(server: "HastenServer", fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with the server as its first argument, keeping whether it is a coroutine function."""
    if inspect.iscoroutinefunction(fn):

        async def handler(*args):
            return await fn(server, *args)

    else:

        def handler(*args):
            return fn(server, *args)

    handler.__name__ = fn.__name__
    handler.__qualname__ = fn.__qualname__
    handler.__doc__ = fn.__doc__
    return handler
