"""Measuring both versions: the replay of the recorded calls (compared, then timed at test sizes
and on grown inputs, in a process of its own) and, when the calls cannot be replayed, the selected
tests timed as a whole in paired rounds."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from hasten.server.verify import stats
from hasten.server.verify.process import Limits, run_limited
from hasten.server.verify.session import Progress, _Session
from hasten.server.verify.target import Target
from hasten.server.verify.verdict import NOISE_FLOOR, NOISE_FLOOR_TESTS

REPLAY_BUDGET = 20.0  # seconds of timing at test sizes at most
SCALE_FACTORS = (10, 100)  # the scale check grows the recorded input this many times
SCALE_BUDGET = 30.0  # seconds for the scale check
SCALE_DEADLINE = 2.0  # seconds for one call at a grown size; beyond it only the rewrite is timed there
TEST_TIMING_BUDGET = 90.0  # seconds of whole-test timing before extra rounds stop
TEST_TIMING_MAX_ROUNDS = 12


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
