"""Verify one fix: select the tests that reach the changed function, run them on the original and
the rewritten code in isolated copies, replay the function's recorded calls on both versions,
time them, and return a verdict with its evidence.

Usable without LSP: ``verify_fix(path, fix)`` is all a front end needs. ``progress`` receives
(stage, message, percent) and ``cancel`` (a threading.Event) stops the work promptly, killing
every process the run started.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shlex
import shutil
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from hasten.analyzers.config import Config, VerifyConfig, command_line_parses, load_config
from hasten.analyzers.finding import Fix
from hasten.analyzers.fixes import apply_edits
from hasten.analyzers.source import Source, decode_source, encode_like
from hasten.server.verify.process import Limits, RunResult, run_limited
from hasten.server.verify.project import (
    cache_dir,
    copy_project,
    file_hashes,
    find_project_root,
    is_test_file,
    new_workdir,
    remove_tree,
)
from hasten.server.verify import stats
from hasten.server.verify.target import Target, target_of

VERIFIED_FASTER = "verified-faster"
EQUIVALENT = "equivalent-no-gain"
SLOWER = "slower"
INCONCLUSIVE = "inconclusive"
BEHAVIOUR_CHANGED = "behaviour-changed"
CANNOT_VERIFY = "cannot-verify"
VERDICTS = (VERIFIED_FASTER, EQUIVALENT, SLOWER, INCONCLUSIVE, BEHAVIOUR_CHANGED, CANNOT_VERIFY)

NOISE_FLOOR = 0.05  # below a 5% difference there is no measurable gain
NOISE_FLOOR_TINY = 0.10  # for calls under 10 µs, where loop overhead weighs more
TINY_CALL = 10e-6
NOISE_FLOOR_TESTS = 0.10  # whole tests include setup and assertions: a coarser measure
REPLAY_BUDGET = 20.0  # seconds of timing at test sizes at most
SCALE_FACTORS = (10, 100)  # the scale check grows the recorded input this many times
SCALE_BUDGET = 30.0  # seconds for the scale check
SCALE_DEADLINE = 2.0  # seconds for one call at a grown size; beyond it only the rewrite is timed there
GROWS = 0.5  # the original's time must grow at least as size^0.5 for a grown size to decide the verdict
TEST_TIMING_BUDGET = 90.0  # seconds of whole-test timing before extra rounds stop
TEST_TIMING_MAX_ROUNDS = 12

PLUGIN = Path(__file__).with_name("_plugin.py")
REPLAY = Path(__file__).with_name("_replay.py")
STATS = Path(__file__).with_name("stats.py")

Progress = Callable[[str, str, "int | None"], None]


@dataclass
class Verdict:
    kind: str
    summary: str  # one line of evidence, shown as the message and in titles
    details: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)  # the tests that reach the function
    ratio: float | None = None
    spread: tuple[float, float] | None = None
    timing: str | None = None  # "replay" | "tests" | None
    calls_compared: int = 0
    function: str | None = None
    seconds: float = 0.0
    interval: tuple[float, float] | None = None  # 95% interval of the ratio the verdict rests on
    control: float | None = None  # how far the original against itself strayed from 1.0×
    size: str | None = None  # which input size the verdict is about: "test sizes" or "100× the input"
    scale: list[dict] = field(default_factory=list)  # per grown size: factor, ratio, interval, times
    growth: str | None = None  # measured (and estimated) growth of both versions
    test_ratio: float | None = None  # the ratio at test sizes, whatever size the verdict is about

    @property
    def accepted(self) -> bool:
        return self.kind in (VERIFIED_FASTER, EQUIVALENT)

    def short(self) -> str:
        """Evidence short enough for a code action title."""
        if self.kind == VERIFIED_FASTER and self.ratio:
            at = f" at {self.size}" if self.size and self.size != TEST_SIZES else ""
            return f"verified {_ratio(self.ratio)} faster{at}, {len(self.tests)} test{'s' if len(self.tests) != 1 else ''}"
        if self.kind == EQUIVALENT:
            return f"verified equivalent, no measurable gain, {len(self.tests)} tests"
        return self.kind.replace("-", " ")

    def headline(self) -> str:
        """The verdict as one sentence: for messages and the command line."""
        prefix = {
            VERIFIED_FASTER: "verified", EQUIVALENT: "equivalent", SLOWER: "slower", INCONCLUSIVE: "inconclusive",
            BEHAVIOUR_CHANGED: "not verified", CANNOT_VERIFY: "cannot verify",
        }[self.kind]
        return f"{prefix}: {self.summary}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["headline"] = self.headline()
        data["spread"] = list(self.spread) if self.spread else None
        data["interval"] = list(self.interval) if self.interval else None
        return data


TEST_SIZES = "test sizes"


def _ratio(value: float) -> str:
    return f"{value:.1f}×" if value < 100 else f"{value:.0f}×"


def _pass(n: int) -> str:
    return "passes" if n == 1 else "pass"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- environment --------------------------------------------------------------------------------

def project_interpreter(root: Path, config: VerifyConfig) -> str:
    if config.interpreter:
        return config.interpreter
    for venv in (".venv", "venv", "env", ".env"):
        for candidate in (root / venv / "bin" / "python", root / venv / "Scripts" / "python.exe"):
            if candidate.is_file():
                return str(candidate)
    return sys.executable


def test_command(config: VerifyConfig, interpreter: str) -> list[str]:
    argv = shlex.split(config.test_command)
    if not argv:
        argv = ["pytest"]
    if argv[0] == "pytest":
        return [interpreter, "-m", "pytest", *argv[1:]]
    if argv[0] in ("python", "python3"):
        return [interpreter, *argv[1:]]
    return argv


class _Session:
    """One verification's temporary directory, environment and runs."""

    def __init__(self, root: Path, config: VerifyConfig, cancel: threading.Event | None):
        self.root = root
        self.config = config
        self.cancel = cancel
        self.interpreter = project_interpreter(root, config)
        self.workdir = new_workdir()
        self.helpers = self.workdir / "_hasten"
        self.helpers.mkdir()
        shutil.copyfile(PLUGIN, self.helpers / "hasten_verify_plugin.py")
        shutil.copyfile(REPLAY, self.helpers / "hasten_verify_replay.py")
        shutil.copyfile(STATS, self.helpers / "hasten_verify_stats.py")
        self.limits = Limits(timeout=config.timeout, memory_mb=config.memory_mb)
        self.runs: list[RunResult] = []
        self._copies = 0

    def copy(self, name: str, replace: dict[str, str] | None = None) -> Path:
        """A fresh copy for each run: a test that writes into or deletes from its copy cannot
        spoil the next run."""
        self._copies += 1
        destination = copy_project(self.root, self.workdir / f"{name}-{self._copies}")
        for rel, text in (replace or {}).items():
            # in the file's own encoding (PEP 263 coding, BOM), as a fix would be written back
            (destination / rel).write_bytes(encode_like(text, (self.root / rel).read_bytes()))
        return destination

    def env(self, copy: Path, plugin_config: Path | None) -> dict[str, str]:
        env = dict(os.environ)
        paths = [str(self.helpers), str(copy)]
        if (copy / "src").is_dir():
            paths.append(str(copy / "src"))
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONHASHSEED"] = "0"
        env.pop("PYTEST_CURRENT_TEST", None)
        env.pop("HASTEN_VERIFY_PLUGIN", None)
        if plugin_config is not None:
            env["HASTEN_VERIFY_PLUGIN"] = str(plugin_config)
        env["PYTEST_ADDOPTS"] = (env.get("PYTEST_ADDOPTS", "") + " -p hasten_verify_plugin -p no:cacheprovider").strip()
        return env

    def pytest(self, copy: Path, name: str, mode: str, tests: list[str] | None, timeout: float | None = None, **extra) -> tuple[RunResult, dict | None]:
        out = self.workdir / f"{name}.json"
        plugin_config = self.workdir / f"{name}.plugin.json"
        plugin_config.write_text(json.dumps({"mode": mode, "root": str(copy), "out": str(out), **extra}), encoding="utf-8")
        command = test_command(self.config, self.interpreter) + ["-q", "-p", "no:randomly"] + (tests or [])
        limits = Limits(timeout=timeout or self.limits.timeout, memory_mb=self.limits.memory_mb)
        result = run_limited(command, copy, self.env(copy, plugin_config), limits, self.workdir, self.cancel, name)
        self.runs.append(result)
        data = None
        if out.is_file():
            try:
                data = json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
        return result, data

    def close(self) -> None:
        remove_tree(self.workdir)


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


