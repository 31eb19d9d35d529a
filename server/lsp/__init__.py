"""The language server: ``server.py`` (the LanguageServer and its declared state), ``session.py``
(client features and typed settings), ``documents.py``, ``worker.py`` (the analysis thread),
``scheduler.py`` (analyses, snapshots, events), ``conversions.py`` (findings <-> LSP) and
``handlers/`` (plain functions, registered in ``handlers/__init__.py``)."""
