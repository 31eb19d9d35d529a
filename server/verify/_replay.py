"""Replay recorded calls of one function on its original and rewritten versions; compare; time.

Runs as ``python _replay.py CONFIG_JSON`` inside the copy of the project that holds the original
code, under the project's interpreter. Standalone: imports nothing from hasten but the copy of
``stats.py`` that sits beside it.

Config: {"sys_path": [...], "module": dotted name, "new_file": rewritten module file,
"qualname": ..., "calls": pickle path, "out": JSON path, "rounds": 9, "budget": seconds,
"max_inputs": 6, "floor": 0.05, "scale": [10, 100], "scale_budget": seconds,
"scale_deadline": seconds per call}.

Writes {"calls": [per-call comparison], "edge_cases": [...], "timing": {...} | null,
"scale": [...], "loaded": how the rewrite was loaded, "error": str | null}.

The rewrite is not imported as a module: the original module is imported once, and only the
top-level statements the rewrite changed or added (the rewritten function, an import it needs, a
helper it defines) are executed, in a copy of the original module's namespace. Code that runs at
import time — registries, dispatch tables, plugin hooks — runs once, as in the real program.
"""

import ast
import copy
import gc
import importlib
import importlib.util
import json
import math
import os
import pickle
import random
import signal
import sys
import time
import types