# -- verdicts -----------------------------------------------------------------------------------

def _failing(data: dict | None, tests: list[str]) -> list[tuple[str, str]]:
    outcomes = (data or {}).get("outcomes", {})
    return [(t, outcomes[t]["message"]) for t in tests if t in outcomes and outcomes[t]["outcome"] in ("failed", "error")]


def _ran(data: dict | None, tests: list[str]) -> list[str]:
    outcomes = (data or {}).get("outcomes", {})
    return [t for t in tests if t in outcomes and outcomes[t]["outcome"] == "passed"]


def noise_floor(timing: dict) -> float:
    """The smallest difference worth a verdict, before the machine's own noise is added."""
    if timing.get("method") == "tests":
        return NOISE_FLOOR_TESTS
    return NOISE_FLOOR_TINY if timing["slowest_call_seconds"] < TINY_CALL else NOISE_FLOOR


_OUTCOME_KIND = {stats.FASTER: VERIFIED_FASTER, stats.SLOWER: SLOWER, stats.NOISE: INCONCLUSIVE, stats.SAME: EQUIVALENT, stats.UNDECIDED: EQUIVALENT}


def decide_timing(timing: dict) -> tuple[str, dict]:
    """(verdict, decision) from the paired rounds of replay or test timing: faster (or slower)
    only when the 95% interval of the per-round ratio clears the noise margin (see ``stats``);
    inconclusive when the original against itself strays too far; otherwise no measurable gain."""
    decision = stats.decide(timing["old_rounds"], timing["new_rounds"], timing["control_rounds"], noise_floor(timing))
    return _OUTCOME_KIND[decision["outcome"]], decision


