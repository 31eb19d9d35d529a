"""Verification reuses the profile: the tests the profile measured the changed function in run
first, and the calls it records and replays are theirs."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from hasten.analyzers.checker import check
from hasten.analyzers.config import load_config
from hasten.analyzers.source import Source
from hasten.server.profile import hot_tests, profile_project
from hasten.server.verify import core

from .conftest import make_project, tree_hash

MODULE = """\
def unknown(items, catalog):
    known = [c for c in catalog]
    out = []
    for item in items:
        if item not in known:
            out.append(item)
    return out
"""

# The tiny test comes first: without the profile its call would be recorded first.
TESTS = """\
from pkg.mod import unknown


def test_tiny():
    assert unknown([1, 2], [2]) == [1]


def test_large():
    catalog = list(range(4000))
    items = list(range(0, 8000, 2))
    for _ in range(3):
        assert len(unknown(items, catalog)) == 2000
"""

LARGE = "tests/test_mod.py::test_large"


def test_verification_replays_the_calls_of_the_test_the_profile_found_hot(tmp_path, profile_env, monkeypatch):
    monkeypatch.setenv("HASTEN_CACHE_DIR", str(tmp_path / "cache"))
    root = make_project(tmp_path / "p", MODULE, TESTS, timeout=20)
    run = profile_project(root)
    assert run.ok, run.message
    hot = hot_tests(root, "pkg/mod.py", "unknown", 1)
    assert hot is not None and hot.tests[0] == LARGE

    path = root / "pkg" / "mod.py"
    config, _ = load_config(path)
    finding = next(f for f in check(Source(path.read_text(), str(path)), config).findings if f.code == "HS101")
    before = tree_hash(root, skip=())
    verdict = core.verify_fix(path, finding.fix, config=config)
    assert verdict.kind == core.VERIFIED_FASTER, verdict.headline()
    assert verdict.tests[0] == LARGE  # the hottest test ran first
    evidence = next(d for d in verdict.details if d.startswith("calls recorded from"))
    assert "where the profile measured `unknown`" in evidence and "% of the run" in evidence
    assert evidence.endswith(": " + LARGE)  # every recorded call comes from the hot test
    assert verdict.calls_compared == 1  # test_tiny's call was not recorded
    assert tree_hash(root, skip=()) == before


def _record(tmp_path, prefer):
    """Run the project's tests with verification's plugin recording ``f``, preferring ``prefer``."""
    root = tmp_path / "rec"
    if not root.exists():
        make_project(root, "def f(x):\n    return 1\n", (
            "from pkg.mod import f\n\n\ndef test_a():\n    f(lambda: 1)\n\n\ndef test_b():\n    f(3)\n    f(4)\n"))
        shutil.copyfile(Path(core.__file__).with_name("_plugin.py"), tmp_path / "hasten_verify_plugin.py")
    out = tmp_path / f"out-{len(prefer)}-{'-'.join(p[-1] for p in prefer)}.json"
    config = tmp_path / "plugin.json"
    config.write_text(json.dumps({"mode": "record", "root": str(root), "out": str(out), "target_file": str(root / "pkg" / "mod.py"),
                                  "qualname": "f", "prefer_tests": prefer}))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(root)]), HASTEN_VERIFY_PLUGIN=str(config))
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "hasten_verify_plugin", "-p", "no:cacheprovider", "tests/test_mod.py::test_a", "tests/test_mod.py::test_b"],
                   cwd=root, env=env, check=True, capture_output=True, timeout=120)
    return json.loads(out.read_text())


def test_the_recorder_keeps_the_preferred_tests_calls_else_the_others(tmp_path, profile_env):
    both = _record(tmp_path, [])
    assert "recorded_from_preferred" not in both and both["recorded_tests"] == ["tests/test_mod.py::test_b"]
    preferred = _record(tmp_path, ["tests/test_mod.py::test_b"])
    assert preferred["recorded_from_preferred"] is True and preferred["recorded"] == 2
    # test_a's only call cannot be pickled: the other test's calls stand in.
    fallback = _record(tmp_path, ["tests/test_mod.py::test_a"])
    assert fallback["recorded_from_preferred"] is False
    assert fallback["recorded_tests"] == ["tests/test_mod.py::test_b"] and fallback["recorded"] == 2
    assert fallback["callers"] == ["tests/test_mod.py::test_a", "tests/test_mod.py::test_b"]


# ``keep`` is a lambda in every call: the calls cannot be pickled, so the tests are timed whole.
UNRECORDABLE = """\
def unknown(items, catalog, keep):
    known = [c for c in catalog]
    out = []
    for item in items:
        if item not in known and keep(item):
            out.append(item)
    return out
"""

UNRECORDABLE_TESTS = """\
from pkg.mod import unknown


def test_tiny():
    assert unknown([1, 2], [2], lambda x: True) == [1]


def test_large():
    catalog = list(range(2000))
    items = list(range(0, 4000, 2))
    assert len(unknown(items, catalog, lambda x: True)) == 1000
"""


def test_the_whole_test_fallback_times_only_the_tests_the_profile_found_hot(tmp_path, profile_env, monkeypatch):
    from hasten.server.profile.store import FileProfile, Profile, content_hash, save

    monkeypatch.setenv("HASTEN_CACHE_DIR", str(tmp_path / "cache"))
    root = make_project(tmp_path / "p", UNRECORDABLE, UNRECORDABLE_TESTS, timeout=30)
    # A fresh stored profile that measured `unknown` in test_large only.
    entry = FileProfile("pkg/mod.py", content_hash(UNRECORDABLE.encode()), lines={5: [2.0, 200]},
                        functions={"unknown:1": {"qualname": "unknown", "line": 1, "inclusive": [2.0, 200], "own": [2.0, 200],
                                                 "calls": 1, "tests": [[LARGE, 2.0, 200]]}})
    save(Profile(root=root, files={"pkg/mod.py": entry}, cpu_seconds=3.0, samples=300, wall_seconds=4.0, command=["pytest"]))
    assert hot_tests(root, "pkg/mod.py", "unknown", 1).tests == [LARGE]

    path = root / "pkg" / "mod.py"
    config, _ = load_config(path)
    finding = next(f for f in check(Source(path.read_text(), str(path)), config).findings if f.code == "HS101")
    verdict = core.verify_fix(path, finding.fix, config=config)
    assert verdict.timing == "tests", verdict.details
    assert set(verdict.tests) == {LARGE, "tests/test_mod.py::test_tiny"}  # both ran before and after
    timed = next(d for d in verdict.details if d.startswith("timed 1 test of 2"))
    assert timed.endswith(": " + LARGE) and "test_tiny" not in timed
