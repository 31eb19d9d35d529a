"""How parts of the server extend others without reaching into them: events (the scheduler's
``saved``, ``analysed``, ``stopping``) and providers (more code actions, more hover sections).
Both are registered in ``handlers/__init__.py``."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

log = logging.getLogger("hasten.server")


class Event:
    """Subscribers ``fn(server, ...)``, called in order on the event loop; one that raises is
    logged and the others still run."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscribers: list[Callable[..., Any]] = []

    def subscribe(self, fn: Callable[..., Any]) -> None:
        self._subscribers.append(fn)

    def emit(self, *args: Any) -> None:
        for fn in list(self._subscribers):
            try:
                fn(*args)
            except Exception:  # noqa: BLE001
                log.exception("%s subscriber %r failed", self.name, fn)


async def provided(providers: list[Callable[..., Any]], *args: Any) -> list[Any]:
    """What each provider returns for ``args`` (awaited when it is a coroutine), in order; a
    provider that raises is logged and skipped."""
    out = []
    for provider in list(providers):
        try:
            result = provider(*args)
            if asyncio.iscoroutine(result):
                result = await result
        except Exception:  # noqa: BLE001
            log.exception("provider %r failed", provider)
            continue
        out.append(result)
    return out