def _load_stats():
    """hasten's stats.py: its copy beside this file in a verification run, or the original beside
    this file in hasten's own source tree."""
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("hasten_verify_stats.py", "stats.py"):
        path = os.path.join(here, name)
        if os.path.isfile(path):
            spec = importlib.util.spec_from_file_location("hasten_verify_stats", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise ImportError(f"hasten_verify_stats.py is missing beside {__file__}")


stats = _load_stats()

SAMPLE_SECONDS = 1e-3  # each timed sample lasts at least this long: far above the timer's resolution
MAX_BATCH = 100_000
MAX_ROUNDS = 60
SUBSAMPLES = 5  # samples per version in each round (for short samples); the round keeps the best
MIN_ROUNDS = 9  # fewer rounds give an interval from the two most extreme rounds


# -- loading the rewritten function --------------------------------------------------------------

def _resolve(module, qualname):
    owner = module
    parts = qualname.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    raw = owner.__dict__[parts[-1]] if isinstance(owner, type) else getattr(owner, parts[-1])
    if isinstance(raw, staticmethod):
        raw = raw.__func__
    return getattr(raw, "__hasten_original__", raw)


def _bound_names(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
    return names


def _find_def(body, parts):
    """The def (or class) at ``parts`` (a qualname split on dots) among ``body``; its parents."""
    chain = []
    for i, part in enumerate(parts):
        found = None
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == part:
                found = node  # the last definition wins, as at run time
        if found is None:
            return None, chain
        if i == len(parts) - 1:
            return found, chain
        chain.append(found)
        body = found.body
    return None, chain


def _changed_statements(old_tree, new_tree):
    """Top-level statements of the new module that the old one does not have, verbatim."""
    old = {}
    for node in old_tree.body:
        old.setdefault(ast.dump(node), 0)
        old[ast.dump(node)] += 1
    out = []
    for node in new_tree.body:
        key = ast.dump(node)
        if old.get(key):
            old[key] -= 1
            continue
        out.append(node)
    return out


SAFE_DECORATORS = {"staticmethod", "classmethod", "cache", "lru_cache", "functools.cache", "functools.lru_cache", "wraps", "cached_property"}


def _decorator_name(node):
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target)


def load_function_only(old_module, new_file, qualname):
    """The rewritten function, compiled into a copy of the original module's namespace; plus a
    note on how it was loaded."""
    with open(new_file, "rb") as handle:
        new_source = handle.read()
    old_file = getattr(old_module, "__file__", None)
    with open(old_file, "rb") as handle:
        old_source = handle.read()
    new_tree = ast.parse(new_source, new_file)
    old_tree = ast.parse(old_source, old_file)
    parts = qualname.split(".")
    target, chain = _find_def(new_tree.body, parts)
    if target is None or any(not isinstance(c, ast.ClassDef) for c in chain):
        raise LookupError(f"{qualname} not found in the rewritten file")
    namespace = dict(vars(old_module))
    # Statements the rewrite changed or added at the top level, except the class that holds a
    # rewritten method (its body would run again): the method alone is compiled below.
    changed = [n for n in _changed_statements(old_tree, new_tree) if not (chain and n is chain[0])]
    if not chain:
        changed = [n for n in changed if n is not target] + [target]
    for node in changed:
        module = ast.Module(body=[node], type_ignores=[])
        try:
            exec(compile(module, new_file, "exec"), namespace)
        except Exception:
            if node is not target or not target.decorator_list:
                raise
            # A decorator that registers the function (a dispatch table) refuses a second
            # registration: compile the function with the decorators that only wrap it.
            stripped = copy.copy(target)
            stripped.decorator_list = [d for d in target.decorator_list if _decorator_name(d) in SAFE_DECORATORS]
            exec(compile(ast.Module(body=[stripped], type_ignores=[]), new_file, "exec"), namespace)
    if not chain:
        raw = namespace[target.name]
        return (raw.__func__ if isinstance(raw, staticmethod) else raw), namespace
    # A method: compile it inside classes of the same names, so that private names are mangled as
    # in the real class; then point its ``__class__`` cell (zero-argument super()) at the real class.
    owner = old_module
    for part in parts[:-1]:
        owner = getattr(owner, part)
    inner = target
    for cls in reversed(chain):
        inner = ast.ClassDef(name=cls.name, bases=[], keywords=[], body=[inner], decorator_list=[], type_params=[]) if sys.version_info >= (3, 12) else ast.ClassDef(name=cls.name, bases=[], keywords=[], body=[inner], decorator_list=[])
    holder = dict(namespace)
    exec(compile(ast.fix_missing_locations(ast.Module(body=[inner], type_ignores=[])), new_file, "exec"), holder)
    temp = holder[chain[0].name]
    for cls in chain[1:]:
        temp = temp.__dict__[cls.name]
    raw = temp.__dict__[target.name]
    if isinstance(raw, (staticmethod, classmethod)):
        raw = raw.__func__
    if isinstance(raw, types.FunctionType) and raw.__closure__ and "__class__" in raw.__code__.co_freevars:
        cells = tuple(
            types.CellType(owner) if name == "__class__" else cell
            for name, cell in zip(raw.__code__.co_freevars, raw.__closure__)
        )
        compiled = raw
        raw = types.FunctionType(compiled.__code__, compiled.__globals__, compiled.__name__, compiled.__defaults__, cells)
        raw.__kwdefaults__ = compiled.__kwdefaults__
        raw.__qualname__ = qualname
    return raw, namespace


# -- caches ----------------------------------------------------------------------------------

def caches_of(fn):
    """functools caches a call of ``fn`` goes through: its own, and those of the module-level
    functions it names (a memoized helper). Cleared before every replayed call, so that a memoizing
    rewrite is timed computing, not looking up the answer to the same input again."""
    out = []
    seen = set()

    def add(obj):
        if callable(getattr(obj, "cache_clear", None)) and id(obj) not in seen:
            seen.add(id(obj))
            out.append(obj.cache_clear)

    add(fn)
    inner = fn
    for _ in range(5):
        inner = getattr(inner, "__wrapped__", None)
        if inner is None:
            break
        add(inner)
    code_owner = fn
    while hasattr(code_owner, "__wrapped__"):
        code_owner = code_owner.__wrapped__
    code = getattr(code_owner, "__code__", None)
    scope = getattr(code_owner, "__globals__", {})
    if code is not None:
        names = set(code.co_names)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                names.update(const.co_names)
        for name in names:
            value = scope.get(name)
            if value is not None:
                add(value)
                # A class: its cached methods.
                if isinstance(value, type) and getattr(value, "__module__", None) == scope.get("__name__"):
                    for member in vars(value).values():
                        add(getattr(member, "__func__", member))
    return out


def _clear(clears):
    for clear in clears:
        try:
            clear()
        except Exception:
            pass


# -- comparing --------------------------------------------------------------------------------

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


def _call(fn, blob, clears=()):
    args, kwargs = pickle.loads(blob)
    _clear(clears)
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


def compare(old_fn, new_fn, calls, old_clears=(), new_clears=()):
    results = []
    for index, call in enumerate(calls):
        entry = {"index": index, "test": call.get("test"), "seconds": call.get("seconds", 0.0)}
        old_out, old_args, old_time = _call(old_fn, call["before"], old_clears)
        new_out, new_args, new_time = _call(new_fn, call["before"], new_clears)
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
            again, _, _ = _call(old_fn, call["before"], old_clears)
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


# -- edge cases ----------------------------------------------------------------------------------

def _edge_variants(value):
    """(label, value) for an empty and a one-element version of a collection or string."""
    if isinstance(value, (str, bytes)) and len(value) > 1:
        return [("empty", value[:0]), ("a single element", value[:1])]
    if isinstance(value, (list, tuple)) and len(value) > 1:
        return [("empty", type(value)()), ("a single element", type(value)(value[:1]))]
    if isinstance(value, (set, frozenset)) and len(value) > 1:
        return [("empty", type(value)()), ("a single element", type(value)([next(iter(value))]))]
    if isinstance(value, dict) and type(value) is dict and len(value) > 1:
        key = next(iter(value))
        return [("empty", {}), ("a single element", {key: value[key]})]
    return []


def edge_cases(old_fn, new_fn, calls, compared, old_clears=(), new_clears=(), limit=24):
    """Inputs derived from the recorded ones (each collection argument emptied, or cut to one
    element), run on both versions. Reports where the versions part: the rewrite raises where the
    original returns, or both return different values."""
    out = []
    seen = set()
    for call, entry in zip(calls, compared):
        if not (entry["reproducible"] and entry["same_result"] and entry["same_arguments"]):
            continue
        try:
            args, kwargs = pickle.loads(call["before"])
        except Exception:
            continue
        slots = [(i, a) for i, a in enumerate(args)] + [(k, v) for k, v in kwargs.items()]
        for slot, value in slots:
            for label, variant in _edge_variants(value):
                new_args = list(args)
                new_kwargs = dict(kwargs)
                if isinstance(slot, int):
                    new_args[slot] = variant
                else:
                    new_kwargs[slot] = variant
                try:
                    blob = pickle.dumps((tuple(new_args), new_kwargs), protocol=4)
                except Exception:
                    continue
                if blob in seen:
                    continue
                seen.add(blob)
                where = f"argument {slot + 1}" if isinstance(slot, int) else f"argument {slot}"
                old_out, _, _ = _guarded(lambda: _call(old_fn, blob, old_clears), 2.0)
                if old_out is None:
                    continue
                new_out, _, _ = _guarded(lambda: _call(new_fn, blob, new_clears), 2.0)
                if new_out is None:
                    continue
                if old_out[0] == "return":
                    again, _, _ = _guarded(lambda: _call(old_fn, blob, old_clears), 2.0)
                    if again is None or not _same_outcome(old_out, again):
                        continue
                record = {
                    "call": entry["index"], "test": entry["test"], "argument": where, "variant": label,
                    "expected": _describe(old_out), "got": _describe(new_out),
                    "same": _same_outcome(old_out, new_out),
                    "only_rewrite_raises": old_out[0] == "return" and new_out[0] == "raise",
                    "original_raises": old_out[0] == "raise",
                }
                out.append(record)
                if len(out) >= limit:
                    return out
    return out


class _Late(BaseException):  # not an Exception: the code under test must not swallow it
    pass


def _guarded(thunk, seconds):
    """Run ``thunk`` with a wall-clock deadline (SIGALRM in the main thread); (None, None, None)
    when it runs out."""
    if not hasattr(signal, "setitimer"):
        return thunk()

    def fire(*_):
        raise _Late()

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return thunk()
    except _Late:
        return None, None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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


# -- scale ------------------------------------------------------------------------------------

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


# -- main -------------------------------------------------------------------------------------

def _load_new(module, path):
    spec = importlib.util.spec_from_file_location(module.__name__, path)
    new = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(new)
    return new


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        config = json.load(handle)
    sys.path[:] = config["sys_path"]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    out = {"calls": [], "edge_cases": [], "timing": None, "scale": [], "loaded": None, "error": None}
    try:
        with open(config["calls"], "rb") as handle:
            calls = pickle.load(handle)
        old_module = importlib.import_module(config["module"])
        old_fn = _resolve(old_module, config["qualname"])
        try:
            new_fn, _ = load_function_only(old_module, config["new_file"], config["qualname"])
            out["loaded"] = "function"
        except Exception as exc:
            # Fall back to loading the rewritten module beside the original.
            new_module = _load_new(old_module, config["new_file"])
            new_fn = _resolve(new_module, config["qualname"])
            out["loaded"] = f"module ({type(exc).__name__}: {exc})"[:300]
        old_clears = caches_of(old_fn)
        new_clears = caches_of(new_fn)
        out["calls"] = compare(old_fn, new_fn, calls, old_clears, new_clears)
        out["caches"] = {"old": len(old_clears), "new": len(new_clears)}
        if config.get("edge_cases", True):
            out["edge_cases"] = edge_cases(old_fn, new_fn, calls, out["calls"], old_clears, new_clears)
        floor = float(config.get("floor", 0.05))
        if config.get("time", True):
            out["timing"] = timing(old_fn, new_fn, calls, out["calls"], int(config.get("rounds", 9)), float(config.get("budget", 20.0)),
                                   int(config.get("max_inputs", 6)), floor, old_clears, new_clears)
        if config.get("scale") and out["timing"] is not None:
            out["scale"] = scale_check(old_fn, new_fn, calls, out["calls"], list(config["scale"]), float(config.get("scale_budget", 20.0)),
                                       float(config.get("scale_deadline", 3.0)), floor, old_clears, new_clears)
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    with open(config["out"], "w", encoding="utf-8") as handle:
        json.dump(out, handle, default=_json_default)


def _json_default(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return repr(value)


if __name__ == "__main__":
    main()
