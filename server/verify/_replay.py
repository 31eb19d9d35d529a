"""Replay recorded calls of one function on its original and rewritten versions; compare; time.

Runs as ``python _replay.py CONFIG_JSON`` inside the copy of the project that holds the original
code, under the project's interpreter. Standalone: imports nothing from hasten.

Config: {"sys_path": [...], "module": dotted name, "new_file": rewritten module file,
"qualname": ..., "calls": pickle path, "out": JSON path, "rounds": 9, "budget": seconds,
"max_inputs": 6}.

Writes {"calls": [per-call comparison], "timing": {...} | null, "error": str | null}.
"""

import gc
import importlib
import importlib.util
import json
import math
import pickle
import sys
import time


def _resolve(module, qualname):
    owner = module
    parts = qualname.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    raw = owner.__dict__[parts[-1]] if isinstance(owner, type) else getattr(owner, parts[-1])
    if isinstance(raw, staticmethod):
        raw = raw.__func__
    return getattr(raw, "__hasten_original__", raw)


def _load_new(module, path):
    spec = importlib.util.spec_from_file_location(module.__name__, path)
    new = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(new)
    return new


def _share_classes(old, new):
    # Classes defined in the module keep one identity, so isinstance checks and pickled
    # arguments see the same types on both sides. Functions stay each version's own.
    for name, value in vars(old).items():
        if isinstance(value, type) and getattr(value, "__module__", None) == old.__name__:
            new.__dict__[name] = value


def _same(a, b):
    try:
        if a is b or bool(a == b):
            return True
    except Exception:
        pass
    try:
        return pickle.dumps(a, protocol=4) == pickle.dumps(b, protocol=4)
    except Exception:
        return repr(a) == repr(b)


def _short(value, limit=300):
    try:
        text = repr(value)
    except Exception as exc:  # pragma: no cover
        text = f"<unprintable {type(value).__name__}: {exc}>"
    return text if len(text) <= limit else text[: limit - 20] + f"... ({len(text)} chars)"


def _call(fn, blob):
    args, kwargs = pickle.loads(blob)
    start = time.perf_counter()
    try:
        result = fn(*args, **kwargs)
        outcome = ("return", result)
    except Exception as exc:
        outcome = ("raise", type(exc).__qualname__, str(exc))
    return outcome, (args, kwargs), time.perf_counter() - start


def _describe(outcome):
    if outcome[0] == "raise":
        return f"raises {outcome[1]}: {outcome[2][:200]}"
    return f"returns {_short(outcome[1])}"


