"""pytest plugin that hasten loads into the user's test run (in an isolated copy of the project).

Standalone on purpose: it runs under the project's interpreter, which may not have hasten.
Configured by the JSON file named in $HASTEN_VERIFY_PLUGIN:

    {"mode": "map" | "record" | "run", "root": copy root, "out": results path,
     "target_file": absolute path, "qualname": "f" | "Class.method", "max_calls": 16,
     "max_call_bytes": bytes, "prefer_tests": [node id, ...]}

Every mode writes, to ``out`` (JSON): per-test outcome, crash message and call duration, and the
interpreter's sys.path. ``map`` adds, per test, the functions under ``root`` it executed (found
with a profile hook). ``record`` wraps the target function as its module is imported and pickles
the arguments (before and after the call) and the result of up to ``max_calls`` distinct calls
into ``out + ".calls"``. With ``prefer_tests`` (the tests a profile measured the function in), only
the calls made during those tests are kept, unless they made none: then those of the other tests.
"""

import functools
import importlib.machinery
import json
import os
import pickle
import sys
import threading
import time

_CONFIG_PATH = os.environ.get("HASTEN_VERIFY_PLUGIN")
_CONFIG = {}
if _CONFIG_PATH:
    with open(_CONFIG_PATH, encoding="utf-8") as _handle:
        _CONFIG = json.load(_handle)

_MODE = _CONFIG.get("mode", "run")
_ROOT = os.path.realpath(_CONFIG.get("root", os.getcwd()))
_OUTCOMES = {}
_CURRENT = {"test": None}
_STATE = {"target_module": None, "target_status": "not imported", "unpicklable": 0, "skipped_large": 0, "total_calls": 0}
_CALLS = []
_SEEN_INPUTS = set()
_CALLERS = set()  # the tests that called the target at all
_PREFER = frozenset(_CONFIG.get("prefer_tests") or ())
_OTHER_CALLS = []  # with _PREFER: calls made during the other tests, kept in case the preferred make none
_OTHER_SEEN = set()


# -- outcomes ---------------------------------------------------------------------------------

def pytest_runtest_logreport(report):
    entry = _OUTCOMES.setdefault(report.nodeid, {"outcome": "passed", "message": "", "duration": 0.0})
    if report.when == "call":
        entry["duration"] = report.duration
    if report.failed:
        entry["outcome"] = "failed" if report.when == "call" else "error"
        crash = getattr(getattr(report, "longrepr", None), "reprcrash", None)
        message = getattr(crash, "message", None) or str(report.longrepr).strip().splitlines()[-1:]
        if isinstance(message, list):
            message = message[0] if message else ""
        entry["message"] = entry["message"] or f"{report.when}: {message}"[:2000]
    elif report.skipped and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"


# -- map: which functions each test executes ---------------------------------------------------

_CODES = {}
_PER_TEST = {}


def _profile(frame, event, arg):
    if event == "call":
        code = frame.f_code
        key = id(code)
        test = _CURRENT["test"]
        if test is not None:
            _PER_TEST[test].add(key)
        if key not in _CODES:
            _CODES[key] = code


def _functions_under_root(keys):
    out = set()
    for key in keys:
        code = _CODES[key]
        filename = code.co_filename
        if not filename or filename.startswith("<"):
            continue
        real = os.path.realpath(filename)
        if not real.startswith(_ROOT + os.sep):
            continue
        rel = os.path.relpath(real, _ROOT).replace(os.sep, "/")
        qualname = getattr(code, "co_qualname", code.co_name)
        out.add((rel, qualname, code.co_firstlineno))
    return sorted(out)


# -- record: the target function's calls -------------------------------------------------------

_LOCAL = threading.local()


def _dump(value):
    return pickle.dumps(value, protocol=4)


def _record(fn):
    limit = int(_CONFIG.get("max_calls", 16))
    max_bytes = int(_CONFIG.get("max_call_bytes", 20_000_000))

    @functools.wraps(fn)
    def hasten_recorder(*args, **kwargs):
        # Recursive calls take this path first: keep it to one attribute read.
        if getattr(_LOCAL, "depth", 0):
            return fn(*args, **kwargs)
        if _CURRENT["test"] is not None:
            _CALLERS.add(_CURRENT["test"])
        calls, seen = _CALLS, _SEEN_INPUTS
        if _PREFER and _CURRENT["test"] not in _PREFER:
            calls, seen = _OTHER_CALLS, _OTHER_SEEN
        if len(calls) >= limit:
            _LOCAL.depth = 1
            try:
                return fn(*args, **kwargs)
            finally:
                _LOCAL.depth = 0
        _STATE["total_calls"] += 1
        try:
            before = _dump((args, kwargs))
        except Exception:
            _STATE["unpicklable"] += 1
            before = None
        if before is None or len(before) > max_bytes or before in seen:
            if before is not None and len(before) > max_bytes:
                _STATE["skipped_large"] += 1
            _LOCAL.depth = 1
            try:
                return fn(*args, **kwargs)
            finally:
                _LOCAL.depth = 0
        _LOCAL.depth = 1
        start = time.perf_counter()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            elapsed = time.perf_counter() - start
            _LOCAL.depth = 0
            _keep(calls, seen, before, ("raise", type(exc).__qualname__, str(exc)[:2000]), args, kwargs, elapsed)
            raise
        finally:
            _LOCAL.depth = 0
        elapsed = time.perf_counter() - start
        try:
            outcome = ("return", _dump(result))
        except Exception:
            outcome = ("return-repr", repr(result)[:2000])
        _keep(calls, seen, before, outcome, args, kwargs, elapsed)
        return result

    hasten_recorder.__hasten_original__ = fn
    return hasten_recorder


