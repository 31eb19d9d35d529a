"""Score functions with the committed ONNX model: batching and a cache per function text.

Needs only onnxruntime and numpy (and the shared feature path). Never imports torch or
transformers. ``Scorer`` implements ``hasten.analyzers.scoring.Scorer``; ``hasten.model.loader``
loads it (once per process) and the front ends pass it to the checker.

The model ranks and points; it never writes a fix.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from hasten.analyzers.source import Source
from hasten.model.features import BLOCK_TOKENS, Unit, Vocab, batch_arrays, extract_units, windows

log = logging.getLogger(__name__)

MAX_TOP_LINES = 3


@dataclass
class FunctionScore:
    qualname: str
    start_line: int  # 1-based
    end_line: int  # 1-based, inclusive
    start_byte: int
    end_byte: int
    score: float
    categories: list[tuple[str, float]]  # most likely first
    top_lines: list[int]  # 1-based, most salient first
    kind: str = "function"
    line_scores: dict[int, float] = field(default_factory=dict, repr=False)

    @property
    def category(self) -> str:
        return self.categories[0][0]

    def to_json(self) -> dict:
        return {
            "qualname": self.qualname,
            "kind": self.kind,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "score": round(self.score, 4),
            "categories": [{"name": n, "probability": round(p, 4)} for n, p in self.categories],
            "top_lines": self.top_lines,
        }


@dataclass(frozen=True)
class _Cached:
    """A unit's result with lines relative to its first line, so moving the function keeps it."""

    score: float
    categories: tuple[float, ...]
    line_scores: tuple[tuple[int, float], ...]


class Scorer:
    """An ONNX session plus vocabulary. Thread-safe; ``score_*`` may run off the event loop."""

    def __init__(self, model_path: Path, vocab_path: Path, *, batch_size: int = 16, cache_size: int = 4096):
        import onnxruntime as ort

        started = time.perf_counter()
        self.vocab = Vocab.load(vocab_path)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self.model_path = Path(model_path)
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._lock = threading.Lock()
        self.load_seconds = time.perf_counter() - started
        self.units_scored = 0  # units that missed the cache and went through the model

    # -- scoring ----------------------------------------------------------------------------

    def score_source(self, source: Source, include_module: bool = True) -> list[FunctionScore]:
        return self.score_units(extract_units(source, include_module=include_module))

    def score_units(self, units: Sequence[Unit]) -> list[FunctionScore]:
        results: list[_Cached | None] = []
        missing: dict[str, Unit] = {}
        with self._lock:
            for u in units:
                hit = self._cache.get(u.text)
                if hit is not None:
                    self._cache.move_to_end(u.text)
                elif u.tokens:
                    missing.setdefault(u.text, u)
                results.append(hit)
        if missing:
            computed = self._run(list(missing.values()))
            with self._lock:
                for key, value in computed.items():
                    self._cache[key] = value
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        out = []
        for u, cached in zip(units, results):
            if cached is None:
                cached = computed.get(u.text) if missing else None
            if cached is None:
                continue
            out.append(_to_score(u, cached, self.vocab.categories))
        return out

    def file_score(self, scores: Sequence["FunctionScore"]) -> float:
        """The model's score for a whole file from its unit scores: the learned aggregate when the
        model has one, else the highest unit score."""
        return file_score(scores, self.vocab.aggregate)

    def _run(self, units: list[Unit]) -> dict[str, _Cached]:
        items = []  # (unit index, window)
        for i, u in enumerate(units):
            for w in windows(u, self.vocab):
                items.append((i, w))
        # Sort by length so each batch pads little.
        items.sort(key=lambda iw: len(iw[1].ids))
        per_unit: dict[int, list[tuple[float, np.ndarray, list[int], np.ndarray, list[int]]]] = {}
        for start in range(0, len(items), self.batch_size):
            chunk = items[start : start + self.batch_size]
            ids, depths, mask = batch_arrays([w for _, w in chunk])
            score, cats, tags = self.session.run(
                None, {"input_ids": ids, "depth_ids": depths, "attention_mask": mask}
            )
            for r, (i, w) in enumerate(chunk):
                per_unit.setdefault(i, []).append((float(score[r]), cats[r], w.lines, tags[r, : len(w.ids)], w.ids))
        self.units_scored += len(units)
        layout = {self.vocab.stoi[t] for t in BLOCK_TOKENS if t in self.vocab.stoi}
        out = {}
        for i, u in enumerate(units):
            parts = per_unit.get(i, [])
            if not parts:
                continue
            best = max(parts, key=lambda p: p[0])
            lines: dict[int, float] = {}
            for _, _, wlines, wtags, wids in parts:
                for ln, t, tid in zip(wlines[1:], wtags[1:].tolist(), wids[1:]):
                    if tid in layout:
                        continue  # block markers sit on the line where a block ends, not on code
                    rel = ln - u.start_line
                    if t > lines.get(rel, -1.0):
                        lines[rel] = t
            out[u.text] = _Cached(best[0], tuple(float(c) for c in best[1]), tuple(sorted(lines.items())))
        return out

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()


def file_score(scores: Sequence[FunctionScore], aggregate: dict | None) -> float:
    """A file's score from its unit scores. With a learned aggregate (temperature T, count weight
    a, bias b, from the vocabulary file): sigmoid(T * log(sum exp(logit_i / T)) + a * log(n) + b);
    without one, the highest unit score."""
    if not scores:
        return 0.0
    if not aggregate:
        return max(s.score for s in scores)
    p = np.clip(np.array([s.score for s in scores], dtype=np.float64), 1e-7, 1 - 1e-7)
    logits = np.log(p) - np.log1p(-p)
    t = float(aggregate["temperature"])
    m = logits.max() / t
    lse = t * (m + np.log(np.exp(logits / t - m).sum()))
    z = lse + float(aggregate["count_weight"]) * np.log(len(scores)) + float(aggregate["bias"])
    return float(1.0 / (1.0 + np.exp(-z)))


def _to_score(unit: Unit, cached: _Cached, categories: Sequence[str]) -> FunctionScore:
    cats = sorted(zip(categories, cached.categories), key=lambda kv: -kv[1])
    line_scores = {unit.start_line + rel: s for rel, s in cached.line_scores}
    return FunctionScore(
        qualname=unit.qualname,
        start_line=unit.start_line,
        end_line=unit.end_line,
        start_byte=unit.start_byte,
        end_byte=unit.end_byte,
        score=cached.score,
        categories=[(n, float(p)) for n, p in cats],
        top_lines=_top_lines(line_scores),
        kind=unit.kind,
        line_scores=line_scores,
    )


def _top_lines(line_scores: dict[int, float]) -> list[int]:
    if not line_scores:
        return []
    ranked = sorted(line_scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best = ranked[0][1]
    keep = [ln for ln, s in ranked[:MAX_TOP_LINES] if s >= max(0.3, 0.5 * best)]
    return keep or [ranked[0][0]]