def _scale_outcome(row: dict) -> tuple[str | None, float | None, str]:
    """(kind or None when that size says nothing, ratio, text) for one grown size."""
    size = f"at {row['factor']}× the input"
    if row.get("skipped"):
        return None, None, f"{size} not timed: {row['skipped']}"
    if row.get("ratio_at_least") is not None:
        bound = row["ratio_at_least"]
        if bound >= 2:
            return VERIFIED_FASTER, bound, f"{size} over {_ratio(bound)} faster (the original over {row['old_over']:.0f} s, the rewrite {_secs(row['new_seconds'])})"
        return None, None, f"{size} the original takes over {row['old_over']:.0f} s and the rewrite {_secs(row['new_seconds'])}: not timed further"
    if row.get("new_over") is not None:
        return SLOWER, None, f"{size} the rewrite takes over {row['new_over']:.0f} s, the original {_secs(row['old_seconds'])}"
    if row.get("decision") is None:
        return None, None, f"{size} not timed"
    kind, decision = decide_timing(row)
    ratio = row["ratio"]
    lo, hi = decision["interval"]
    ci = f"95% interval {_ratio(lo)}–{_ratio(hi)}"
    times = f"{_secs(row['old_seconds'])} → {_secs(row['new_seconds'])}"
    if kind == VERIFIED_FASTER:
        return kind, ratio, f"{size} {_ratio(ratio)} faster ({times}; {ci})"
    if kind == SLOWER:
        return kind, ratio, f"{size} {_ratio(1 / ratio)} slower ({times}; {ci})"
    if kind == INCONCLUSIVE:
        return None, ratio, f"{size} inconclusive: the machine is too noisy (control {_ratio(1 + decision['noise'])})"
    if decision["outcome"] == stats.UNDECIDED:
        # The interval straddles the margin: no difference shown, but none ruled out either.
        return None, ratio, f"{size} no measurable difference ({ratio:.2f}×; {times}; undecided)"
    return EQUIVALENT, ratio, f"{size} no measurable difference ({ratio:.2f}×; {times})"


def _finite(value):
    return value if isinstance(value, (int, float)) and value == value and abs(value) != float("inf") else None


