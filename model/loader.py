"""The one model loader: the bundled model (or another file) loaded once per process.

Light on purpose: importing this module imports neither numpy nor onnxruntime, so the CLI and the
language server start fast; ``hasten.model.runtime`` is imported when a model is loaded. If the
model or its vocabulary is missing or fails to load, that is logged once and the scorer is None:
callers then run on rules alone.

* ``load_scorer()`` loads and waits (the CLI, ``hasten score``).
* ``ready_scorer()`` never waits: the scorer if it has loaded, else None, starting the load on a
  background thread the first time (the language server, whose event loop must never block);
  ``when_ready(callback)`` hears when that load ends, so the server can publish the model's
  findings for the open documents without waiting for an edit.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hasten.model.runtime import Scorer

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent
MODEL_FILE = MODEL_DIR / "hasten-student.onnx"
VOCAB_FILE = MODEL_DIR / "hasten-vocab.json"

_loaded: dict[tuple[str, str], "Scorer | None"] = {}
_lock = threading.Lock()
_background: threading.Thread | None = None
_on_ready: list = []  # callbacks for ready_scorer's load, each called once with the scorer (or None)


def load_scorer(model_path: str | Path | None = None, vocab_path: str | Path | None = None) -> "Scorer | None":
    """The scorer for these files, loaded once per process; None (logged once) when unavailable."""
    model_path = Path(model_path) if model_path else MODEL_FILE
    vocab_path = Path(vocab_path) if vocab_path else model_path.with_name(VOCAB_FILE.name)
    key = (str(model_path), str(vocab_path))
    with _lock:
        if key in _loaded:
            return _loaded[key]
        scorer = None
        if not model_path.is_file():
            log.warning("hasten model not found at %s; running on rules alone", model_path)
        elif not vocab_path.is_file():
            log.warning("hasten model vocabulary not found at %s; running on rules alone", vocab_path)
        else:
            try:
                from hasten.model.runtime import Scorer

                scorer = Scorer(model_path, vocab_path)
                log.info("hasten model loaded from %s in %.2fs", model_path, scorer.load_seconds)
            except Exception as exc:  # a corrupt file must not take the server down
                log.warning("hasten model at %s failed to load (%s); running on rules alone", model_path, exc)
        _loaded[key] = scorer
        return scorer


def ready_scorer() -> "Scorer | None":
    """The bundled model's scorer if it has finished loading, else None, without blocking; the
    first call starts the load on a daemon thread."""
    global _background
    with _lock:
        key = (str(MODEL_FILE), str(VOCAB_FILE))
        if key in _loaded:
            return _loaded[key]
        if _background is None:
            _background = threading.Thread(target=_load_quietly, name="hasten-model-load", daemon=True)
            _background.start()
        return None


def when_ready(callback) -> None:
    """Call ``callback(scorer)`` once the bundled model's background load has ended (``scorer`` is
    None when it failed); at once when it already has. It runs on the loading thread: a callback
    that touches an event loop must hand over with ``call_soon_threadsafe``."""
    with _lock:
        key = (str(MODEL_FILE), str(VOCAB_FILE))
        if key not in _loaded:
            _on_ready.append(callback)
            return
        scorer = _loaded[key]
    callback(scorer)


def _load_quietly() -> None:
    scorer = None
    try:
        scorer = load_scorer()
    except Exception:  # load_scorer logs its own failures; this is a bug in it
        log.exception("the model could not be loaded; rules alone run")
    with _lock:
        callbacks = list(_on_ready)
        _on_ready.clear()
    for callback in callbacks:
        try:
            callback(scorer)
        except Exception:  # noqa: BLE001 - one subscriber must not stop the others
            log.exception("a model-ready callback failed")


def reset_loaded() -> None:
    """Forget loaded scorers (tests)."""
    global _background
    with _lock:
        _loaded.clear()
        _on_ready.clear()
        _background = None
