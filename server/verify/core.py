"""Verify one fix: select the tests that reach the changed function, run them on the original and
the rewritten code in isolated copies, replay the function's recorded calls on both versions,
time them, and return a verdict with its evidence.

Usable without LSP: ``verify_fix(path, fix)`` is all a front end needs. ``progress`` receives
(stage, message, percent) and ``cancel`` (a threading.Event) stops the work promptly, killing
every process the run started.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import shutil
import statistics
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
    find_project_root,
    fingerprint,
    new_workdir,
    remove_tree,
)
from hasten.server.verify.target import Target, target_of

VERIFIED_FASTER = "verified-faster"
EQUIVALENT = "equivalent-no-gain"
SLOWER = "slower"
BEHAVIOUR_CHANGED = "behaviour-changed"
CANNOT_VERIFY = "cannot-verify"
VERDICTS = (VERIFIED_FASTER, EQUIVALENT, SLOWER, BEHAVIOUR_CHANGED, CANNOT_VERIFY)

NOISE_FLOOR = 0.05  # below a 5% difference there is no measurable gain
NOISE_FLOOR_TINY = 0.15  # for calls under 10 µs, where timer and loop overhead weigh more
TINY_CALL = 10e-6
MAX_NOISE_FLOOR = 1.0  # a machine so busy that timing means nothing: only 2× and beyond count
NOISE_FLOOR_TESTS = 0.10  # whole tests include setup and assertions: a coarser measure
REPLAY_BUDGET = 20.0  # seconds of timing at most
TEST_TIMING_ROUNDS = 3

PLUGIN = Path(__file__).with_name("_plugin.py")
REPLAY = Path(__file__).with_name("_replay.py")

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

    @property
    def accepted(self) -> bool:
        return self.kind in (VERIFIED_FASTER, EQUIVALENT)

    def short(self) -> str:
        """Evidence short enough for a code action title."""
        if self.kind == VERIFIED_FASTER and self.ratio:
            return f"verified {_ratio(self.ratio)} faster, {len(self.tests)} test{'s' if len(self.tests) != 1 else ''}"
        if self.kind == EQUIVALENT:
            return f"verified equivalent, no measurable gain, {len(self.tests)} tests"
        return self.kind.replace("-", " ")

    def headline(self) -> str:
        """The verdict as one sentence: for messages and the command line."""
        prefix = {
            VERIFIED_FASTER: "verified", EQUIVALENT: "equivalent", SLOWER: "slower",
            BEHAVIOUR_CHANGED: "not verified", CANNOT_VERIFY: "cannot verify",
        }[self.kind]
        return f"{prefix}: {self.summary}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["headline"] = self.headline()
        data["spread"] = list(self.spread) if self.spread else None
        return data


def _ratio(value: float) -> str:
    return f"{value:.1f}×" if value < 100 else f"{value:.0f}×"


def _quartiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    if len(ordered) < 4:
        return ordered[0], ordered[-1]
    q = statistics.quantiles(ordered, n=4)
    return q[0], q[2]


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

def _map_key(root: Path, config: VerifyConfig, interpreter: str) -> str:
    return fingerprint(root, extra=f"{config.test_command}\0{interpreter}\0map-v1")


def load_test_map(session: _Session, progress: Progress) -> tuple[dict | None, str | None]:
    """{test: [[relpath, qualname, line], ...]} and baseline outcomes; from the cache if the
    project's files are unchanged, else from one profiled run of the whole suite."""
    key = _map_key(session.root, session.config, session.interpreter)
    cached = cache_dir() / f"{key}.json"
    if cached.is_file():
        try:
            return json.loads(cached.read_text(encoding="utf-8")), None
        except (OSError, ValueError):
            pass
    progress("collecting", "mapping which tests reach which functions", 5)
    copy = session.copy("map")
    result, data = session.pytest(copy, "map", "map", None, timeout=session.config.timeout * 3)
    if result.timed_out:
        return None, f"collecting the tests timed out after {result.seconds:.0f} s"
    if data is None or "reached" not in data:
        return None, f"the test command did not run (exit {result.returncode}): {result.tail(5)}"
    entry = {"reached": data["reached"], "outcomes": data["outcomes"]}
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(tmp, cached)
        _prune(cached.parent)
    except OSError:
        pass
    return entry, None


MAX_CACHED_MAPS = 64