def _scale_row(row: dict) -> dict:
    """One grown size as plain, finite JSON data: for the verdict's ``scale``."""
    out = {"factor": row.get("factor")}
    for key in ("growth", "skipped"):
        if row.get(key) is not None:
            out[key] = row[key]
    for key in ("old_seconds", "new_seconds", "ratio", "ratio_at_least", "old_over", "new_over", "rounds"):
        if _finite(row.get(key)) is not None:
            out[key] = row[key]
    decision = row.get("decision")
    if decision:
        out["interval"] = [_finite(x) for x in decision["interval"]]
        out["outcome"] = decision["outcome"]
    return out


def _secs(value: float | None) -> str:
    if value is None:
        return "?"
    if value >= 1:
        return f"{value:.1f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.1f} µs"


def _estimated_growth(text: str, new_text: str, target: Target) -> tuple[str, str] | None:
    """The growth estimate (analyzers.metrics) of the function before and after the rewrite."""
    try:
        from hasten.analyzers.metrics import metrics_for

        old = metrics_for(Source(text)).function_at(target.start)
        new_source = Source(new_text)
        new = next((f for f in metrics_for(new_source).functions if f.qualname.replace(".", "") == target.qualname.replace("<locals>", "").replace(".", "")), None)
        if old is None or new is None:
            return None
        return old.growth.label(), new.growth.label()
    except Exception:  # an estimate is a bonus: never lose a verdict over it
        return None