def _same_outcome(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == "raise":
        return a[1] == b[1] and a[2] == b[2]
    return _same(a[1], b[1])


def compare(old_fn, new_fn, calls):
    results = []
    for index, call in enumerate(calls):
        entry = {"index": index, "test": call.get("test"), "seconds": call.get("seconds", 0.0)}
        old_out, old_args, old_time = _call(old_fn, call["before"])
        new_out, new_args, new_time = _call(new_fn, call["before"])
        recorded = call["outcome"]
        reproducible = True
        if recorded[0] == "return":
            try:
                reproducible = old_out[0] == "return" and _same(pickle.loads(recorded[1]), old_out[1])
            except Exception:
                reproducible = False
        elif recorded[0] == "raise":
            reproducible = old_out[0] == "raise" and old_out[1] == recorded[1]
        if reproducible and old_out[0] == "return":
            # Run the original twice: a result that changes between runs (time, randomness,
            # hidden state) cannot be compared.
            again, _, _ = _call(old_fn, call["before"])
            reproducible = _same_outcome(old_out, again)
        entry["reproducible"] = reproducible
        entry["same_result"] = _same_outcome(old_out, new_out)
        entry["same_arguments"] = _same(old_args, new_args)
        entry["mutates_arguments"] = not _same(pickle.loads(call["before"]), old_args)
        entry["expected"] = _describe(old_out)
        entry["got"] = _describe(new_out)
        if not entry["same_arguments"]:
            entry["expected_arguments"] = _short(old_args)
            entry["got_arguments"] = _short(new_args)
        entry["old_seconds"] = old_time
        entry["new_seconds"] = new_time
        results.append(entry)
    return results


def _sample(fn, blob, batch, fresh):
    if fresh:
        copies = [pickle.loads(blob) for _ in range(batch)]
    else:
        copies = [pickle.loads(blob)] * batch
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
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


def timing(old_fn, new_fn, calls, compared, rounds, budget, max_inputs):
    usable = [c for c, r in zip(calls, compared) if r["same_result"] and r["same_arguments"]]
    stats = [r for r in compared if r["same_result"] and r["same_arguments"]]
    if not usable:
        return None
    order = sorted(range(len(usable)), key=lambda i: -max(stats[i]["old_seconds"], stats[i]["new_seconds"]))[:max_inputs]
    plans = []
    for i in order:
        single = max(stats[i]["old_seconds"], stats[i]["new_seconds"], 1e-7)
        # Each sample lasts about a millisecond at least, far above the timer's resolution.
        batch = 1 if single >= 1e-3 else min(5000, int(1e-3 / single) + 1)
        plans.append((usable[i], batch, stats[i]["mutates_arguments"]))
    per_round_cost = sum(3 * batch * max(stats[i]["old_seconds"], stats[i]["new_seconds"], 1e-7) for i, (_, batch, _) in zip(order, plans))
    rounds = max(3, min(rounds, int(budget / max(per_round_cost, 1e-9)))) if per_round_cost * 3 < budget else 3
    old_times = [[] for _ in plans]
    new_times = [[] for _ in plans]
    # A control: the original timed a second time in every round. How far the original's two
    # series disagree is the noise of this machine right now, and raises the noise floor.
    control_times = [[] for _ in plans]
    for r in range(rounds):
        for k, (call, batch, fresh) in enumerate(plans):
            trio = [(old_fn, old_times), (new_fn, new_times), (old_fn, control_times)]
            shift = (r + k) % 3
            for fn, sink in trio[shift:] + trio[:shift]:
                sink[k].append(_sample(fn, call["before"], batch, fresh))
    old_min = [min(t) for t in old_times]
    new_min = [min(t) for t in new_times]
    per_input = [o / n if n > 0 else float("inf") for o, n in zip(old_min, new_min)]
    round_ratios = []
    for r in range(rounds):
        o = sum(old_times[k][r] for k in range(len(plans)))
        n = sum(new_times[k][r] for k in range(len(plans)))
        round_ratios.append(o / n if n > 0 else float("inf"))
    total_old = sum(old_min)
    total_new = sum(new_min)
    # The lower quartile per input: nearly as robust to preemption as the minimum, but not one
    # lucky sample.
    old_q1 = sum(sorted(t)[len(t) // 4] for t in old_times)
    new_q1 = sum(sorted(t)[len(t) // 4] for t in new_times)
    return {
        "rounds": rounds,
        "inputs": len(plans),
        "batches": [b for _, b, _ in plans],
        "old_min_seconds": old_min,
        "new_min_seconds": new_min,
        "per_input_ratio": per_input,
        "round_ratios": round_ratios,
        "ratio": total_old / total_new if total_new > 0 else float("inf"),
        "q1_ratio": old_q1 / new_q1 if new_q1 > 0 else float("inf"),
        "control_ratio": total_old / sum(min(t) for t in control_times) if sum(min(t) for t in control_times) > 0 else 1.0,
        "geomean_ratio": math.exp(sum(math.log(max(x, 1e-12)) for x in per_input) / len(per_input)),
        "slowest_call_seconds": max(max(old_min), max(new_min)),
        "fastest_call_seconds": min(min(old_min), min(new_min)),
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        config = json.load(handle)
    sys.path[:] = config["sys_path"]
    out = {"calls": [], "timing": None, "error": None}
    try:
        with open(config["calls"], "rb") as handle:
            calls = pickle.load(handle)
        old_module = importlib.import_module(config["module"])
        new_module = _load_new(old_module, config["new_file"])
        old_fn = _resolve(old_module, config["qualname"])
        # Resolve the new function before the classes are shared: a method must come from the
        # rewritten class, not from the original one that replaces it in the module.
        new_fn = _resolve(new_module, config["qualname"])
        _share_classes(old_module, new_module)
        out["calls"] = compare(old_fn, new_fn, calls)
        if config.get("time", True):
            out["timing"] = timing(old_fn, new_fn, calls, out["calls"], int(config.get("rounds", 9)), float(config.get("budget", 20.0)), int(config.get("max_inputs", 6)))
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    with open(config["out"], "w", encoding="utf-8") as handle:
        json.dump(out, handle)


if __name__ == "__main__":
    main()