def _prune(directory: Path) -> None:
    """Keep the newest maps only: every edit of a project makes a new one."""
    maps = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in maps[MAX_CACHED_MAPS:]:
        try:
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
    if timing.get("method") == "tests":
        floor = NOISE_FLOOR_TESTS
    else:
        floor = NOISE_FLOOR_TINY if timing["slowest_call_seconds"] < TINY_CALL else NOISE_FLOOR
    control = timing.get("control_ratio")
    if control:
        # The original against itself should give 1.0; twice its deviation is noise we cannot
        # tell from a real difference.
        floor = max(floor, 2 * abs(max(control, 1 / control) - 1))
    return min(floor, MAX_NOISE_FLOOR)


def decide_timing(timing: dict) -> tuple[str, float]:
    """(verdict, floor) from replay or test timings: faster only if the ratio clears the noise
    floor and every round agrees; slower likewise; otherwise no measurable gain."""
    floor = noise_floor(timing)
    ratio = timing["ratio"]
    rounds = timing["round_ratios"]
    # The minima must be confirmed by a second, independent-enough statistic: the ratio of the
    # lower quartiles per input (replay), or the median round (whole tests). Single rounds are
    # single samples, which a busy machine spoils easily; the lower quartile is still clean there.
    middle = timing["q1_ratio"] if "q1_ratio" in timing else statistics.median(rounds)
    if ratio >= 1 + floor and middle > 1:
        return VERIFIED_FASTER, floor
    if ratio <= 1 / (1 + floor) and middle < 1:
        return SLOWER, floor
    return EQUIVALENT, floor


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


def _verify_in(session: _Session, rel: str, text: str, new_text: str, target: Target, progress: Progress) -> Verdict:
    name = f"the module-level code of {rel}" if target.is_module else f"`{target.qualname}` ({rel}:{target.line})"
    progress("collecting", "finding the tests that reach the function", 0)
    test_map, problem = load_test_map(session, progress)
    recordable = not target.is_module and "<locals>" not in target.qualname
    selection_note = None
    if test_map is None and recordable and problem and "timed out" in problem:
        # Profiling every call made the suite too slow. Select the tests another way: run the whole
        # suite once with only the changed function wrapped, and take the tests that call it.
        progress("collecting", "profiling timed out; running the whole suite with the function wrapped", 10)
        old = session.copy("old", {rel: text})
        old_result, old_data = session.pytest(old, "old", "record", None, timeout=session.config.timeout * 3, target_file=str(old / rel), qualname=target.qualname)
        if old_result.timed_out or old_data is None:
            return Verdict(CANNOT_VERIFY, f"{problem}, and so did the whole suite with the function wrapped")
        tests = list(old_data.get("callers", []))
        selection_note = f"tests selected by wrapping {target.qualname} ({problem})"
        if not tests:
            return Verdict(CANNOT_VERIFY, f"no test calls {name} ({_plural(len(old_data.get('outcomes', {})), 'test')} ran)")
    else:
        if test_map is None:
            return Verdict(CANNOT_VERIFY, problem or "the tests could not be collected")
        tests = tests_reaching(test_map, rel, target)
        if not tests:
            return Verdict(CANNOT_VERIFY, f"no test reaches {name} ({_plural(len(test_map['reached']), 'test')} collected)")
        progress("running tests", f"running {_plural(len(tests), 'test')} on the original code", 20)
        old = session.copy("old", {rel: text})
        # Twice the time: the recorder wraps every call of the function (recursive ones included).
        old_result, old_data = session.pytest(old, "old", "record", tests, timeout=session.config.timeout * 2, target_file=str(old / rel), qualname=target.qualname)
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
        progress("timing", f"replaying {_plural(recorded, 'recorded call')} on both versions", 65)
        replay = _replay(session, old, session.copy("replay-old", {rel: text}), session.copy("replay-new", {rel: new_text}), rel, target, old_data)
        if replay.get("error"):
            details.append(f"replaying the recorded calls failed ({replay['error']}); timed the tests instead")
            replay = None
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

    timing = replay.get("timing") if replay else None
    method = "replay"
    if timing is None:
        progress("timing", "timing the tests as a whole", 75)
        timing = _time_tests(session, rel, text, new_text, tests)
        method = "tests"
        if timing is None:
            return Verdict(EQUIVALENT, f"{_plural(len(tests), 'test')} {_pass(len(tests))}; the tests are too short to time, so no measurable gain can be shown",
                           details=details, tests=tests, calls_compared=calls_compared)
    kind, floor = decide_timing(timing)
    ratio = timing["ratio"]
    spread = (min(timing["per_input_ratio"]), max(timing["per_input_ratio"]))
    if method == "replay":
        how = f"min of {timing['rounds']} alternating rounds on {_plural(timing['inputs'], 'recorded input')}"
        if timing["inputs"] > 1:
            how += f"; per input {spread[0]:.2f}–{spread[1]:.2f}×"
    else:
        how = f"whole tests, min of {timing['rounds']} alternating runs; the calls could not be replayed"
    quartiles = _quartiles(timing["round_ratios"])
    control = f"; the original against itself {timing['control_ratio']:.2f}×" if timing.get("control_ratio") else ""
    details.append(f"timing: {how}; per-round ratios, middle half {quartiles[0]:.2f}–{quartiles[1]:.2f}×{control}; noise floor {floor:.0%}")
    pass_text = f"{_plural(len(tests), 'test')} {_pass(len(tests))}"
    if kind == VERIFIED_FASTER:
        summary = f"{pass_text}, {_ratio(ratio)} faster ({how})"
    elif kind == SLOWER:
        summary = f"{pass_text}, but {_ratio(1 / ratio)} slower ({how})"
    else:
        summary = pass_text + (f", {_plural(calls_compared, 'call')} {'matches' if calls_compared == 1 else 'match'}" if calls_compared else "") + f"; no measurable gain ({ratio:.2f}×, noise floor {floor:.0%})"
    return Verdict(kind, summary, details=details, tests=tests, ratio=ratio, spread=spread, timing=method, calls_compared=calls_compared)


