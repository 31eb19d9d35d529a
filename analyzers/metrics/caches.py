"""The caches of the metrics, shared by the CLI, the rules HS501/HS502 and the server (which
computes metrics on a thread of its own, hence the lock).

* radon's figures per function, keyed by the function's text: an edit elsewhere in the file does
  not recompute them;
* the file's metrics per ``Source`` object (weakly held: they go with the source);
* the growth estimator per ``Source`` object, for the few most recent sources (the estimator holds
  its source, so a weak table would never drop an entry).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

LOCK = threading.Lock()


class LRU(Generic[K, V]):
    """A bounded table that drops the least recently used entry; every method holds ``LOCK``."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        with LOCK:
            return self._get(key)

    def put(self, key: K, value: V) -> None:
        with LOCK:
            self._put(key, value)

    def get_or_make(self, key: K, make: Callable[[], V], valid: Callable[[V], bool] = lambda _: True) -> V:
        """The entry for ``key`` if there is one and ``valid`` accepts it, else ``make()``, stored."""
        with LOCK:
            found = self._get(key)
            if found is None or not valid(found):
                found = make()
                self._put(key, found)
            return found

    def __len__(self) -> int:
        return len(self._entries)

    def _get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def _put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


class PerSource(Generic[V]):
    """A value per ``Source`` object, dropped with the source."""

    def __init__(self) -> None:
        self._table: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get(self, source) -> V | None:
        with LOCK:
            return self._table.get(source)

    def put(self, source, value: V) -> None:
        with LOCK:
            self._table[source] = value
