"""The replay's scale check: the largest recorded input grown 10× and 100× (resampled or repeated
in blocks), and both versions timed on it.

Standalone, like ``_replay.py``: imports nothing from hasten in a verification run.
"""

import pickle
import random
import time

try:  # in a verification run: the copies beside the replay script (see session.HELPERS)
    from hasten_verify_replay_compare import _call, _describe, _guarded, _same_outcome
    from hasten_verify_replay_timing import SAMPLE_SECONDS, _sample, _subsamples, _summary, calibrate, paired_rounds
except ImportError:  # in hasten's own source tree
    from hasten.server.verify._replay_compare import _call, _describe, _guarded, _same_outcome
    from hasten.server.verify._replay_timing import SAMPLE_SECONDS, _sample, _subsamples, _summary, calibrate, paired_rounds


# -- scale ------------------------------------------------------------------------------------

REACHES = 0.25  # a grown input reaches the work when the original's time grows at least as size^0.25
DOES_NOT_APPLY = "does not apply"


def _secs(value):
    return f"{value * 1e3:.1f} ms" if value >= 1e-3 else f"{value * 1e6:.1f} µs"

def _span(values):
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numbers:
        return 0
    span = max(numbers) - min(numbers)
    return (span + 1) if isinstance(span, int) else (span or 1.0)