def verify_fix(
    path: str | os.PathLike,
    fix: Fix,
    *,
    text: str | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Verdict:
    """Verify ``fix`` (byte edits into ``text``, or into the file's content on disk)."""
    started = time.monotonic()
    progress = progress or (lambda stage, message, percent=None: None)
    path = Path(path).resolve()
    if config is None:
        config, _ = load_config(path)
    vcfg = config.verify
    if not vcfg.enable:
        return Verdict(CANNOT_VERIFY, "verification is disabled here (verify.enable = false)")
    if not command_line_parses(vcfg.test_command):
        return Verdict(CANNOT_VERIFY, f"the test command {vcfg.test_command!r} does not parse (an unbalanced quote?)")
    if not (math.isfinite(vcfg.timeout) and vcfg.timeout > 0):
        return Verdict(CANNOT_VERIFY, f"the timeout {vcfg.timeout!r} is not a positive number of seconds")
    root = find_project_root(path, config.root)
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        return Verdict(CANNOT_VERIFY, f"{path} is outside the project at {root}")
    if text is None:
        try:
            text = decode_source(path.read_bytes())
        except (OSError, UnicodeDecodeError, LookupError) as exc:
            return Verdict(CANNOT_VERIFY, f"cannot read {path}: {exc}")
    source = Source(text, str(path))
    new_text = apply_edits(source.data, list(fix.edits)).decode("utf-8", errors="surrogatepass")
    try:  # the fixed file is written in the file's own encoding, by verification and by --fix
        encode_like(new_text, path.read_bytes())
    except UnicodeEncodeError as exc:
        return Verdict(CANNOT_VERIFY, f"the fixed text has {exc.object[exc.start:exc.end]!r}, which the file's encoding ({exc.encoding}) cannot hold")
    except (OSError, LookupError):
        pass  # an unsaved buffer or a file gone: the copies will say so
    new_source = Source(new_text, str(path))
    if new_source.has_syntax_errors and not source.has_syntax_errors:
        return Verdict(BEHAVIOUR_CHANGED, "the rewritten file does not parse")
    target = target_of(source, fix)
    if target is None:
        return Verdict(CANNOT_VERIFY, "the fix changes several functions at once; verify it after splitting it up")
    verdict = _verify(root, rel, text, new_text, target, vcfg, progress, cancel)
    verdict.function = target.qualname
    verdict.seconds = time.monotonic() - started
    return verdict


def _verify(root: Path, rel: str, text: str, new_text: str, target: Target, vcfg: VerifyConfig, progress: Progress, cancel) -> Verdict:
    session = _Session(root, vcfg, cancel)
    try:
        return _verify_in(session, rel, text, new_text, target, progress)
    finally:
        session.close()


def _select_tests(session: _Session, rel: str, text: str, target: Target, name: str, progress: Progress):
    """(tests, old copy, old run, old data, note) or a Verdict when no test can be selected."""
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
        return tests, old, old_result, old_data, note
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
    progress("running tests", f"running {_plural(len(tests), 'test')} on the original code", 20)
    old = session.copy("old", {rel: text})
    # Twice the time: the recorder wraps every call of the function (recursive ones included).
    old_result, old_data = session.pytest(old, "old", "record", tests, timeout=session.config.timeout * 2, target_file=str(old / rel), qualname=target.qualname)
    return tests, old, old_result, old_data, note


def _verify_in(session: _Session, rel: str, text: str, new_text: str, target: Target, progress: Progress) -> Verdict:
    name = f"the module-level code of {rel}" if target.is_module else f"`{target.qualname}` ({rel}:{target.line})"
    progress("collecting", "finding the tests that reach the function", 0)
    selected = _select_tests(session, rel, text, target, name, progress)
    if isinstance(selected, Verdict):
        return selected
    tests, old, old_result, old_data, selection_note = selected
    if old_result.timed_out:
        return Verdict(CANNOT_VERIFY, f"the tests timed out on the original code after {old_result.seconds:.0f} s", tests=tests)
    failing = _failing(old_data, tests)
    if failing:
        shown = "; ".join(f"{t}: {m}" for t, m in failing[:3])
        return Verdict(CANNOT_VERIFY, f"{_plural(len(failing), 'test')} already failing before the change: {shown}", tests=tests)
    passed = _ran(old_data, tests)
    if not passed:
        return Verdict(CANNOT_VERIFY, f"none of the selected tests ran on the original code (exit {old_result.returncode}): {old_result.tail(3)}", tests=tests)
    tests = passed

    progress("running tests", f"running {_plural(len(tests), 'test')} on the rewritten code", 45)
    new = session.copy("new", {rel: new_text})
    new_result, new_data = session.pytest(new, "new", "run", tests)
    if new_result.timed_out:
        return Verdict(BEHAVIOUR_CHANGED, f"the tests time out on the rewritten code (after {new_result.seconds:.0f} s; {old_result.seconds:.1f} s before)", tests=tests)
    broken = [(t, (new_data or {}).get("outcomes", {}).get(t)) for t in tests]
    broken = [(t, o["message"] if o else "did not run") for t, o in broken if not o or o["outcome"] != "passed"]
    if broken:
        test, message = broken[0]
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        return Verdict(BEHAVIOUR_CHANGED, f"{test} fails after the change: {message}{more}", details=[f"{t}: {m}" for t, m in broken], tests=tests)

    details = [selection_note] if selection_note else []
    details += [f"{_plural(len(tests), 'test')} {_pass(len(tests))} before and after: " + ", ".join(tests[:8]) + (" ..." if len(tests) > 8 else "")]
    status = (old_data or {}).get("target_status", "not imported")
    recorded = int((old_data or {}).get("recorded", 0))
    unpicklable = int((old_data or {}).get("unpicklable", 0))
    replay = None
    if recorded and status == "recording":
        progress("timing", f"replaying {_plural(recorded, 'recorded call')} on both versions (then on inputs grown {' and '.join(f'{f}×' for f in SCALE_FACTORS)})", 65)
        replay = _replay(session, old, session.copy("replay-old", {rel: text}), session.copy("replay-new", {rel: new_text}), rel, target, old_data)
        if replay.get("error"):
            details.append(f"replaying the recorded calls failed ({replay['error']}); timed the tests instead")
            replay = None
        elif replay.get("loaded", "function") != "function":
            details.append(f"the rewritten function could not be compiled alone; its module was loaded a second time ({replay['loaded']})")
    else:
        reason = status if status != "recording" else (
            f"its arguments could not be pickled ({_plural(unpicklable, 'call')})" if unpicklable else "no call was recorded"
        )
        details.append(f"calls not replayed: {reason}" if target.is_module else f"calls of {target.qualname} not replayed: {reason}")

    calls_compared = 0
    if replay is not None:
        calls = replay["calls"]
        comparable = [c for c in calls if c["reproducible"]]
        skipped = len(calls) - len(comparable)
        if skipped:
            details.append(f"{_plural(skipped, 'recorded call')} not compared: the original gives different results on each run")
        for call in comparable:
            if not call["same_result"]:
                return Verdict(
                    BEHAVIOUR_CHANGED,
                    f"call {call['index'] + 1} of {target.qualname} (from {call['test']}): expected it {call['expected']}, but it {call['got']}",
                    details=details, tests=tests, calls_compared=len(comparable), timing="replay",
                )
            if not call["same_arguments"]:
                return Verdict(
                    BEHAVIOUR_CHANGED,
                    f"call {call['index'] + 1} of {target.qualname} (from {call['test']}) leaves its arguments different: "
                    f"expected {call['expected_arguments']}, got {call['got_arguments']}",
                    details=details, tests=tests, calls_compared=len(comparable), timing="replay",
                )
        calls_compared = len(comparable)
        details.append(f"{_plural(calls_compared, 'recorded call')} {'gives' if calls_compared == 1 else 'give'} the same results and {'leaves' if calls_compared == 1 else 'leave'} the arguments the same")
        edges = replay.get("edge_cases") or []
        raising = [e for e in edges if e["only_rewrite_raises"]]
        if raising:
            e = raising[0]
            return Verdict(
                BEHAVIOUR_CHANGED,
                f"on an edge case derived from call {e['call'] + 1} of {target.qualname} ({e['argument']} {e['variant']}) only the rewrite raises: "
                f"the original {e['expected']}, the rewrite {e['got']}",
                details=details + [f"edge case ({x['argument']} {x['variant']} of call {x['call'] + 1}): the original {x['expected']}, the rewrite {x['got']}" for x in raising[:5]],
                tests=tests, calls_compared=calls_compared, timing="replay",
            )
        # Different values on a derived input are reported, not judged: the emptied argument may be
        # outside what the function accepts (two lists whose lengths must match), where the two
        # versions are free to differ.
        parted = [e for e in edges if not e["same"] and not e["original_raises"]]
        for x in parted[:3]:
            details.append(f"caution: on an edge case derived from call {x['call'] + 1} ({x['argument']} {x['variant']}) the versions "
                           f"return different values: the original {x['expected']}, the rewrite {x['got']}; check that such inputs cannot occur")
        if edges and not parted:
            details.append(f"{_plural(len(edges), 'edge case')} derived from the recorded calls (arguments emptied or cut to one element): the versions agree")
        if replay.get("caches", {}).get("new") or replay.get("caches", {}).get("old"):
            details.append("functools caches cleared before every replayed call, so a memoized version is timed computing, not recalling")

    timing = replay.get("timing") if replay else None
    method = "replay"
    if timing is None:
        progress("timing", "timing the tests as a whole", 75)
        timing = _time_tests(session, rel, text, new_text, tests, progress)
        method = "tests"
        if timing is None:
            return Verdict(EQUIVALENT, f"{_plural(len(tests), 'test')} {_pass(len(tests))}; the tests are too short to time, so no measurable gain can be shown",
                           details=details, tests=tests, calls_compared=calls_compared)
    kind, decision = decide_timing(timing)
    ratio = timing["ratio"]
    spread = (min(timing["per_input_ratio"]), max(timing["per_input_ratio"]))
    lo, hi = decision["interval"]
    rounds = timing["rounds"]
    if method == "replay":
        how = f"{rounds} paired rounds on {_plural(timing['inputs'], 'recorded input')}"
        if timing["inputs"] > 1:
            how += f"; per input {spread[0]:.2f}–{spread[1]:.2f}×"
    else:
        how = f"whole tests, {rounds} paired runs; the calls could not be replayed"
    control_text = f"the original against itself {_ratio(decision['control'][0])}–{_ratio(decision['control'][1])}"
    details.append(f"timing at test sizes: {how}; ratio of minima {_ratio(ratio)}, 95% interval of the per-round ratio "
                   f"{_ratio(lo)}–{_ratio(hi)}; {control_text}; margin {decision['margin']:.0%}")
    pass_text = f"{_plural(len(tests), 'test')} {_pass(len(tests))}"
    noise = 1 + decision["noise"]
    if kind == VERIFIED_FASTER:
        at_tests = f"{_ratio(ratio)} faster ({how}; 95% interval {_ratio(lo)}–{_ratio(hi)})"
    elif kind == SLOWER:
        at_tests = f"{_ratio(1 / ratio)} slower ({how}; 95% interval {_ratio(lo)}–{_ratio(hi)})"
    elif kind == INCONCLUSIVE:
        at_tests = f"inconclusive: the machine is too noisy (control {_ratio(noise)})"
    else:
        at_tests = (f"{_plural(calls_compared, 'call')} {'matches' if calls_compared == 1 else 'match'}; " if calls_compared else "") + f"no measurable gain ({ratio:.2f}×, margin {decision['margin']:.0%})"

    # The scale check: what the verdict is about when the inputs grow.
    scale_rows = (replay or {}).get("scale") or []
    scale_texts = []
    top = None  # (kind, ratio, factor, row) of the largest size with a verdict
    base = next((r for r in scale_rows if r.get("factor") == 1), None)
    scale_rows = [r for r in scale_rows if r.get("factor") != 1]
    for row in scale_rows:
        s_kind, s_ratio, s_text = _scale_outcome(row)
        scale_texts.append(s_text)
        if s_kind is not None:
            top = (s_kind, s_ratio, row["factor"], row)
    growth = None
    old_exponent = None
    measured = [(float(r["factor"]), r.get("old_seconds"), r.get("new_seconds")) for r in ([base] if base else []) + scale_rows if r.get("old_seconds") and r.get("new_seconds")]
    if len(measured) >= 2:
        old_exponent = stats.growth_exponent([m[0] for m in measured], [m[1] for m in measured])
        new_exponent = stats.growth_exponent([m[0] for m in measured], [m[2] for m in measured])
        growth = f"growth {stats.growth_label(old_exponent)} → {stats.growth_label(new_exponent)} (measured)"
    if method == "replay":
        estimate = _estimated_growth(text, new_text, target)
        if estimate:
            growth = (growth + "; " if growth else "") + f"estimated {estimate[0]} → {estimate[1]}"
    if top is not None and old_exponent is not None and old_exponent < GROWS:
        # The original takes about as long on the grown input as on the recorded one: what was
        # grown is not what its work depends on (or the grown input is rejected early), so the
        # larger sizes say nothing the test sizes do not.
        scale_texts.append(f"the original's time hardly grows with the grown input ({stats.growth_label(old_exponent)} measured), so the verdict is about the test sizes")
        top = None
    if scale_texts:
        details.append("scale check (the largest recorded input grown): " + "; ".join(scale_texts))
    if growth:
        details.append(growth)

    size = TEST_SIZES
    final_kind, final_ratio, final_interval = kind, ratio, (lo, hi)
    if top is not None and top[0] != kind:
        # The largest grown size that gave an answer decides (a gain at test sizes that vanishes
        # as the input grows is no gain); the summary keeps every size.
        final_kind, final_ratio = top[0], top[1]
        size = f"{top[2]}× the input"
        final_interval = tuple(top[3]["decision"]["interval"]) if top[3].get("decision") else None
    parts = [f"at test sizes {at_tests}"] + [t for t in scale_texts if not t.endswith("not timed")]
    summary = f"{pass_text}; " + "; ".join(parts) + (f"; {growth}" if growth and scale_texts else "")
    if final_kind == INCONCLUSIVE:
        # Noise that high has no ratio worth giving.
        summary = f"{pass_text}; {at_tests}" + ("; " + "; ".join(scale_texts) if scale_texts else "")
        final_ratio = final_interval = None
    test_ratio = None if kind == INCONCLUSIVE else ratio
    return Verdict(final_kind, summary, details=details, tests=tests, ratio=final_ratio, spread=spread, timing=method,
                   calls_compared=calls_compared, interval=final_interval, control=noise, size=size, scale=[_scale_row(r) for r in ([base] if base else []) + scale_rows], growth=growth,
                   test_ratio=test_ratio)


def _replay(session: _Session, recorded_in: Path, old: Path, new: Path, rel: str, target: Target, old_data: dict) -> dict:
    calls_path = session.workdir / "old.json.calls"
    out = session.workdir / "replay.out.json"
    # The recording run's sys.path, moved to the replay's own copy of the original code.
    moved = [str(old) + p[len(str(recorded_in)):] if p == str(recorded_in) or p.startswith(str(recorded_in) + os.sep) else p for p in old_data.get("sys_path", []) if p]
    budget = min(REPLAY_BUDGET, session.config.timeout / 3)
    scale_budget = min(SCALE_BUDGET, session.config.timeout / 3)
    config = {
        "sys_path": moved or [str(old)],
        "module": old_data["target_module"],
        "new_file": str(new / rel),
        "qualname": target.qualname,
        "calls": str(calls_path),
        "out": str(out),
        "rounds": session.config.rounds,
        "budget": budget,
        "max_inputs": 6,
        "floor": NOISE_FLOOR,
        "scale": list(SCALE_FACTORS),
        "scale_budget": scale_budget,
        "scale_deadline": min(SCALE_DEADLINE, scale_budget / 4),
    }
    # The replay runs in a copy of the original code; the rewritten function is compiled beside it.
    config_path = session.workdir / "replay.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    command = [session.interpreter, str(session.helpers / "hasten_verify_replay.py"), str(config_path)]
    limits = Limits(timeout=max(session.limits.timeout, budget + scale_budget + 30), memory_mb=session.limits.memory_mb)
    result = run_limited(command, old, session.env(old, None), limits, session.workdir, session.cancel, "replay")
    session.runs.append(result)
    if result.timed_out:
        return {"error": f"timed out after {result.seconds:.0f} s"}
    try:
        return json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"error": f"exit {result.returncode}: {result.tail(3)}"}