def _replay(session: _Session, recorded_in: Path, old: Path, new: Path, rel: str, target: Target, old_data: dict) -> dict:
    calls_path = session.workdir / "old.json.calls"
    out = session.workdir / "replay.out.json"
    # The recording run's sys.path, moved to the replay's own copy of the original code.
    moved = [str(old) + p[len(str(recorded_in)):] if p == str(recorded_in) or p.startswith(str(recorded_in) + os.sep) else p for p in old_data.get("sys_path", []) if p]
    config = {
        "sys_path": moved or [str(old)],
        "module": old_data["target_module"],
        "new_file": str(new / rel),
        "qualname": target.qualname,
        "calls": str(calls_path),
        "out": str(out),
        "rounds": session.config.rounds,
        "budget": min(REPLAY_BUDGET, session.config.timeout / 2),
        "max_inputs": 6,
    }
    # The replay runs in a copy of the original code; the rewritten module is loaded beside it.
    config_path = session.workdir / "replay.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    command = [session.interpreter, str(session.helpers / "hasten_verify_replay.py"), str(config_path)]
    result = run_limited(command, old, session.env(old, None), session.limits, session.workdir, session.cancel, "replay")
    session.runs.append(result)
    if result.timed_out:
        return {"error": f"timed out after {result.seconds:.0f} s"}
    try:
        return json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"error": f"exit {result.returncode}: {result.tail(3)}"}


def _time_tests(session: _Session, rel: str, text: str, new_text: str, tests: list[str]) -> dict | None:
    """Fallback timing: the selected tests' call phases, alternating old and new runs, with a
    second run of the original in every round as a control (see ``noise_floor``)."""
    series: dict[str, dict[str, list[float]]] = {label: {t: [] for t in tests} for label in ("old", "new", "control")}
    contents = {"old": text, "new": new_text, "control": text}
    labels = ["old", "new", "control"]
    round_ratios = []
    for r in range(TEST_TIMING_ROUNDS):
        totals = {}
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
            totals[label] = total
        if totals["new"] > 0:
            round_ratios.append(totals["old"] / totals["new"])
    old_min = [min(v) for v in series["old"].values()]
    new_min = [min(v) for v in series["new"].values()]
    control_min = [min(v) for v in series["control"].values()]
    if sum(old_min) < 1e-3 or sum(new_min) <= 0 or not round_ratios:
        return None
    per = [o / n for o, n in zip(old_min, new_min) if n > 0]
    return {
        "method": "tests", "rounds": TEST_TIMING_ROUNDS, "inputs": len(tests), "ratio": sum(old_min) / sum(new_min),
        "per_input_ratio": per or [1.0], "round_ratios": round_ratios,
        "control_ratio": sum(old_min) / sum(control_min) if sum(control_min) > 0 else 1.0,
        "slowest_call_seconds": max(max(old_min), max(new_min)),
    }
