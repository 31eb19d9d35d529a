"""Unit tests of verification's parts: target functions, timing decisions, processes, replay."""

import importlib.util
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from hasten.analyzers.config import config_from_table
from hasten.analyzers.finding import Applicability, Edit, Finding, Fix
from hasten.analyzers.source import Source
from hasten.server.cli.commands.verify import parse_target
from hasten.server.verify import core
from hasten.server.verify.batch import VerifiedFix, apply_verified
from hasten.server.verify.process import Cancelled, Limits, run_limited
from hasten.server.verify.project import copy_project, fingerprint
from hasten.server.verify.target import target_of

REPLAY = Path(core.__file__).with_name("_replay.py")


def _load_replay():
    spec = importlib.util.spec_from_file_location("hasten_replay_under_test", REPLAY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CODE = """\
import os

class Shelf:
    def count(self, items):
        def inner(x):
            return x + 1
        return len(items)

def top(xs):
    return sorted(xs)[0]
"""


def _fix_at(text, needle, content="X"):
    start = text.encode().index(needle.encode())
    return Fix("t", (Edit(start, start + len(needle.encode()), content),), Applicability.UNSAFE)


@pytest.mark.parametrize("needle, qualname, line", [
    ("len(items)", "Shelf.count", 4),
    ("x + 1", "Shelf.count.<locals>.inner", 5),
    ("sorted(xs)[0]", "top", 9),
])
def test_target_qualname(needle, qualname, line):
    target = target_of(Source(CODE), _fix_at(CODE, needle))
    assert (target.qualname, target.line) == (qualname, line)


def test_target_outside_functions_is_the_module():
    target = target_of(Source(CODE), _fix_at(CODE, "import os"))
    assert target.is_module and target.qualname == "<module>"


def test_target_spanning_two_functions_is_none():
    fix = Fix("t", (_fix_at(CODE, "len(items)").edits[0], _fix_at(CODE, "sorted(xs)[0]").edits[0]), Applicability.UNSAFE)
    assert target_of(Source(CODE), fix) is None


def test_target_import_plus_body_edit_is_the_function():
    fix = Fix("t", (Edit(0, 0, "import collections\n"), _fix_at(CODE, "sorted(xs)[0]").edits[0]), Applicability.UNSAFE)
    assert target_of(Source(CODE), fix).qualname == "top"


def test_parse_target(tmp_path):
    assert parse_target("a/b.py:12") == ("a/b.py", 12)
    assert parse_target("a/b.py") == ("a/b.py", None)


def _rounds(ratios, control=None, slowest=1e-3):
    old = [1e-3] * len(ratios)
    return {"ratio": 1.0, "slowest_call_seconds": slowest, "per_input_ratio": [1.0], "old_rounds": old,
            "new_rounds": [o / r for o, r in zip(old, ratios)],
            "control_rounds": [o / c for o, c in zip(old, control or [1.0] * len(ratios))]}


def test_decide_timing_by_interval():
    # Every paired round agrees: the interval clears the 5% floor.
    assert core.decide_timing(_rounds([2.9, 3.1, 3.0, 3.2, 2.8, 3.0]))[0] == core.VERIFIED_FASTER
    assert core.decide_timing(_rounds([0.5, 0.5, 0.6, 0.55, 0.5, 0.52]))[0] == core.SLOWER
    # Within the floor: no measurable gain.
    assert core.decide_timing(_rounds([1.04, 1.05, 1.03, 1.02, 1.04, 1.03]))[0] == core.EQUIVALENT
    # One lucky round cannot make a verdict: the interval reaches below 1.
    assert core.decide_timing(_rounds([0.9, 0.95, 2.0, 1.5, 1.4, 1.6]))[0] == core.EQUIVALENT
    # A control that strays 1.2× raises the margin to 20%: 1.15× is not enough.
    kind, decision = core.decide_timing(_rounds([1.15] * 6, control=[1.2, 0.9, 1.0, 1.1, 1.0, 1.0]))
    assert kind == core.EQUIVALENT and decision["margin"] == pytest.approx(0.2)
    # The original against itself at 4×: inconclusive, never a ratio.
    kind, decision = core.decide_timing(_rounds([4.0, 0.3, 2.5, 1.0, 0.8, 3.0], control=[4.06, 0.5, 1.0, 2.0, 1.0, 0.7]))
    assert kind == core.INCONCLUSIVE and decision["noise"] > 3
    # ... unless the rewrite's interval clears even that noise.
    assert core.decide_timing(_rounds([90, 100, 80, 120, 95, 99], control=[1.5, 0.8, 1.0, 1.2, 1.0, 1.1]))[0] == core.VERIFIED_FASTER


def test_median_interval_order_statistics():
    from hasten.server.verify import stats

    assert stats.rounds_for_confidence() == 6
    assert stats.median_interval([5, 1, 4, 2, 3, 6]) == (1, 6)
    values = list(range(1, 21))
    assert stats.median_interval(values) == (6, 15)
    assert stats.growth_label(stats.growth_exponent([1, 10, 100], [1, 100, 10000])) == "O(n²)"


def test_verify_config_keys():
    cfg, messages = config_from_table({"verify": {"timeout": 5, "memory-mb": 300, "rounds": 3, "enable": False, "test-command": "pytest -x"}}, "p")
    assert not messages
    assert (cfg.verify.timeout, cfg.verify.memory_mb, cfg.verify.rounds, cfg.verify.enable) == (5, 300, 3, False)
    assert core.test_command(cfg.verify, "/py") == ["/py", "-m", "pytest", "-x"]


def test_disabled_verification_never_runs(tmp_path):
    cfg, _ = config_from_table({"verify": {"enable": False}}, "p")
    f = tmp_path / "m.py"
    f.write_text(CODE)
    verdict = core.verify_fix(f, _fix_at(CODE, "sorted(xs)[0]", "min(xs)"), config=cfg)
    assert verdict.kind == core.CANNOT_VERIFY and "disabled" in verdict.summary


def test_fingerprint_and_copy_skip_caches(tmp_path):
    root = tmp_path / "p"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "x.py").write_text("a")
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("")
    (root / "m.py").write_text("a = 1\n")
    before = fingerprint(root)
    (root / ".git" / "x.py").write_text("b")
    assert fingerprint(root) == before
    (root / "m.py").write_text("a = 2\n")
    assert fingerprint(root) != before
    copy = copy_project(root, tmp_path / "copy")
    assert (copy / "m.py").exists() and not (copy / ".git").exists() and not (copy / ".venv").exists()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_timeout_kills_group_and_escaped_children(tmp_path):
    pidfile = tmp_path / "pids"
    script = (
        "import os, subprocess, sys, time\n"
        f"a = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
        f"b = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)\n"
        f"open({str(pidfile)!r}, 'w').write(f'{{a.pid}} {{b.pid}}')\n"
        "time.sleep(300)\n"
    )
    start = time.monotonic()
    result = run_limited([sys.executable, "-c", script], tmp_path, dict(os.environ), Limits(timeout=2), tmp_path)
    assert result.timed_out and time.monotonic() - start < 10
    pids = [int(p) for p in pidfile.read_text().split()]
    time.sleep(0.2)
    assert not any(_alive(p) for p in pids)
    assert result.killed_escapees >= 1


