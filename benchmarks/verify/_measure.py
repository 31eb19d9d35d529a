"""Run one program version on the benchmark's inputs; check and time it. Independent of hasten.

    python _measure.py CONFIG_JSON

ENAMEL config: {"kind": "enamel", "code": path, "entry": name, "checker": path,
"cases": pickle path of [(input, answer), ...], "timing": pickle path of (input, answer) or null,
"runs": 3, "deadline": seconds}
PIE config: {"kind": "pie", "code": path, "cases": [[input_path, output_path], ...],
"timing": input_path or null, "runs": 3, "deadline": seconds}

Prints JSON: {"ok": [bool per case], "errors": [...], "seconds": min time on the timing input or
null, "timed_out": bool}.
"""

import copy
import io
import json
import pickle
import sys
import time


class _Late(Exception):
    pass


class _deadline:
    def __init__(self, seconds):
        self.seconds = int(seconds)

    def __enter__(self):
        import signal

        def fire(*_):
            raise _Late(f"over {self.seconds} s")

        self.previous = signal.signal(signal.SIGALRM, fire)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        import signal

        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)
        return False


def enamel(config):
    namespace = {"__name__": "solution"}
    exec(compile(open(config["code"]).read(), config["code"], "exec"), namespace)
    fn = namespace[config["entry"]]
    checker_ns = {}
    exec(open(config["checker"]).read(), checker_ns)
    check = next(v for k, v in checker_ns.items() if k.endswith("check") and callable(v))
    cases = pickle.load(open(config["cases"], "rb"))
    ok, errors, seconds_per_case, mutated = [], [], [], []
    for inp, answer in cases:
        start = time.perf_counter()
        changed = False
        try:
            args = copy.deepcopy(inp)
            with _deadline(config.get("case_deadline", 10)):
                out = fn(*args)
            ok.append(bool(check(copy.deepcopy(inp), answer, out)))
            try:  # the caller's arguments as the function left them (the checker sees only the result)
                changed = bool(args != inp)
            except Exception:  # noqa: BLE001 - values that cannot be compared
                changed = False
        except BaseException as exc:  # noqa: BLE001 - MemoryError, RecursionError, our deadline
            ok.append(False)
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
        seconds_per_case.append(time.perf_counter() - start)
        mutated.append(changed)
    seconds, timed_out = None, False
    if config.get("timing"):
        inp, answer = pickle.load(open(config["timing"], "rb"))
        best = None
        start_all = time.perf_counter()
        for _ in range(config.get("runs", 3)):
            args = copy.deepcopy(inp)
            start = time.perf_counter()
            out = fn(*args)
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
            if not check(copy.deepcopy(inp), answer, out):
                ok.append(False)
                errors.append("wrong answer on the timing input")
                break
            if time.perf_counter() - start_all > config.get("deadline", 30):
                break
        seconds = best
    return {"ok": ok, "errors": errors, "seconds": seconds, "timed_out": timed_out, "seconds_per_case": seconds_per_case, "mutated": mutated}


def _run_program(code, text):
    stdin, stdout = sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode()))
    sys.stdout = buffer = io.StringIO()
    try:
        exec(code, {"__name__": "__main__"})
    except SystemExit:
        pass
    finally:
        sys.stdin, sys.stdout = stdin, stdout
    return buffer.getvalue()


def pie(config):
    code = compile(open(config["code"]).read(), config["code"], "exec")
    ok, errors, seconds_per_case = [], [], []
    for input_path, output_path in config["cases"]:
        start = time.perf_counter()
        try:
            with _deadline(config.get("case_deadline", 10)):
                got = _run_program(code, open(input_path).read())
            ok.append(got.split() == open(output_path).read().split())
        except BaseException as exc:  # noqa: BLE001
            ok.append(False)
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
        seconds_per_case.append(time.perf_counter() - start)
    seconds = None
    if config.get("timing"):
        text = open(config["timing"]).read()
        start_all = time.perf_counter()
        for _ in range(config.get("runs", 3)):
            start = time.perf_counter()
            _run_program(code, text)
            elapsed = time.perf_counter() - start
            seconds = elapsed if seconds is None else min(seconds, elapsed)
            if time.perf_counter() - start_all > config.get("deadline", 30):
                break
    return {"ok": ok, "errors": errors, "seconds": seconds, "timed_out": False, "seconds_per_case": seconds_per_case}


