"""Score functions with the committed ONNX model: lazy load, batching, a cache per function text.

Needs only onnxruntime and numpy (and the shared feature path). Never imports torch or
transformers. If the model or its vocabulary is missing or fails to load, ``load_scorer`` logs
that once and returns None; callers then run on rules alone.

The model ranks and points; it never writes a fix.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from hasten.analyzers.finding import Finding, Severity
from hasten.analyzers.source import Source
from hasten.model.features import BLOCK_TOKENS, CATEGORY_RULE, CATEGORY_TEXT, Unit, Vocab, batch_arrays, extract_units, windows

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent
MODEL_FILE = MODEL_DIR / "hasten-student.onnx"
VOCAB_FILE = MODEL_DIR / "hasten-vocab.json"

CODE = "HS900"
NAME = "likely-inefficient"
DEFAULT_THRESHOLD = 0.8
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


# -- loading ---------------------------------------------------------------------------------

_loaded: dict[tuple[str, str], Scorer | None] = {}
_load_lock = threading.Lock()


def load_scorer(model_path: str | Path | None = None, vocab_path: str | Path | None = None) -> Scorer | None:
    """The scorer for these files, loaded once per process; None (logged once) when unavailable."""
    model_path = Path(model_path) if model_path else MODEL_FILE
    vocab_path = Path(vocab_path) if vocab_path else model_path.with_name(VOCAB_FILE.name)
    key = (str(model_path), str(vocab_path))
    with _load_lock:
        if key in _loaded:
            return _loaded[key]
        scorer: Scorer | None = None
        if not model_path.is_file():
            log.warning("hasten model not found at %s; running on rules alone", model_path)
        elif not vocab_path.is_file():
            log.warning("hasten model vocabulary not found at %s; running on rules alone", vocab_path)
        else:
            try:
                scorer = Scorer(model_path, vocab_path)
                log.info("hasten model loaded from %s in %.2fs", model_path, scorer.load_seconds)
            except Exception as exc:  # a corrupt file must not take the server down
                log.warning("hasten model at %s failed to load (%s); running on rules alone", model_path, exc)
        _loaded[key] = scorer
        return scorer


def reset_loaded() -> None:
    """Forget loaded scorers (tests)."""
    global _background
    with _load_lock:
        _loaded.clear()
        _background = None


# -- findings --------------------------------------------------------------------------------


def _covered_lines(source: Source, findings: Iterable[Finding]) -> set[int]:
    lines: set[int] = set()
    for f in findings:
        a = source.line_of_byte(f.start) + 1
        b = source.line_of_byte(max(f.end - 1, f.start)) + 1
        lines.update(range(a, b + 1))
    return lines


def model_findings(
    source: Source,
    scores: Sequence[FunctionScore],
    existing_findings: Iterable[Finding] = (),
    threshold: float = DEFAULT_THRESHOLD,
    severity: Severity = Severity.INFORMATION,
) -> list[Finding]:
    """HS900 findings for units scoring at least ``threshold``, on the lines the model points
    at, skipping lines a rule finding already covers. One finding per line at most: when an
    outer and a nested function point at the same line, the higher score wins."""
    covered = _covered_lines(source, [f for f in existing_findings if f.code != CODE])
    by_line: dict[int, tuple[FunctionScore, list[int]]] = {}
    for s in scores:
        if s.score < threshold:
            continue
        if not s.top_lines or s.top_lines[0] in covered:
            continue  # the line that drove the score is already explained by a rule
        lines = [ln for ln in s.top_lines if ln not in covered and _code_line(source, ln)]
        if not lines:
            continue
        line = lines[0]
        prev = by_line.get(line)
        if prev is None or s.score > prev[0].score:
            by_line[line] = (s, lines)
    out = []
    for line, (s, lines) in sorted(by_line.items()):
        start = source.line_starts[line - 1]
        text = source.line_text(line - 1)
        indent = len(text) - len(text.lstrip())
        start += len(text[:indent].encode("utf-8"))
        end = source.line_end(line - 1)
        if end <= start:
            end = start
        cat, prob = _named_kind(s.categories)
        message = _message(s, cat, line)
        out.append(
            Finding(
                code=CODE,
                name=NAME,
                message=message,
                start=start,
                end=end,
                severity=severity,
                fix=None,
                extra={
                    "score": round(s.score, 4),
                    "category": cat,
                    "category_probability": round(prob, 4),
                    "categories": {n: round(p, 4) for n, p in s.categories},
                    "lines": [line],
                    "qualname": s.qualname,
                    "rule": CATEGORY_RULE.get(cat),
                },
            )
        )
    return out


def _named_kind(categories: Sequence[tuple[str, float]]) -> tuple[str, float]:
    """The most likely kind of cost other than "none" (a finding is only made for a unit the
    model scores as slow, so it names the likeliest cost even when "none" ranks first)."""
    for name, p in categories:
        if name != "none" and name in CATEGORY_TEXT:
            return name, p
    return categories[0] if categories else ("none", 0.0)


def _message(s: FunctionScore, cat: str, line: int) -> str:
    what = CATEGORY_TEXT.get(cat, cat)
    where = f"`{s.qualname}`" if s.kind == "function" else "the module-level code"
    text = f"Likely slow: {what} (line {line} of {where}; model score {s.score:.0%})"
    rule = CATEGORY_RULE.get(cat)
    if rule is not None:
        text += f"; `hasten rule {rule}` shows the rewrite"
    else:
        text += "; no rule has a rewrite for it, so review it by hand"
    return text


def _code_line(source: Source, line: int) -> bool:
    """A line with code on it: not blank, not a comment, not inside a docstring."""
    text = source.line_text(line - 1).strip()
    if not text or text.startswith("#"):
        return False
    return line not in _docstring_lines(source)


def _docstring_lines(source: Source) -> set[int]:
    cached = getattr(source, "_hasten_docstring_lines", None)
    if cached is not None:
        return cached
    lines: set[int] = set()
    stack = [source.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in ("module", "block", "function_definition", "class_definition", "decorated_definition"):
            first = next((c for c in node.named_children if c.type != "comment"), None)
            if first is not None and first.type == "expression_statement" and first.named_child_count == 1 and first.named_children[0].type in ("string", "concatenated_string"):
                lines.update(range(first.start_point[0] + 1, first.end_point[0] + 2))
            stack.extend(c for c in node.named_children if c.type in ("function_definition", "class_definition", "decorated_definition", "block"))
    try:
        source._hasten_docstring_lines = lines
    except AttributeError:
        pass
    return lines


# -- glue for the checker and the server ---------------------------------------------------------

_background: threading.Thread | None = None


def start_loading() -> None:
    """Load the default model in a background thread (the server calls this at start-up so the
    event loop never waits for it). Safe to call more than once."""
    global _background
    with _load_lock:
        if _background is not None or (str(MODEL_FILE), str(VOCAB_FILE)) in _loaded:
            return
        _background = threading.Thread(target=load_scorer, name="hasten-model-load", daemon=True)
        _background.start()


def current_scorer() -> Scorer | None:
    """The default scorer if it has finished loading, else None, without blocking: until the model
    is ready, rules alone run."""
    with _load_lock:
        return _loaded.get((str(MODEL_FILE), str(VOCAB_FILE)))


def findings_for(source: Source, existing: Sequence[Finding], config, scorer: Scorer | None = None) -> list[Finding]:
    """HS900 findings for a checked file, honouring ``config.model`` (enable, threshold,
    severity) and a per-code severity override. ``scorer`` defaults to the loaded default model;
    pass ``load_scorer()`` to wait for it (the CLI does), or leave it to skip while it loads."""
    model_cfg = getattr(config, "model", None)
    if model_cfg is not None and not model_cfg.enable:
        return []
    scorer = scorer if scorer is not None else current_scorer()
    if scorer is None:
        return []
    threshold = model_cfg.threshold if model_cfg is not None else DEFAULT_THRESHOLD
    severity = model_cfg.severity if model_cfg is not None else Severity.INFORMATION
    override = config.severity_for(CODE) if hasattr(config, "severity_for") else None
    if override is not None:
        severity = override
    try:
        scores = scorer.score_source(source)
    except Exception as exc:  # a scoring failure must not cost the user their rule findings
        log.warning("hasten model failed on %s (%s); rule findings only", source.path or "<buffer>", exc)
        return []
    return model_findings(source, scores, existing, threshold=threshold, severity=severity)
