"""The tests a profile names per function: recorded by the sampler, kept (bounded) by the store,
and read back for verification only while the files are unchanged."""

import json
import sys

from hasten.server.profile.reuse import hot_tests
from hasten.server.profile.store import TESTS_PER_FUNCTION, load, merge, save

from .test_sampler import REPO, _module

MODULE = "def f(items):\n    return sorted(items)\n\n\ndef g():\n    return 1\n"
TESTS = "from mod import f\n\n\ndef test_big():\n    f(list(range(9)))\n\n\ndef test_small():\n    f([1])\n"


def _project(tmp_path):
    root = tmp_path / "project"
    (root / "tests").mkdir(parents=True)
    (root / "mod.py").write_text(MODULE)
    (root / "tests" / "test_mod.py").write_text(TESTS)
    return root


def _part(stacks, tests):
    # Codes: 0 = mod.py f (line 1), 1 = the test file's test_big, 2 = test_small, 3 = mod.py g.
    return {
        "final": True, "cpu_seconds": 10.0, "samples": 1000, "interval": 0.001,
        "codes": [["mod.py", "f", 1], ["tests/test_mod.py", "test_big", 4], ["tests/test_mod.py", "test_small", 8], ["mod.py", "g", 5]],
        "stacks": stacks, "tests": tests,
    }


def _stored(root, parts):
    profile = merge(parts, root, root, command=["pytest"], wall_seconds=12.0, exit_code=0, timed_out=False)
    save(profile)
    return profile


def test_the_sampler_notes_the_running_test_by_node_id_only(tmp_path, monkeypatch):
    sampler = _module().Sampler({"roots": [str(REPO)], "out": str(tmp_path)})
    secret = [12345, 67890]

    def work(values):
        return sys._getframe()

    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/test_x.py::test_big[a (b)] (call)")
    sampler.sample(work(secret), 0.25)
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/test_x.py::test_big[a (b)] (teardown)")
    sampler.sample(work(secret), 0.25)
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    sampler.sample(work(secret), 0.5)
    sampler.flush()
    written = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert written["tests"] == ["tests/test_x.py::test_big[a (b)]"]  # the phase is cut off, the id kept whole
    by_test = {}
    for seconds, _samples, _flat, test in written["stacks"]:
        by_test[test] = by_test.get(test, 0) + seconds
    assert by_test == {0: 0.5, -1: 0.5}
    assert "12345" not in json.dumps(written)


def test_the_store_keeps_each_functions_tests_hottest_first(tmp_path):
    root = _project(tmp_path)
    profile = _stored(root, [_part([
        [3.0, 300, [0, 2, 1, 5], 0],  # f under test_big
        [0.1, 10, [0, 2, 2, 9], 1],  # f under test_small
        [0.4, 40, [3, 6], -1],  # g outside any test
    ], ["tests/test_mod.py::test_big", "tests/test_mod.py::test_small"])])
    f = profile.files["mod.py"].functions["f:1"]
    assert f["tests"] == [["tests/test_mod.py::test_big", 3.0, 300], ["tests/test_mod.py::test_small", 0.1, 10]]
    assert "tests" not in profile.files["mod.py"].functions["g:5"]
    assert "other_tests" not in f
    # Loaded back unchanged.
    assert load(root).files["mod.py"].functions["f:1"]["tests"] == f["tests"]


def test_the_tests_kept_per_function_are_bounded(tmp_path):
    root = _project(tmp_path)
    names = [f"tests/test_mod.py::test_{i}" for i in range(TESTS_PER_FUNCTION + 3)]
    stacks = [[0.1 * (i + 1), i + 1, [0, 2], i] for i in range(len(names))]
    f = _stored(root, [_part(stacks, names)]).files["mod.py"].functions["f:1"]
    assert [t for t, _s, _n in f["tests"]] == names[::-1][:TESTS_PER_FUNCTION]
    assert f["other_tests"][0] == 3 and f["other_tests"][2] == 1 + 2 + 3


def test_processes_add_up_per_test(tmp_path):
    root = _project(tmp_path)
    # Two processes list the same test at different indexes.
    profile = _stored(root, [
        _part([[1.0, 100, [0, 2], 0]], ["tests/test_mod.py::test_small"]),
        _part([[1.5, 150, [0, 2], 1], [2.0, 200, [0, 2], 0]], ["tests/test_mod.py::test_big", "tests/test_mod.py::test_small"]),
    ])
    f = profile.files["mod.py"].functions["f:1"]
    assert f["tests"] == [["tests/test_mod.py::test_small", 2.5, 250], ["tests/test_mod.py::test_big", 2.0, 200]]


def test_hot_tests_for_verification(tmp_path):
    root = _project(tmp_path)
    _stored(root, [_part([[3.0, 300, [0, 2, 1, 5], 0], [1.0, 100, [0, 2, 2, 9], 1]],
                         ["tests/test_mod.py::test_big", "tests/test_mod.py::test_small"])])
    hot = hot_tests(root, "mod.py", "f", 1)
    assert hot.tests == ["tests/test_mod.py::test_big", "tests/test_mod.py::test_small"]
    assert hot.share == 0.4 and hot.tests_share == 1.0
    assert hot_tests(root, "mod.py", "g", 5) is None  # measured in no test
    assert hot_tests(root, "mod.py", "nothing", 1) is None
    assert hot_tests(root, "other.py", "f", 1) is None
    # A method's entry before Python 3.11 carries the bare name; a decorator moves its first line up.
    assert hot_tests(root, "mod.py", "Class.f", 2).tests[0] == "tests/test_mod.py::test_big"


def test_hot_tests_only_while_the_files_are_unchanged(tmp_path):
    root = _project(tmp_path)
    _stored(root, [_part([[3.0, 300, [0, 2, 1, 5], 0], [1.0, 100, [0, 2, 2, 9], 1]],
                         ["tests/test_mod.py::test_big", "tests/test_mod.py::test_small"])])
    # An editor buffer that differs from the profiled file: no answer.
    assert hot_tests(root, "mod.py", "f", 1, text=MODULE) is not None
    assert hot_tests(root, "mod.py", "f", 1, text=MODULE + "# edited\n") is None
    # The test file changed: its tests are left out (their ids may name other tests now).
    (root / "tests" / "test_mod.py").write_text(TESTS + "\n")
    assert hot_tests(root, "mod.py", "f", 1) is None
    (root / "tests" / "test_mod.py").write_text(TESTS)
    assert hot_tests(root, "mod.py", "f", 1) is not None
    # The function's file changed: no answer.
    (root / "mod.py").write_text(MODULE.replace("sorted", "list"))
    assert hot_tests(root, "mod.py", "f", 1) is None


def test_an_unreadable_profile_gives_no_tests(tmp_path):
    root = _project(tmp_path)
    (root / ".hasten").mkdir()
    (root / ".hasten" / "profile.json").write_text("{not json")
    assert hot_tests(root, "mod.py", "f", 1) is None
