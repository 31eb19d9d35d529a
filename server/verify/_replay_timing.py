"""The replay's timing: samples of many calls, a batch per version, and paired rounds of the
original, the rewrite and the original again until the 95% interval is decided.

Standalone, like ``_replay.py``: imports nothing from hasten in a verification run but the copy of
``stats.py`` beside it.
"""

import gc
import math
import pickle
import time

try:  # in a verification run: the copy beside the replay script (see session.HELPERS)
    import hasten_verify_stats as stats
except ImportError:  # in hasten's own source tree
    from hasten.server.verify import stats

SAMPLE_SECONDS = 1e-3  # each timed sample lasts at least this long: far above the timer's resolution
MAX_BATCH = 100_000
MAX_ROUNDS = 60
SUBSAMPLES = 5  # samples per version in each round (for short samples); the round keeps the best
MIN_ROUNDS = 9  # fewer rounds give an interval from the two most extreme rounds


# -- timing ------------------------------------------------------------------------------------

def _sample(fn, blob, batch, fresh, clears=()):
    if fresh:
        copies = [pickle.loads(blob) for _ in range(batch)]
    else:
        copies = [pickle.loads(blob)] * batch
    enabled = gc.isenabled()
    gc.disable()
    try:
        if clears:
            start = time.perf_counter_ns()
            for args, kwargs in copies:
                for clear in clears:
                    clear()
                try:
                    fn(*args, **kwargs)
                except Exception:
                    pass
            elapsed = time.perf_counter_ns() - start
        else:
            start = time.perf_counter_ns()
            for args, kwargs in copies:
                try:
                    fn(*args, **kwargs)
                except Exception:
                    pass
            elapsed = time.perf_counter_ns() - start
    finally:
        if enabled:
            gc.enable()
    return elapsed / batch / 1e9


def _subsamples(sample_seconds):
    # Long samples are preempted for a small share of their time only; fewer per round will do.
    if sample_seconds < 0.02:
        return SUBSAMPLES
    return 2 if sample_seconds < 0.2 else 1


def calibrate(fn, blob, fresh, clears=(), target=SAMPLE_SECONDS):
    """The batch (calls per sample) that makes one sample last ``target`` at least, found for each
    version on its own: a fast rewrite timed at the slow original's batch would be timed alone,
    and the timer's own overhead would dominate."""
    batch = 1
    while True:
        per_call = _sample(fn, blob, batch, fresh, clears)
        if per_call * batch >= target or batch >= MAX_BATCH:
            break
        # Aim a little past the target; at most 10× per step so a warming-up call cannot mislead.
        wanted = int(target * 1.2 / max(per_call, 1e-9)) + 1
        batch = min(MAX_BATCH, max(batch * 2, min(wanted, batch * 10)))
    return batch


def paired_rounds(plans, rounds, budget, floor):
    """Alternating rounds over ``plans`` [(blob, old_fn, new_fn, old_batch, new_batch, fresh,
    old_clears, new_clears, samples per version and round)]: per round the summed per-call time of the original, the rewrite
    and the original again (the control), in rotating order. Starts with ``rounds`` and adds
    rounds while the interval straddles the margin, within ``budget`` seconds."""
    old_t, new_t, control_t = ([[] for _ in plans] for _ in range(3))
    started = time.perf_counter()
    target = max(rounds, MIN_ROUNDS)
    r = 0
    totals = [[], [], []]
    decision = None
    while True:
        while r < target:
            for k, (blob, old_fn, new_fn, ob, nb, fresh, oc, nc, subsamples) in enumerate(plans):
                trio = [(old_fn, ob, oc, old_t), (new_fn, nb, nc, new_t), (old_fn, ob, oc, control_t)]
                best = [math.inf, math.inf, math.inf]
                gc.collect()
                # The best of a few interleaved samples per version: a sample the scheduler
                # preempted (common on a loaded machine) does not become the round's value.
                for sub in range(subsamples):
                    shift = (r + k + sub) % 3
                    for j in list(range(3))[shift:] + list(range(3))[:shift]:
                        fn, batch, clears, _ = trio[j]
                        best[j] = min(best[j], _sample(fn, blob, batch, fresh, clears))
                for j, (_, _, _, sink) in enumerate(trio):
                    sink[k].append(best[j])
            r += 1
            if time.perf_counter() - started > budget and r >= stats.rounds_for_confidence():
                break
        totals = [[sum(series[k][i] for k in range(len(plans))) for i in range(r)] for series in (old_t, new_t, control_t)]
        decision = stats.decide(*totals, floor)
        elapsed = time.perf_counter() - started
        per_round = elapsed / max(r, 1)
        # Undecided, or noisy (the control strayed): more rounds narrow both intervals.
        if decision["outcome"] not in (stats.UNDECIDED, stats.NOISE) or r >= MAX_ROUNDS or elapsed + per_round * 6 > budget:
            break
        target = r + 6
    return old_t, new_t, control_t, totals, decision


def _summary(old_t, new_t, control_t, totals, decision, batches):
    old_min = [min(t) for t in old_t]
    new_min = [min(t) for t in new_t]
    control_min = [min(t) for t in control_t]
    per_input = [o / n if n > 0 else float("inf") for o, n in zip(old_min, new_min)]
    return {
        "rounds": len(totals[0]),
        "inputs": len(old_t),
        "batches": batches,
        "old_min_seconds": old_min,
        "new_min_seconds": new_min,
        "per_input_ratio": per_input,
        "round_ratios": [o / n if n > 0 else float("inf") for o, n in zip(totals[0], totals[1])],
        "old_rounds": totals[0], "new_rounds": totals[1], "control_rounds": totals[2],
        "ratio": sum(old_min) / sum(new_min) if sum(new_min) > 0 else float("inf"),
        "control_ratio": sum(old_min) / sum(control_min) if sum(control_min) > 0 else 1.0,
        "slowest_call_seconds": max(max(old_min), max(new_min)),
        "fastest_call_seconds": min(min(old_min), min(new_min)),
        "decision": {**decision, "interval": list(decision["interval"]), "control": list(decision["control"])},
    }


def timing(old_fn, new_fn, calls, compared, rounds, budget, max_inputs, floor=0.05, old_clears=(), new_clears=()):
    usable = [c for c, r in zip(calls, compared) if r["same_result"] and r["same_arguments"]]
    stats_ = [r for r in compared if r["same_result"] and r["same_arguments"]]
    if not usable:
        return None
    order = sorted(range(len(usable)), key=lambda i: -max(stats_[i]["old_seconds"], stats_[i]["new_seconds"]))[:max_inputs]
    plans = []
    batches = []
    for i in order:
        fresh = stats_[i]["mutates_arguments"]
        blob = usable[i]["before"]
        ob = calibrate(old_fn, blob, fresh, old_clears)
        nb = calibrate(new_fn, blob, fresh, new_clears)
        slowest = max(stats_[i]["old_seconds"] * ob, stats_[i]["new_seconds"] * nb)
        plans.append((blob, old_fn, new_fn, ob, nb, fresh, old_clears, new_clears, _subsamples(slowest)))
        batches.append([ob, nb])
    old_t, new_t, control_t, totals, decision = paired_rounds(plans, rounds, budget, floor)
    out = _summary(old_t, new_t, control_t, totals, decision, batches)
    out["caches_cleared"] = bool(old_clears or new_clears)
    return out