def _keep(calls, seen, before, outcome, args, kwargs, elapsed):
    try:
        after = _dump((args, kwargs))
    except Exception:
        after = None
    seen.add(before)
    calls.append({"before": before, "outcome": outcome, "after": after, "test": _CURRENT["test"], "seconds": elapsed})


def _patch(module):
    qualname = _CONFIG.get("qualname", "")
    if qualname == "<module>":
        _STATE["target_status"] = "the change is in module-level code, which has no calls to record"
        return
    parts = qualname.split(".")
    if "<locals>" in parts:
        _STATE["target_status"] = "nested function: its calls cannot be recorded"
        return
    owner = module
    for part in parts[:-1]:
        owner = getattr(owner, part, None)
        if owner is None:
            _STATE["target_status"] = f"{qualname} not found in {module.__name__}"
            return
    raw = owner.__dict__.get(parts[-1]) if isinstance(owner, type) else getattr(owner, parts[-1], None)
    if raw is None:
        _STATE["target_status"] = f"{qualname} not found in {module.__name__}"
        return
    if isinstance(raw, classmethod) or isinstance(raw, property) or not callable(raw) and not isinstance(raw, staticmethod):
        _STATE["target_status"] = f"{qualname} is a {type(raw).__name__}: its calls cannot be recorded"
        return
    if isinstance(raw, staticmethod):
        wrapped = staticmethod(_record(raw.__func__))
    else:
        wrapped = _record(raw)
    setattr(owner, parts[-1], wrapped)
    _STATE["target_module"] = module.__name__
    _STATE["target_status"] = "recording"


class _TargetFinder:
    """Finds the target module with the path finder and patches it right after it executes."""

    def __init__(self, target):
        self.target = target

    def find_spec(self, name, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not spec.origin or os.path.realpath(spec.origin) != self.target:
            return None
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module):
            original(module)
            _patch(module)

        loader.exec_module = exec_module
        return spec


def _install_recorder():
    target = os.path.realpath(_CONFIG["target_file"])
    for module in list(sys.modules.values()):
        origin = getattr(module, "__file__", None)
        if origin and os.path.realpath(origin) == target:
            _patch(module)
            return
    sys.meta_path.insert(0, _TargetFinder(target))


if _MODE == "record" and _CONFIG.get("target_file"):
    _install_recorder()


# -- hooks --------------------------------------------------------------------------------------

try:
    import pytest
except ImportError:  # pragma: no cover
    pytest = None

if pytest is not None:
    @pytest.hookimpl(tryfirst=True)
    def pytest_cmdline_main(config):
        # One process: the profile hook, the recorder and the outcomes all live in this one.
        # (pytest-xdist's -n from the project's addopts would spread the tests over workers.)
        if getattr(config.option, "numprocesses", None):
            config.option.numprocesses = 0
            if hasattr(config.option, "dist"):
                config.option.dist = "no"

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        _CURRENT["test"] = item.nodeid
        if _MODE == "map":
            _PER_TEST.setdefault(item.nodeid, set())
            sys.setprofile(_profile)
            threading.setprofile(_profile)
        try:
            yield
        finally:
            if _MODE == "map":
                sys.setprofile(None)
                threading.setprofile(None)
            _CURRENT["test"] = None


def pytest_sessionfinish(session, exitstatus):
    if not _CONFIG.get("out"):
        return
    data = {
        "mode": _MODE,
        "outcomes": _OUTCOMES,
        "sys_path": [p for p in sys.path if isinstance(p, str)],
        "exitstatus": int(exitstatus),
        "python": sys.version.split()[0],
    }
    if _MODE == "map":
        data["reached"] = {test: _functions_under_root(keys) for test, keys in _PER_TEST.items()}
    if _MODE == "record":
        calls = _CALLS
        if _PREFER:
            data["recorded_from_preferred"] = bool(_CALLS)
            calls = _CALLS or _OTHER_CALLS
        data.update(_STATE)
        data["recorded"] = len(calls)
        data["recorded_tests"] = sorted({call["test"] for call in calls if call["test"]})
        data["callers"] = sorted(_CALLERS)
        with open(_CONFIG["out"] + ".calls", "wb") as handle:
            pickle.dump(calls, handle, protocol=4)
    with open(_CONFIG["out"], "w", encoding="utf-8") as handle:
        json.dump(data, handle)