SAMPLE_SECONDS = 1e-3  # a timed sample of a fast call batches calls until it lasts this long


def _batch(fn, inp):
    """Calls per sample: one for a call of a millisecond or more, else enough for a millisecond
    (the timer's own overhead would dominate a sub-microsecond call timed alone)."""
    args = copy.deepcopy(inp)
    start = time.perf_counter()
    fn(*args)
    once = time.perf_counter() - start
    return 1 if once >= SAMPLE_SECONDS else min(10_000, int(SAMPLE_SECONDS * 1.2 / max(once, 1e-8)) + 1)


def paired_mix(config):
    """Time two versions alternately in one process on several inputs of one size (the generator's
    input kinds): per input and version the min per call over batched samples; the speedup is the
    sum of the original's minima over the rewrite's."""
    fns = []
    for path in config["codes"]:
        namespace = {"__name__": "solution"}
        exec(compile(open(path).read(), path, "exec"), namespace)
        fns.append(namespace[config["entry"]])
    inputs = pickle.load(open(config["mix"], "rb"))
    kept, batches, dropped = [], [], 0
    for inp in inputs:
        try:  # an input kind the original cannot finish in the case deadline is left out
            with _deadline(config.get("case_deadline", 10)):
                batches.append([_batch(fn, inp) for fn in fns])
            kept.append(inp)
        except BaseException:  # noqa: BLE001
            dropped += 1
    best = [[None] * len(kept) for _ in fns]
    start_all = time.perf_counter()
    for round_ in range(config.get("runs", 6)):
        for i, inp in enumerate(kept):
            order = (0, 1) if (round_ + i) % 2 == 0 else (1, 0)
            for k in order:
                copies = [copy.deepcopy(inp) for _ in range(batches[i][k])]
                fn = fns[k]
                start = time.perf_counter()
                for args in copies:
                    fn(*args)
                per_call = (time.perf_counter() - start) / len(copies)
                best[k][i] = per_call if best[k][i] is None else min(best[k][i], per_call)
        if time.perf_counter() - start_all > config.get("deadline", 60):
            break
    if not kept:
        return {"seconds": [None, None], "per_input": [], "dropped": dropped}
    return {"seconds": [sum(best[0]), sum(best[1])], "per_input": [[o, n] for o, n in zip(best[0], best[1])], "dropped": dropped}


def paired(config):
    """Time two versions alternately in one process on the timing input: min per version."""
    if config.get("mix"):
        return paired_mix(config)
    best = [None, None]
    if config["kind"] == "enamel":
        fns = []
        for path in config["codes"]:
            namespace = {"__name__": "solution"}
            exec(compile(open(path).read(), path, "exec"), namespace)
            fns.append(namespace[config["entry"]])
        inp, _ = pickle.load(open(config["timing"], "rb"))[config["index"]]
        calls = [lambda fn=fn: fn(*copy.deepcopy(inp)) for fn in fns]
        prepare = lambda: None
    else:
        codes = [compile(open(path).read(), path, "exec") for path in config["codes"]]
        text = open(config["timing"]).read()
        calls = [lambda code=code: _run_program(code, text) for code in codes]
    start_all = time.perf_counter()
    for round_ in range(config.get("runs", 5)):
        order = (0, 1) if round_ % 2 == 0 else (1, 0)
        for k in order:
            if config["kind"] == "enamel":
                args = copy.deepcopy(inp)
                fn = fns[k]
                start = time.perf_counter()
                fn(*args)
            else:
                start = time.perf_counter()
                calls[k]()
            elapsed = time.perf_counter() - start
            best[k] = elapsed if best[k] is None else min(best[k], elapsed)
        if time.perf_counter() - start_all > config.get("deadline", 60):
            break
    return {"seconds": best}


def main():
    config = json.load(open(sys.argv[1]))
    try:
        import resource

        limit = int(config.get("memory_mb", 3072)) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    sys.setrecursionlimit(100000)
    if config.get("paired"):
        result = paired(config)
    else:
        result = enamel(config) if config["kind"] == "enamel" else pie(config)
    json.dump(result, open(config["out"], "w"))


if __name__ == "__main__":
    main()
