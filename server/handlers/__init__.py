"""LSP handlers, one module per concern. Each module has ``register(server)``.

``hasten.server.server.HANDLERS`` lists the modules in registration order. To add a handler
module (e.g. ``metrics.py`` for code lenses, ``verify.py`` for ``hasten.verifyFix``), write
``server/handlers/<name>.py`` with ``register(server)`` and add ``"<name>"`` to ``HANDLERS``
(``metrics`` and ``verify`` are listed already: a listed module that does not exist is skipped).

Inside ``register(server)``:

* ``@server.handler(method, options)`` registers an LSP method like pygls' ``@server.feature``,
  but an exception is logged and answered with null instead of reaching the client as an error.
  ``@server.command(name)`` registers a command (listed in ``executeCommandProvider``
  automatically); take ``*args`` to receive the raw JSON arguments.
* Documents: ``server.documents.get(uri)`` returns a ``documents.Document`` or None. Its ``text``,
  ``data`` (UTF-8 bytes), ``version`` and ``path`` are the client's current text;
  ``offset_at(line, character, server.position_encoding)`` / ``position_at(offset, ...)`` convert
  positions exactly. ``doc.current_snapshot()`` is the analysis of exactly that text, or None while
  one is pending; ``await server.diagnostics.current(doc)`` waits for it. A ``Snapshot`` has
  ``source`` (an ``analyzers.source.Source``: text, tree, byte offsets), ``findings`` (byte
  offsets, ``Finding.fix`` with byte edits), ``version``, ``revision``, ``config`` (the effective
  ``analyzers.config.Config``: pyproject merged with the editor's settings) and ``enabled``.
  ``server.settings`` is the typed ``EditorSettings``; ``server.config_for(doc)`` gives
  ``(Config, enabled)``.
* Diagnostic.data (for verify): ``{"code", "name", "uri", "version", "revision", "fix": {"title",
  "applicability", "edits": [{"range", "newText"}]} | None, "extra"?}``; the edits are LSP ranges
  against ``version``. To get the byte-level finding back: ``code_actions.finding_for(server, doc,
  snap, diagnostic)``.
* Extension points, lists on the server object:

  - ``server.code_action_providers.append(fn)``: ``fn(server, doc, diagnostic, params)`` is
    called for each hasten diagnostic in a codeAction request and returns an iterable of
    ``CodeAction`` (or a coroutine of one). Actions are filtered by ``context.only`` on their kind.
  - ``server.hover_providers.append(fn)``: ``fn(server, doc, offset, snapshot)`` returns a Markdown
    section (str) or None; sections follow the rule documentation, separated by rules.
  - ``server.analysis_listeners.append(fn)``: ``fn(server, doc, snapshot)`` runs on the event loop
    after each analysis that matches the current text (e.g. to send ``workspace/codeLens/refresh``).

  A provider that raises is logged and skipped.
* Long work goes off the event loop: ``server.worker.submit(fn, *args)`` runs on the analysis
  thread (serialised with parsing; wrap with ``asyncio.wrap_future``), or use your own executor
  for work that may block for long (test runs).
"""
