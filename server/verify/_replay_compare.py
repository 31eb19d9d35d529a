"""The replay's calls and comparisons: the functools caches cleared before each call, one call of a
version on pickled arguments, the comparison of both versions on the recorded calls, and edge cases
derived from them; calls under a wall-clock deadline.

Standalone, like ``_replay.py``: imports nothing from hasten in a verification run.
"""

import pickle
import signal
import time
import types


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
