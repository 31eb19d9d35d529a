"""The fix-safety benchmark tells a flaky test from a fix that broke one.

Issue 18: one combined run of HS309's fixes on boltons failed ``test_socketutils_netstring`` (a
socket test with 10 ms deadlines, in a module the fixes never touch) and no single fix reproduced
it; the run was counted as broken. A run now breaks only when a test that passed in the baseline
fails again when the same fixed code is run a second time.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fix_safety.__main__ import broke, confirmed, failing_tests  # noqa: E402

PYTEST_TAIL = """
=========================== short test summary info ============================
FAILED tests/test_socketutils.py::test_socketutils_netstring - boltons.socketutils.Timeout
ERROR tests/test_x.py::test_setup
1 failed, 1 error, 422 passed in 15.99s
"""
UNITTEST_TAIL = """
======================================================================
FAIL: test_block (tests.test_syntax.TestBlocks.test_block)
----------------------------------------------------------------------
Ran 12 tests in 0.1s

FAILED (failures=1)
"""


def run(passed, failing=(), bad=None):
    return {"passed": passed, "bad": len(failing) if bad is None else bad, "timeout": False, "failing": list(failing)}


def test_failing_tests_are_read_from_pytest_and_unittest_output():
    assert failing_tests(PYTEST_TAIL) == ["tests/test_socketutils.py::test_socketutils_netstring", "tests/test_x.py::test_setup"]
    assert failing_tests(UNITTEST_TAIL) == ["test_block (tests.test_syntax.TestBlocks.test_block)"]


def test_a_test_that_fails_once_is_flaky_not_broken():
    baseline = run(423)
    first = run(422, ["tests/test_socketutils.py::test_socketutils_netstring"])
    did_break, flaky = confirmed(baseline, first, lambda: run(423))
    assert not did_break
    assert flaky == ["tests/test_socketutils.py::test_socketutils_netstring"]


def test_a_test_that_fails_twice_is_broken():
    baseline = run(423)
    first = run(422, ["tests/test_ioutils.py::test_multi_file_reader"])
    did_break, flaky = confirmed(baseline, first, lambda: run(422, ["tests/test_ioutils.py::test_multi_file_reader"]))
    assert did_break and flaky == []


def test_different_tests_failing_in_each_run_are_both_flaky():
    baseline = run(423)
    did_break, flaky = confirmed(baseline, run(422, ["a::t1"]), lambda: run(422, ["a::t2"]))
    assert not did_break
    assert flaky == ["a::t1", "a::t2"]


def test_a_clean_run_is_not_run_twice():
    def rerun():
        raise AssertionError("a run that broke nothing is not repeated")

    assert confirmed(run(423), run(423), rerun) == (False, [])


def test_failing_in_the_baseline_too_is_not_new():
    baseline = run(422, ["a::old"])
    assert not broke(baseline, run(422, ["a::old"]))
    assert broke(baseline, run(421, ["a::old", "a::new"]))


def test_a_suite_that_does_not_finish_breaks():
    hung = {"passed": 0, "bad": None, "timeout": True, "failing": []}
    assert confirmed(run(423), hung, lambda: hung) == (True, [])
