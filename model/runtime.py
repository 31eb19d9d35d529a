"""Score functions with the committed ONNX model: batching and a bounded cache per function text.

Needs only onnxruntime and numpy (and the shared feature path). Never imports torch or
transformers. ``Scorer`` implements ``hasten.analyzers.scoring.Scorer``; ``hasten.model.loader``
loads it (once per process) and the front ends pass it to the checker.

The model ranks and points; it never writes a fix.
"""

from __future__ import annotations

import hashlib
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
# Units of fewer tokens (a one-line function: `def add(a, b): return a + b` is 14) are not scored:
# too small to hold an inefficiency worth the model's time.
MIN_TOKENS = 12


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


def _key(text: str) -> bytes:
    """The cache key of a unit: a digest of its text, so a large unit (a file's module-level code)
    is not kept in memory as a key."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _size(value: _Cached) -> int:
    """Roughly the bytes an entry holds (key, floats, line pairs): enough to bound the cache."""
    return 200 + 8 * len(value.categories) + 72 * len(value.line_scores)


class Scorer:
    """An ONNX session plus vocabulary. Thread-safe; ``score_*`` may run off the event loop.

    Results are cached per unit text (keyed by a digest), least recently used first out, bounded
    both in entries (``cache_size``) and in bytes (``cache_bytes``): editing one function scores
    only that function again, and a session of edits does not grow the memory."""

    def __init__(self, model_path: Path, vocab_path: Path, *, batch_size: int = 16, batch_tokens: int = 512,
                 cache_size: int = 4096, cache_bytes: int = 8 * 2**20):
        import onnxruntime as ort

        started = time.perf_counter()
        self.vocab = Vocab.load(vocab_path)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # one unit batch is small; threads would only contend
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # No arena and no memory pattern: batches vary in shape, and an arena keeps the largest
        # batch's buffers for the life of the process.
        opts.enable_cpu_mem_arena = False
        opts.enable_mem_pattern = False
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self.model_path = Path(model_path)
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.cache_size = cache_size
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[bytes, _Cached] = OrderedDict()
        self._cached_bytes = 0
        self._short: OrderedDict[bytes, None] = OrderedDict()  # texts of units under MIN_TOKENS
        self._lock = threading.Lock()
        self.load_seconds = time.perf_counter() - started
        self.units_scored = 0  # units that missed the cache and went through the model

    # -- scoring ----------------------------------------------------------------------------

    def score_source(self, source: Source, include_module: bool = True) -> list[FunctionScore]:
        # Units come without tokens: only those the cache does not hold are tokenized (on an
        # edit, the changed ones), so a keystroke does not rebuild every function's tokens.
        return self.score_units(extract_units(source, include_module=include_module, tokens=False))

    def score_units(self, units: Sequence[Unit]) -> list[FunctionScore]:
        """Scores of the units of at least ``MIN_TOKENS`` tokens; a unit's text is looked up in the
        cache before it is tokenized (``Unit.ensure_tokens``)."""
        results: list[_Cached | None] = []
        keys = [_key(u.text) for u in units]
        missing: dict[bytes, Unit] = {}
        with self._lock:
            for key in keys:
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                results.append(hit)
            short = {key for key in keys if key in self._short}
        for u, key, hit in zip(units, keys, results):
            if hit is not None or key in missing or key in short:
                continue
            if len(u.ensure_tokens().tokens) >= MIN_TOKENS:
                missing[key] = u
            else:
                short.add(key)
                with self._lock:
                    self._short[key] = None
                    while len(self._short) > self.cache_size:
                        self._short.popitem(last=False)
        computed: dict[bytes, _Cached] = {}
        if missing:
            computed = self._run(list(missing.items()))
            with self._lock:
                for key, value in computed.items():
                    old = self._cache.pop(key, None)
                    if old is not None:
                        self._cached_bytes -= _size(old)
                    self._cache[key] = value
                    self._cached_bytes += _size(value)
                while self._cache and (len(self._cache) > self.cache_size or self._cached_bytes > self.cache_bytes):
                    _, dropped = self._cache.popitem(last=False)
                    self._cached_bytes -= _size(dropped)
        out = []
        for u, key, cached in zip(units, keys, results):
            if cached is None:
                cached = computed.get(key)
            if cached is None:
                continue
            out.append(_to_score(u, cached, self.vocab.categories))
        return out

    def file_score(self, scores: Sequence["FunctionScore"]) -> float:
        """The model's score for a whole file from its unit scores: the learned aggregate when the
        model has one, else the highest unit score."""
        return file_score(scores, self.vocab.aggregate)

    def _run(self, keyed: list[tuple[bytes, Unit]]) -> dict[bytes, _Cached]:
        units = [u for _, u in keyed]
        items = []  # (unit index, window)
        for i, u in enumerate(units):
            for w in windows(u, self.vocab):
                items.append((i, w))
        # Sort by length so each batch pads little.
        items.sort(key=lambda iw: len(iw[1].ids))
        layout = {self.vocab.stoi[t] for t in BLOCK_TOKENS if t in self.vocab.stoi}
        # Per unit: the best window's score and categories, and the highest tag per line, folded
        # in as each batch comes back (keeping the batches' arrays until the end raised the peak).
        best: dict[int, tuple[float, tuple[float, ...]]] = {}
        line_tags: dict[int, dict[int, float]] = {}
        for chunk in self._batches(items):
            ids, depths, mask = batch_arrays([w for _, w in chunk])
            score, cats, tags = self.session.run(
                None, {"input_ids": ids, "depth_ids": depths, "attention_mask": mask}
            )
            for r, (i, w) in enumerate(chunk):
                value = float(score[r])
                if i not in best or value > best[i][0]:
                    best[i] = (value, tuple(float(c) for c in cats[r]))
                lines = line_tags.setdefault(i, {})
                start = units[i].start_line
                for ln, t, tid in zip(w.lines[1:], tags[r, 1 : len(w.ids)].tolist(), w.ids[1:]):
                    if tid in layout:
                        continue  # block markers sit on the line where a block ends, not on code
                    rel = ln - start
                    if t > lines.get(rel, -1.0):
                        lines[rel] = t
            del score, cats, tags
        self.units_scored += len(units)
        out = {}
        for i, (value, categories) in best.items():
            out[keyed[i][0]] = _Cached(value, categories, tuple(sorted(line_tags[i].items())))
        return out

    def _batches(self, items: list) -> list[list]:
        """Consecutive runs of the length-sorted windows: at most ``batch_size`` windows and
        ``batch_tokens`` padded tokens each, so many short functions go in one run while a batch of
        long windows stays small (the attention's buffers grow with the batch times the square of
        its length: that sets the peak memory)."""
        batches: list[list] = []
        chunk: list = []
        for item in items:
            longest = len(item[1].ids)  # sorted: the newest window is the longest
            if chunk and (len(chunk) >= self.batch_size or (len(chunk) + 1) * longest > self.batch_tokens):
                batches.append(chunk)
                chunk = []
            chunk.append(item)
        if chunk:
            batches.append(chunk)
        return batches

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
            self._short.clear()
            self._cached_bytes = 0


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
