"""The replay script's parts without a test run: loading only the rewritten function, caches,
per-version batches, edge cases and grown inputs. No assertion here depends on machine load."""

import functools
import importlib
import pickle
import sys
import textwrap

import pytest

from hasten.server.verify import _replay_compare, _replay_scale, _replay_timing

from .test_units import _calls, _load_replay

DISPATCH = """\
REGISTRY = {}


def register(fn):
    key = (fn.__module__, fn.__name__)
    if key in REGISTRY:
        raise KeyError(f"Algorithm already exists in dispatch namespace: {fn.__name__}")
    REGISTRY[key] = fn
    return fn
"""

REGISTRY = """\
from dispatch_ns import REGISTRY, register


@register
def shortest(xs, ys):
    return [x for x in xs if x in ys]


def helper(xs):
    return sorted(xs)


class Shelf:
    def __init__(self, items):
        self.__items = items

    def first(self):
        return sorted(self.__items)[0]


class Special(Shelf):
    def first(self):
        return super().first()
"""


@pytest.fixture
def registry_module(tmp_path, monkeypatch):
    def make(name, text):
        (tmp_path / "dispatch_ns.py").write_text(DISPATCH)
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(text))
        monkeypatch.syspath_prepend(str(tmp_path))
        sys.modules.pop(name, None)
        sys.modules.pop("dispatch_ns", None)
        module = importlib.import_module(name)
        return module, tmp_path

    yield make


def _rewrite(tmp_path, name, old, new):
    path = tmp_path / f"{name}_new.py"
    path.write_text((tmp_path / f"{name}.py").read_text().replace(old, new))
    return str(path)


def test_only_the_rewritten_function_is_loaded(registry_module):
    replay = _load_replay()
    module, root = registry_module("reg_a", REGISTRY)
    # Executing the module again would raise on the second registration.
    with pytest.raises(KeyError):
        replay._load_new(module, str(root / "reg_a.py"))
    module.REGISTRY[("reg_a", "shortest")] = module.shortest
    new_file = _rewrite(root, "reg_a", "return [x for x in xs if x in ys]", "ys = set(ys)\n    return [x for x in xs if x in ys]")
    new_fn, namespace = replay.load_function_only(module, new_file, "shortest")
    assert new_fn([1, 2, 3], [2, 3]) == [2, 3]
    assert new_fn.__code__.co_filename == new_file and "ys = set(ys)" in open(new_file).read()
    assert new_fn is not module.shortest and module.REGISTRY[("reg_a", "shortest")] is module.shortest
    assert namespace["helper"] is module.helper  # unchanged names stay the original objects


def test_an_added_import_and_helper_come_along(registry_module):
    replay = _load_replay()
    module, root = registry_module("reg_b", REGISTRY)
    text = "import functools\n" + (root / "reg_b.py").read_text()
    text = text.replace("def helper(xs):\n    return sorted(xs)\n", "def helper(xs):\n    return sorted(xs)\n\n\ndef _fast(xs):\n    return min(xs)\n")
    text = text.replace("        return sorted(self.__items)[0]", "        return _fast(self.__items)")
    new_file = root / "reg_b_new.py"
    new_file.write_text(text)
    new_fn, _ = replay.load_function_only(module, str(new_file), "Shelf.first")
    shelf = module.Shelf([3, 1, 2])
    assert new_fn(shelf) == 1  # the private name is mangled as in the class; _fast is there


def test_zero_argument_super_in_a_rewritten_method(registry_module):
    replay = _load_replay()
    module, root = registry_module("reg_c", REGISTRY)
    new_file = _rewrite(root, "reg_c", "        return super().first()", "        value = super().first()\n        return value")
    new_fn, _ = replay.load_function_only(module, new_file, "Special.first")
    assert new_fn(module.Special([5, 4])) == 4


def test_registering_decorator_is_dropped_when_it_refuses(registry_module):
    replay = _load_replay()
    module, root = registry_module("reg_d", REGISTRY)
    new_file = _rewrite(root, "reg_d", "return [x for x in xs if x in ys]", "s = set(ys)\n    return [x for x in xs if x in s]")
    new_fn, _ = replay.load_function_only(module, new_file, "shortest")
    assert new_fn([1, 2], [2]) == [2]
    assert module.REGISTRY[("reg_d", "shortest")] is module.shortest


def test_caches_are_found_and_cleared():
    replay = _load_replay()

    @functools.cache
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    clears = replay.caches_of(fib)
    assert clears
    fib(30)
    assert fib.cache_info().currsize > 0
    _replay_timing._sample(fib, pickle.dumps(((30,), {})), 3, False, clears)
    fib.cache_clear()
    _replay_compare._call(fib, pickle.dumps(((20,), {})), clears)
    assert fib.cache_info().misses == 21  # computed afresh, not recalled