def test_cancel_stops_the_run(tmp_path):
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    start = time.monotonic()
    with pytest.raises(Cancelled):
        run_limited([sys.executable, "-c", "import time; time.sleep(300)"], tmp_path, dict(os.environ), Limits(timeout=60), tmp_path, cancel)
    assert time.monotonic() - start < 5


def test_memory_limit(tmp_path):
    result = run_limited([sys.executable, "-c", "x = bytearray(600 * 1024 * 1024)"], tmp_path, dict(os.environ), Limits(timeout=20, memory_mb=300), tmp_path)
    assert result.returncode != 0 and "MemoryError" in result.stderr


# -- replay's comparison, in process ------------------------------------------------------------

def _calls(*arg_tuples, fn):
    out = []
    for args in arg_tuples:
        before = pickle.dumps((args, {}))
        a, k = pickle.loads(before)
        out.append({"before": before, "outcome": ("return", pickle.dumps(fn(*a))), "test": "t", "seconds": 0.0})
    return out


def test_replay_detects_a_different_result():
    replay = _load_replay()
    old = lambda xs: sorted(xs)[0]
    new = lambda xs: sorted(xs)[-1]
    result = replay.compare(old, new, _calls(([3, 1, 2],), fn=old))
    assert result[0]["reproducible"] and not result[0]["same_result"]
    assert "returns 1" in result[0]["expected"] and "returns 3" in result[0]["got"]