def _time_tests(session: _Session, rel: str, text: str, new_text: str, tests: list[str], progress: Progress) -> dict | None:
    """Fallback timing: the selected tests' call phases, in paired rounds of three runs — the
    original, the rewrite and the original again (the control) in rotating order — until the
    interval is clear of the margin or the budget is spent (see ``stats.decide``)."""
    series: dict[str, dict[str, list[float]]] = {label: {t: [] for t in tests} for label in ("old", "new", "control")}
    totals: dict[str, list[float]] = {"old": [], "new": [], "control": []}
    contents = {"old": text, "new": new_text, "control": text}
    labels = ["old", "new", "control"]
    started = time.monotonic()
    target_rounds = stats.rounds_for_confidence()
    r = 0
    while True:
        while r < target_rounds:
            progress("timing", f"timing the tests as a whole: round {r + 1} of {target_rounds} or more", 75)
            round_totals = {}
            for label in labels[r % 3:] + labels[: r % 3]:
                copy = session.copy(f"time-{label}", {rel: contents[label]})
                result, data = session.pytest(copy, f"time-{label}-{r}", "run", tests)
                if result.timed_out or data is None:
                    return None
                total = 0.0
                for t in tests:
                    o = data["outcomes"].get(t)
                    if o is None or o["outcome"] != "passed":
                        return None
                    series[label][t].append(o["duration"])
                    total += o["duration"]
                round_totals[label] = total
            for label in labels:
                totals[label].append(round_totals[label])
            r += 1
        old_min = [min(v) for v in series["old"].values()]
        if sum(old_min) < 1e-3:
            return None
        decision = stats.decide(totals["old"], totals["new"], totals["control"], NOISE_FLOOR_TESTS)
        elapsed = time.monotonic() - started
        if decision["outcome"] != stats.UNDECIDED or r >= TEST_TIMING_MAX_ROUNDS or elapsed * (r + 3) / r > TEST_TIMING_BUDGET:
            break
        target_rounds = r + 3
    old_min = [min(v) for v in series["old"].values()]
    new_min = [min(v) for v in series["new"].values()]
    control_min = [min(v) for v in series["control"].values()]
    if sum(new_min) <= 0:
        return None
    per = [o / n for o, n in zip(old_min, new_min) if n > 0]
    return {
        "method": "tests", "rounds": r, "inputs": len(tests), "ratio": sum(old_min) / sum(new_min),
        "per_input_ratio": per or [1.0],
        "round_ratios": [o / n if n > 0 else float("inf") for o, n in zip(totals["old"], totals["new"])],
        "old_rounds": totals["old"], "new_rounds": totals["new"], "control_rounds": totals["control"],
        "control_ratio": sum(old_min) / sum(control_min) if sum(control_min) > 0 else 1.0,
        "slowest_call_seconds": max(max(old_min), max(new_min)),
        "old_min_seconds": old_min, "new_min_seconds": new_min,
    }
