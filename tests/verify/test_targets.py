"""Kinds of functions a fix can change: methods, static methods, nested functions, a script's
module-level code. Each is found by the tests that reach it and compared on both versions."""

from hasten.analyzers.finding import Applicability, Edit, Fix
from hasten.server.verify import core

from .conftest import make_project

MODULE = """\
class Catalog:
    def __init__(self, names):
        self.names = names

    def missing(self, wanted):
        names = [n for n in self.names]
        return [w for w in wanted if w not in names]

    @staticmethod
    def overlap(a, b):
        bs = list(b)
        return [x for x in a if x in bs]


def outer(xs):
    def smallest():
        return sorted(xs)[0]
    return smallest()
"""

TESTS = """\
from pkg.mod import Catalog, outer

def test_missing():
    c = Catalog([str(i) for i in range(1500)])
    assert len(c.missing([str(i) for i in range(1000, 3000)])) == 1500

def test_overlap():
    assert len(Catalog.overlap(list(range(2000)), range(1000, 3000))) == 1000

def test_outer():
    for _ in range(300):
        assert outer(list(range(3000, 0, -1))) == 1
"""


def _fix(path, old, new):
    data = path.read_bytes()
    start = data.index(old.encode())
    return Fix("t", (Edit(start, start + len(old.encode()), new),), Applicability.UNSAFE)


def test_method_rewrite_wrong_in_a_way_tests_miss(tmp_path, verify_env):
    root = make_project(tmp_path / "p", MODULE, TESTS)
    path = root / "pkg" / "mod.py"
    # Same count of results (the test passes) but in another order: replay sees it.
    fix = _fix(path, "return [w for w in wanted if w not in names]", "return [w for w in reversed(wanted) if w not in names]")
    verdict = core.verify_fix(path, fix)
    assert verdict.kind == core.BEHAVIOUR_CHANGED, verdict.headline()
    assert "Catalog.missing" in verdict.summary


def test_method_speedup(tmp_path, verify_env):
    root = make_project(tmp_path / "p", MODULE, TESTS)
    path = root / "pkg" / "mod.py"
    fix = _fix(path, "return [w for w in wanted if w not in names]", "names = set(names)\n        return [w for w in wanted if w not in names]")
    verdict = core.verify_fix(path, fix)
    assert verdict.kind == core.VERIFIED_FASTER and verdict.ratio > 5, verdict.headline()
    assert verdict.timing == "replay" and verdict.function == "Catalog.missing"


def test_staticmethod_speedup(tmp_path, verify_env):
    root = make_project(tmp_path / "p", MODULE, TESTS)
    path = root / "pkg" / "mod.py"
    fix = _fix(path, "bs = list(b)", "bs = set(b)")
    verdict = core.verify_fix(path, fix)
    assert verdict.kind == core.VERIFIED_FASTER and verdict.timing == "replay", verdict.headline()
    assert verdict.tests == ["tests/test_mod.py::test_overlap"]


def test_nested_function_is_timed_on_whole_tests(tmp_path, verify_env):
    root = make_project(tmp_path / "p", MODULE, TESTS)
    path = root / "pkg" / "mod.py"
    fix = _fix(path, "return sorted(xs)[0]", "return min(xs)")
    verdict = core.verify_fix(path, fix)
    assert verdict.function == "outer.<locals>.smallest"
    assert verdict.kind in (core.VERIFIED_FASTER, core.EQUIVALENT, core.SLOWER, core.INCONCLUSIVE), verdict.headline()
    assert verdict.timing == "tests" and "could not be replayed" in verdict.summary + " ".join(verdict.details)
    assert any("nested function" in d for d in verdict.details)


def test_script_module_level_code(tmp_path, verify_env):
    root = make_project(tmp_path / "p", "", """
        import io, runpy, sys
        from pathlib import Path

        def test_script(monkeypatch, capsys):
            monkeypatch.setattr(sys, "stdin", io.StringIO("3 1 2\\n"))
            runpy.run_path(str(Path(__file__).parents[1] / "script.py"))
            assert capsys.readouterr().out.split() == ["1"]
    """)
    (root / "script.py").write_text("xs = list(map(int, input().split()))\nprint(sorted(xs)[0])\n")
    path = root / "script.py"
    ok = core.verify_fix(path, _fix(path, "sorted(xs)[0]", "min(xs)"))
    assert ok.function == "<module>" and ok.kind in (core.VERIFIED_FASTER, core.EQUIVALENT, core.SLOWER, core.INCONCLUSIVE), ok.headline()
    wrong = core.verify_fix(path, _fix(path, "sorted(xs)[0]", "max(xs)"))
    assert wrong.kind == core.BEHAVIOUR_CHANGED and "test_script" in wrong.summary


def test_tests_selected_by_wrapping_when_profiling_is_too_slow(tmp_path, verify_env):
    # Heavy recursion runs ten times slower under the profile hook. Simulated deterministically:
    # this test sleeps whenever a profiler is active, so the profiled run times out.
    root = make_project(tmp_path / "p", """\
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)


        def smallest(xs):
            return sorted(xs)[0]
    """, """\
        import sys, time
        from pkg.mod import fib, smallest

        def test_fib():
            if sys.getprofile() is not None:
                time.sleep(60)
            assert fib(20) == 6765

        def test_smallest():
            assert smallest([3, 1, 2]) == 1
    """)
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text().replace("timeout = 20", "timeout = 2"))
    path = root / "pkg" / "mod.py"
    verdict = core.verify_fix(path, _fix(path, "sorted(xs)[0]", "min(xs)"))
    assert verdict.tests == ["tests/test_mod.py::test_smallest"], verdict.headline()
    assert any("tests selected by wrapping smallest" in d for d in verdict.details)
    assert verdict.kind in (core.VERIFIED_FASTER, core.EQUIVALENT, core.SLOWER, core.INCONCLUSIVE)


def test_unittest_style_tests_count(tmp_path, verify_env):
    root = make_project(tmp_path / "p", MODULE, """\
        import unittest

        from pkg.mod import Catalog


        class OverlapTest(unittest.TestCase):
            def test_overlap(self):
                self.assertEqual(len(Catalog.overlap(list(range(2000)), range(1000, 3000))), 1000)
    """)
    path = root / "pkg" / "mod.py"
    verdict = core.verify_fix(path, _fix(path, "bs = list(b)", "bs = set(b)"))
    assert verdict.tests == ["tests/test_mod.py::OverlapTest::test_overlap"], verdict.headline()
    assert verdict.kind == core.VERIFIED_FASTER