def test_each_version_gets_its_own_batch():
    blob = pickle.dumps(((list(range(200_000)),), {}))
    slow = lambda xs: sum(sorted(xs))  # noqa: E731 - milliseconds per call
    fast = lambda xs: xs[0]  # noqa: E731 - well under a microsecond
    assert _replay_timing.calibrate(slow, blob, False) == 1
    assert _replay_timing.calibrate(fast, blob, False) > 100


def _first_or_none(xs):
    try:
        return sorted(xs)[0]
    except IndexError:
        return None


def test_edge_cases_catch_a_rewrite_that_raises_only_on_empty_input():
    replay = _load_replay()
    calls = _calls(([3, 1, 2],), fn=_first_or_none)
    compared = replay.compare(_first_or_none, min, calls)
    assert compared[0]["same_result"]
    edges = replay.edge_cases(_first_or_none, min, calls, compared)
    empty = [e for e in edges if e["variant"] == "empty"]
    assert empty and empty[0]["only_rewrite_raises"] and "ValueError" in empty[0]["got"]
    single = [e for e in edges if e["variant"] == "a single element"]
    assert single and single[0]["same"]


def test_grown_inputs():
    import random

    rng = random.Random(0)
    grown = _replay_scale.grow([1, 3, 2], 10, "blocks", rng)
    assert len(grown) == 30 and len(set(grown)) == 30
    assert _replay_scale.grow(sorted([5, 1, 9]), 10, "blocks", rng) == sorted(_replay_scale.grow(sorted([5, 1, 9]), 10, "blocks", rng))
    assert _replay_scale.grow("ab", 10, "blocks", rng) == "ab" * 10
    assert set(_replay_scale.grow("ab", 10, "resample", rng)) <= {"a", "b"}
    assert _replay_scale.grow(50, 100, "blocks", rng) == 5000
    assert _replay_scale.grow(True, 10, "blocks", rng) is None
    assert len(_replay_scale.grow({"a": 1, "b": 2}, 10, "blocks", rng)) == 20


def test_scale_check_times_grown_inputs():
    replay = _load_replay()

    def old(xs, ys):
        return [x for x in xs if x in ys]

    def new(xs, ys):
        s = set(ys)
        return [x for x in xs if x in s]

    calls = _calls((list(range(50)), list(range(0, 100, 2))), fn=old)
    compared = replay.compare(old, new, calls)
    rows = replay.scale_check(old, new, calls, compared, [10], budget=20, deadline=3, floor=0.05)
    assert rows[0]["factor"] == 1 and rows[1]["factor"] == 10
    assert rows[1].get("growth") == "resample/all" and rows[1]["rounds"] >= 6


def test_scale_check_does_not_apply_when_the_grown_input_is_turned_away_early():
    replay = _load_replay()

    # A name with more than one dot is rejected before any work; growing "ab12.txt" (resampled
    # or repeated) always brings more dots.
    def old(name):
        parts = name.split(".")
        if len(parts) != 2:
            return "No"
        return "Yes" if len([c for c in parts[0] * 200 if c.isdigit()]) <= 600 else "No"

    def new(name):
        parts = name.split(".")
        if len(parts) != 2:
            return "No"
        return "Yes" if sum(parts[0].count(d) for d in "0123456789") * 200 <= 600 else "No"

    calls = _calls(("ab12.txt",), fn=old)
    compared = replay.compare(old, new, calls)
    rows = replay.scale_check(old, new, calls, compared, [10, 100], budget=20, deadline=3, floor=0.05)
    assert [r["factor"] for r in rows] == [1, 10, 100]
    for row in rows[1:]:
        assert row["skipped"].startswith("does not apply"), row
        assert "turned away early" in row["skipped"] and "ratio" not in row


def test_the_copied_replay_script_runs_without_hasten(tmp_path):
    """The replay and its parts as a verification run copies them: they load one another and the
    statistics from beside the script, in an interpreter where hasten cannot be imported (-S: no
    site-packages)."""
    import json
    import subprocess

    from hasten.analyzers.config import VerifyConfig
    from hasten.server.verify.session import _Session

    (tmp_path / "project").mkdir()
    session = _Session(tmp_path / "project", VerifyConfig(), None)
    try:
        out = tmp_path / "out.json"
        config = tmp_path / "replay.json"
        config.write_text(json.dumps({"sys_path": [], "calls": str(tmp_path / "missing.calls"), "out": str(out)}))
        script = session.helpers / "hasten_verify_replay.py"
        subprocess.run([sys.executable, "-S", str(script), str(config)], cwd=tmp_path, env={}, check=True, timeout=60)
        assert "FileNotFoundError" in json.loads(out.read_text())["error"]
    finally:
        session.close()