def test_replay_detects_mutated_arguments():
    replay = _load_replay()
    old = lambda xs: min(xs)
    def new(xs):
        xs.sort()
        return xs[0]
    result = replay.compare(old, new, _calls(([3, 1, 2],), fn=old))
    assert result[0]["same_result"] and not result[0]["same_arguments"]


def test_replay_compares_exceptions():
    replay = _load_replay()
    old = lambda xs: sorted(xs)[0]
    new = lambda xs: min(xs)
    calls = [{"before": pickle.dumps((([],), {})), "outcome": ("raise", "IndexError", "list index out of range"), "test": "t"}]
    result = replay.compare(old, new, calls)
    assert not result[0]["same_result"] and "IndexError" in result[0]["expected"] and "ValueError" in result[0]["got"]


def test_replay_timing_finds_a_real_speedup():
    replay = _load_replay()
    old = lambda xs, ys: [x for x in xs if x in ys]
    new = lambda xs, ys: [x for x in xs if x in set(ys)] if False else (lambda s: [x for x in xs if x in s])(set(ys))
    calls = _calls((list(range(400)), list(range(0, 800, 2))), fn=old)
    compared = replay.compare(old, new, calls)
    timing = replay.timing(old, new, calls, compared, rounds=5, budget=5, max_inputs=6)
    assert timing["ratio"] > 3 and timing["rounds"] >= 6
    assert core.decide_timing(timing)[0] == core.VERIFIED_FASTER


def test_apply_verified_one_fix_per_function():
    text = "def f(a):\n    return sorted(a)[0] + sorted(a)[-1]\n"
    src = Source(text)
    fa = Finding("HS304", "n", "m", 0, 1, fix=_fix_at(text, "sorted(a)[0]", "min(a)"))
    fb = Finding("HS304", "n", "m", 5, 6, fix=_fix_at(text, "sorted(a)[-1]", "max(a)"))
    ok = core.Verdict(core.VERIFIED_FASTER, "s")
    new, applied, held = apply_verified(text, [VerifiedFix(fa, ok, True), VerifiedFix(fb, ok, True)])
    assert new == "def f(a):\n    return min(a) + sorted(a)[-1]\n"
    assert len(applied) == 1 and len(held) == 1


def test_verdict_key_survives_edits_elsewhere_only():
    from hasten.server.lsp.handlers.verify import fix_key

    text = "import os\n\ndef top(xs):\n    return sorted(xs)[0]\n"
    finding = Finding("HS304", "n", "m", 0, 1, fix=_fix_at(text, "sorted(xs)[0]", "min(xs)"))
    key = fix_key("u", Source(text), finding)
    above = "import sys\n" + text
    shifted = Finding("HS304", "n", "m", 0, 1, fix=_fix_at(above, "sorted(xs)[0]", "min(xs)"))
    assert fix_key("u", Source(above), shifted) == key
    inside = text.replace("def top(xs):\n", "def top(xs):\n    xs = list(xs)\n")
    changed = Finding("HS304", "n", "m", 0, 1, fix=_fix_at(inside, "sorted(xs)[0]", "min(xs)"))
    assert fix_key("u", Source(inside), changed) != key