def _shift(value, offset, suffix):
    """A copy of ``value`` moved out of the way of the original block: numbers by ``offset``,
    strings as they are (a repeated word is still a word), containers element by element."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value + offset
    if isinstance(value, list):
        return [_shift(v, offset, suffix) for v in value]
    if isinstance(value, tuple) and type(value) is tuple:
        return tuple(_shift(v, offset, suffix) for v in value)
    return value


def grow(value, factor, mode, rng):
    """``value`` made ``factor`` times larger, or None when it is not a size-bearing value.

    ``resample``: new elements drawn from the observed range (numbers), alphabet (strings) or
    elements (anything else); sorted input stays sorted. ``blocks``: the collection repeated, each
    copy's numbers moved past the previous copy's range (distinct values stay distinct, sorted
    stays sorted); a string repeated.
    Ints between 2 and 10,000 read as sizes and are multiplied."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value * factor if 2 <= value <= 10_000 else None
    if isinstance(value, str):
        if len(value) < 1:
            return None
        if mode == "blocks":
            return value * factor
        return "".join(rng.choice(value) for _ in range(len(value) * factor))
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        if len(value) < 1:
            return None
        if mode == "blocks":
            span = _span(value)
            items = []
            for j in range(factor):
                items.extend(_shift(v, span * j, j) for v in value)
        else:
            numbers = [v for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if len(numbers) == len(value) and all(isinstance(v, int) for v in numbers):
                low, high = min(numbers), max(numbers)
                items = [rng.randint(low, high) for _ in range(len(value) * factor)]
            elif len(numbers) == len(value):
                low, high = min(numbers), max(numbers)
                items = [rng.uniform(low, high) for _ in range(len(value) * factor)]
            else:
                items = [rng.choice(value) for _ in range(len(value) * factor)]
            if _is_sorted(value):
                items.sort(key=_key, reverse=_is_sorted(value) == "descending")
        return type(value)(items)
    if type(value) is dict:
        if len(value) < 1:
            return None
        keys = list(value)
        span = _span(keys)
        out = {}
        for j in range(factor):
            for k in keys:
                if isinstance(k, str):
                    nk = k if j == 0 else f"{k}_{j}"
                elif isinstance(k, (int, float)) and not isinstance(k, bool):
                    nk = k + span * j
                else:
                    return None
                out[nk] = value[k]
        return out
    if isinstance(value, (set, frozenset)):
        grown = grow(sorted(value, key=_key), factor, "blocks", rng)
        return type(value)(grown) if grown is not None else None
    return None


def _is_sorted(value):
    try:
        keys = [_key(v) for v in value]
        if len(keys) < 2:
            return False
        if keys == sorted(keys):
            return "ascending"
        if keys == sorted(keys, reverse=True):
            return "descending"
    except TypeError:
        pass
    return False


def _key(v):
    return (type(v).__name__, v) if isinstance(v, (int, float, str)) and not isinstance(v, bool) else (type(v).__name__, repr(v))


def _grown_inputs(blob, factor, rng):
    """Candidate grown inputs, most faithful first: every size-bearing argument resampled (values
    stay in the observed range, as when real data grows); then grown as blocks (distinct values
    stay distinct); then collections only (an int may be an index, not a size); then ints only."""
    args, kwargs = pickle.loads(blob)
    out = []
    for mode, kinds in (("resample", "all"), ("blocks", "all"), ("resample", "collections"), ("blocks", "ints")):
        new_args, new_kwargs, grown = [], {}, 0
        for a in args:
            g = None if (kinds == "collections" and isinstance(a, int)) or (kinds == "ints" and not isinstance(a, int)) else grow(a, factor, mode, rng)
            grown += g is not None
            new_args.append(a if g is None else g)
        for k, a in kwargs.items():
            g = None if (kinds == "collections" and isinstance(a, int)) or (kinds == "ints" and not isinstance(a, int)) else grow(a, factor, mode, rng)
            grown += g is not None
            new_kwargs[k] = a if g is None else g
        if grown:
            try:
                candidate = pickle.dumps((tuple(new_args), new_kwargs), protocol=4)
            except Exception:
                continue
            if candidate not in (c for _, c in out):
                out.append((f"{mode}/{kinds}", candidate))
    return out


def scale_check(old_fn, new_fn, calls, compared, factors, budget, deadline, floor, old_clears=(), new_clears=()):
    """Time both versions on the recorded input grown ``factors`` times (the largest recorded
    input that both versions agree on). Per factor: the growth used, both versions' times, the
    decision, or why that size was left out."""
    usable = [(c, r) for c, r in zip(calls, compared) if r["reproducible"] and r["same_result"] and r["same_arguments"]]
    if not usable:
        return []
    call, entry = max(usable, key=lambda cr: (len(cr[0]["before"]), max(cr[1]["old_seconds"], cr[1]["new_seconds"])))
    fresh = entry["mutates_arguments"]
    started = time.perf_counter()
    # The size the tests used, timed the same way: the first point of the growth curve.
    ob = calibrate(old_fn, call["before"], fresh, old_clears)
    nb = calibrate(new_fn, call["before"], fresh, new_clears)
    base_old = min(_sample(old_fn, call["before"], ob, fresh, old_clears) for _ in range(3))
    base_new = min(_sample(new_fn, call["before"], nb, fresh, new_clears) for _ in range(3))
    out = [{"factor": 1, "call": entry["index"], "old_seconds": base_old, "new_seconds": base_new}]
    rng = random.Random(0)
    mode_used = None
    for factor in factors:
        remaining = budget - (time.perf_counter() - started)
        row = {"factor": factor, "call": entry["index"]}
        out.append(row)
        if remaining <= deadline:
            row["skipped"] = "out of time"
            break
        candidates = _grown_inputs(call["before"], factor, rng)
        if mode_used is not None:  # the growth that worked at the smaller size first
            candidates.sort(key=lambda c: c[0] != mode_used)
        chosen = None
        why = "no argument can be grown"
        for mode, blob in candidates:
            old_out, _, old_time = _guarded(lambda: _call(old_fn, blob, old_clears), deadline)
            if old_out is None:
                # The original runs past the deadline here: the rewrite must finish, and well within it.
                new_out, _, new_time = _guarded(lambda: _call(new_fn, blob, new_clears), deadline)
                if new_out is None:
                    why = f"both versions take over {deadline:.0f} s"
                    continue
                news = [new_time]
                for _ in range(4):
                    _, _, t = _guarded(lambda: _call(new_fn, blob, new_clears), deadline)
                    if t is not None:
                        news.append(t)
                row.update({"growth": mode, "old_seconds": None, "old_over": deadline, "new_seconds": min(news),
                            "ratio_at_least": deadline / max(news)})
                chosen = "lower-bound"
                break
            if old_out[0] == "raise":
                why = f"the original raises on it ({old_out[1]})"
                continue
            new_out, _, new_time = _guarded(lambda: _call(new_fn, blob, new_clears), max(deadline, 20 * old_time))
            if new_out is None:
                row.update({"growth": mode, "old_seconds": old_time, "new_over": max(deadline, 20 * old_time)})
                chosen = "rewrite-late"
                break
            if not _same_outcome(old_out, new_out):
                why = f"the versions give different results on it (the original {_describe(old_out)[:80]}; the rewrite {_describe(new_out)[:80]})"
                continue
            grown_old = old_time if old_time >= SAMPLE_SECONDS else min(
                _sample(old_fn, blob, calibrate(old_fn, blob, fresh, old_clears), fresh, old_clears) for _ in range(3))
            if grown_old < base_old * factor ** REACHES:
                # The original does about the same work on the grown input as on the recorded one:
                # what was grown is not what its work depends on, or the grown input is turned away
                # early (both versions exit at the same check). Timing it says nothing about scale.
                why = (f"{DOES_NOT_APPLY}: the original takes about as long on the grown input as on the recorded one "
                       f"({_secs(base_old)} → {_secs(grown_old)}); the growth does not reach its work, or the grown input is turned away early")
                continue
            chosen = (mode, blob, old_time, new_time)
            break
        if chosen is None:
            row["skipped"] = why
            continue
        if chosen in ("lower-bound", "rewrite-late"):
            mode_used = row["growth"]
            if chosen == "lower-bound":
                continue
            break  # the rewrite is too slow here: larger sizes only get worse
        mode, blob, old_time, new_time = chosen
        mode_used = mode
        row["growth"] = mode
        plan_budget = min(remaining - deadline, max(3 * (old_time + new_time) * 9, 2.0))
        ob = 1 if old_time >= SAMPLE_SECONDS else calibrate(old_fn, blob, fresh, old_clears)
        nb = 1 if new_time >= SAMPLE_SECONDS else calibrate(new_fn, blob, fresh, new_clears)
        rounds = 9 if 3 * (old_time + new_time) * 9 < plan_budget else 6
        plan = (blob, old_fn, new_fn, ob, nb, fresh, old_clears, new_clears, _subsamples(max(old_time * ob, new_time * nb)))
        old_t, new_t, control_t, totals, decision = paired_rounds([plan], rounds, plan_budget, floor)
        row.update(_summary(old_t, new_t, control_t, totals, decision, [[ob, nb]]))
        row["old_seconds"] = row["old_min_seconds"][0]
        row["new_seconds"] = row["new_min_seconds"][0]
    return out
