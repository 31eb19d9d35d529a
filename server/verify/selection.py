"""Test selection: the project's map of which tests reach which functions (kept across runs), and
the tests that reach the changed function, run once on the original code with its calls recorded."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from hasten.analyzers.config import VerifyConfig
from hasten.server.verify.project import cache_dir, file_hashes, is_test_file
from hasten.server.verify.session import Progress, _Session
from hasten.server.verify.target import Target
from hasten.server.verify.verdict import CANNOT_VERIFY, Verdict, _plural

# -- the test map -------------------------------------------------------------------------------

MAP_VERSION = "map-v2"
MAP_MAX_AGE = 60 * 86400  # seconds: a project's map not used for this long is removed
MAP_STALE_FILES = 3  # reuse a map when at most this many non-test files changed since


def map_path(root: Path, config: VerifyConfig, interpreter: str) -> Path:
    """One map file per project (its directory, test command and interpreter): reused across runs
    and never evicted by work on other projects."""
    key = hashlib.sha256(f"{root.resolve()}\0{config.test_command}\0{interpreter}\0{MAP_VERSION}".encode()).hexdigest()[:32]
    return cache_dir() / "maps" / f"{key}.json"


def load_test_map(session: _Session, progress: Progress, refresh: bool = False) -> tuple[dict | None, str | None]:
    """{"reached": {test: [[relpath, qualname, line], ...]}, "outcomes": ...} from the project's
    map when its files are unchanged (or only a few non-test files changed: then ``stale`` lists
    them), else from one profiled run of the whole suite, which then replaces the map."""
    cached = map_path(session.root, session.config, session.interpreter)
    files = file_hashes(session.root)
    entry = None
    if cached.is_file() and not refresh:
        try:
            entry = json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entry = None
    if entry is not None and isinstance(entry.get("files"), dict):
        before = entry["files"]
        changed = sorted(rel for rel in set(before) | set(files) if before.get(rel) != files.get(rel))
        if not changed or (len(changed) <= MAP_STALE_FILES and not any(is_test_file(rel) for rel in changed)):
            entry["stale"] = changed
            try:
                os.utime(cached)
            except OSError:
                pass
            return entry, None
    tests_dir = next((d for d in ("tests", "test") if (session.root / d).is_dir()), None)
    where = f"{session.root.name}/{tests_dir}" if tests_dir else session.root.name
    progress("collecting", f"mapping which tests of {where} reach which functions (the whole suite once, profiled; "
             f"kept for later runs of this project)", 5)
    copy = session.copy("map")
    result, data = session.pytest(copy, "map", "map", None, timeout=session.config.timeout * 3)
    if result.timed_out:
        return None, f"collecting the tests timed out after {result.seconds:.0f} s"
    if data is None or "reached" not in data:
        return None, f"the test command did not run (exit {result.returncode}): {result.tail(5)}"
    entry = {"reached": data["reached"], "outcomes": data["outcomes"], "files": files, "root": str(session.root)}
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(tmp, cached)
        _prune(cached.parent)
    except OSError:
        pass
    entry["stale"] = []
    return entry, None


def _prune(directory: Path) -> None:
    """Remove maps of projects not verified for MAP_MAX_AGE: one file per project, so the count
    stays the number of projects verified lately."""
    now = time.time()
    for old in directory.glob("*.json"):
        try:
            if now - old.stat().st_mtime > MAP_MAX_AGE:
                old.unlink()
        except OSError:
            pass


def tests_reaching(test_map: dict, rel: str, target: Target) -> list[str]:
    out = []
    for test, functions in test_map["reached"].items():
        for path, qualname, line in functions:
            if path == rel and (qualname == target.qualname or (line == target.line and qualname.endswith(target.name))):
                out.append(test)
                break
    return out


def _failing(data: dict | None, tests: list[str]) -> list[tuple[str, str]]:
    outcomes = (data or {}).get("outcomes", {})
    return [(t, outcomes[t]["message"]) for t in tests if t in outcomes and outcomes[t]["outcome"] in ("failed", "error")]


def _ran(data: dict | None, tests: list[str]) -> list[str]:
    outcomes = (data or {}).get("outcomes", {})
    return [t for t in tests if t in outcomes and outcomes[t]["outcome"] == "passed"]


def _select_tests(session: _Session, rel: str, text: str, target: Target, name: str, progress: Progress):
    """(tests, old copy, old run, old data, note, hot) or a Verdict when no test can be selected;
    ``hot``: what a fresh stored profile says about the tests the function spends time in, or None."""
    test_map, problem = load_test_map(session, progress)
    recordable = not target.is_module and "<locals>" not in target.qualname
    note = None
    if test_map is None and recordable and problem and "timed out" in problem:
        # Profiling every call made the suite too slow. Select the tests another way: run the whole
        # suite once with only the changed function wrapped, and take the tests that call it.
        progress("collecting", "profiling timed out; running the whole suite with the function wrapped", 10)
        old = session.copy("old", {rel: text})
        old_result, old_data = session.pytest(old, "old", "record", None, timeout=session.config.timeout * 3, target_file=str(old / rel), qualname=target.qualname)
        if old_result.timed_out or old_data is None:
            return Verdict(CANNOT_VERIFY, f"{problem}, and so did the whole suite with the function wrapped")
        tests = list(old_data.get("callers", []))
        note = f"tests selected by wrapping {target.qualname} ({problem})"
        if not tests:
            return Verdict(CANNOT_VERIFY, f"no test calls {name} ({_plural(len(old_data.get('outcomes', {})), 'test')} ran)")
        return tests, old, old_result, old_data, note, None
    if test_map is None:
        return Verdict(CANNOT_VERIFY, problem or "the tests could not be collected")
    tests = tests_reaching(test_map, rel, target)
    if not tests and test_map.get("stale"):
        # The map predates an edit; the function may be new or renamed: map again.
        test_map, problem = load_test_map(session, progress, refresh=True)
        if test_map is None:
            return Verdict(CANNOT_VERIFY, problem or "the tests could not be collected")
        tests = tests_reaching(test_map, rel, target)
    if not tests:
        return Verdict(CANNOT_VERIFY, f"no test reaches {name} ({_plural(len(test_map['reached']), 'test')} collected)")
    if test_map.get("stale"):
        changed = test_map["stale"]
        note = f"tests selected with this project's map from an earlier run ({_plural(len(changed), 'file')} changed since: {', '.join(changed[:3])})"
    # The tests a fresh stored profile measured the function in run first, hottest first, and the
    # calls recorded (and replayed) are theirs: the inputs the program really spends time on.
    from hasten.server.profile.reuse import profiled_first, recorded_note

    tests, hot = profiled_first(session.root, rel, text, target.qualname, target.line, tests)
    progress("running tests", f"running {_plural(len(tests), 'test')} on the original code", 20)
    old = session.copy("old", {rel: text})
    # Twice the time: the recorder wraps every call of the function (recursive ones included).
    old_result, old_data = session.pytest(old, "old", "record", tests, timeout=session.config.timeout * 2, target_file=str(old / rel), qualname=target.qualname,
                                          prefer_tests=hot.tests if hot else [])
    if hot is not None:
        note = "; ".join(filter(None, [recorded_note(hot, old_data, target.qualname), note]))
    return tests, old, old_result, old_data, note, hot
