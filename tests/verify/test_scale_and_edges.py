"""Verification end to end on what issue-sized projects bring: import-time registries, rewrites
that part on edge cases, memoizing fixes, grown inputs, the per-project test map and the CLI's
rule selection. No assertion depends on machine load."""

import json
import subprocess
import sys

from hasten.analyzers.finding import Applicability, Edit, Fix
from hasten.server.verify import core

from .conftest import make_project


def _fix(path, old, new):
    data = path.read_bytes()
    start = data.index(old.encode())
    return Fix("t", (Edit(start, start + len(old.encode()), new),), Applicability.UNSAFE)


REGISTRY_MODULE = """\
from pkg.dispatch import register


@register
def common(xs, ys):
    return [x for x in xs if x in ys]


@register
def smallest(xs):
    return sorted(xs)[0]
"""

DISPATCH = """\
REGISTRY = {}


def register(fn):
    if fn.__name__ in REGISTRY:
        raise KeyError(f"Algorithm already exists in dispatch namespace: {fn.__name__}")
    REGISTRY[fn.__name__] = fn
    return fn
"""

REGISTRY_TESTS = """\
from pkg.mod import common, smallest

def test_common():
    assert len(common(list(range(600)), list(range(300, 900)))) == 300

def test_smallest():
    assert smallest([3, 1, 2]) == 1
"""


def test_module_with_an_import_time_registry_is_replayed(tmp_path, verify_env):
    root = make_project(tmp_path / "p", REGISTRY_MODULE, REGISTRY_TESTS)
    (root / "pkg" / "dispatch.py").write_text(DISPATCH)
    path = root / "pkg" / "mod.py"
    verdict = core.verify_fix(path, _fix(path, "return [x for x in xs if x in ys]", "ys = set(ys)\n    return [x for x in xs if x in ys]"))
    assert verdict.timing == "replay", verdict.headline() + "\n" + "\n".join(verdict.details)
    assert not any("replaying the recorded calls failed" in d or "loaded a second time" in d for d in verdict.details)
    assert verdict.calls_compared >= 1 and verdict.kind != core.BEHAVIOUR_CHANGED


def test_rewrite_that_raises_only_on_an_empty_input(tmp_path, verify_env):
    root = make_project(tmp_path / "p", """\
        def first_or_none(xs):
            try:
                return sorted(xs)[0]
            except IndexError:
                return None
    """, """\
        from pkg.mod import first_or_none

        def test_first():
            assert first_or_none([3, 1, 2]) == 1
    """)
    path = root / "pkg" / "mod.py"
    verdict = core.verify_fix(path, _fix(path, "sorted(xs)[0]", "min(xs)"))
    assert verdict.kind == core.BEHAVIOUR_CHANGED, verdict.headline()
    assert "only the rewrite raises" in verdict.summary and "ValueError" in verdict.summary and "empty" in verdict.summary


def test_memoizing_fix_is_timed_with_fresh_caches(tmp_path, verify_env):
    root = make_project(tmp_path / "p", """\
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)
    """, """\
        from pkg.mod import fib

        def test_fib():
            assert fib(18) == 2584
    """)
    path = root / "pkg" / "mod.py"
    fix = _fix(path, "def fib(n):", "import functools\n\n\n@functools.cache\ndef fib(n):")
    verdict = core.verify_fix(path, fix)
    assert verdict.timing == "replay", verdict.headline()
    assert any("caches cleared" in d for d in verdict.details)
    assert verdict.kind == core.VERIFIED_FASTER


def test_scale_check_reports_both_sizes(tmp_path, verify_env):
    root = make_project(tmp_path / "p", """\
        def common(xs, ys):
            return [x for x in xs if x in ys]
    """, """\
        from pkg.mod import common

        def test_common():
            assert common([1, 2, 3], [2, 3, 4]) == [2, 3]
    """)
    path = root / "pkg" / "mod.py"
    verdict = core.verify_fix(path, _fix(path, "return [x for x in xs if x in ys]", "s = set(ys)\n    return [x for x in xs if x in s]"))
    assert verdict.timing == "replay", verdict.headline()
    factors = [row["factor"] for row in verdict.scale]
    assert factors[:1] == [1] and 10 in factors and 100 in factors
    assert "at test sizes" in verdict.summary and "the input" in verdict.summary
    assert verdict.size is not None and verdict.growth and "measured" in verdict.growth
    data = verdict.to_json()
    assert data["size"] == verdict.size and data["scale"]


def test_the_test_map_is_kept_per_project(tmp_path, verify_env):
    module = "def smallest(xs):\n    return sorted(xs)[0]\n"
    tests = "from pkg.mod import smallest\n\ndef test_smallest():\n    assert smallest([3, 1, 2]) == 1\n"
    a = make_project(tmp_path / "a", module, tests)
    b = make_project(tmp_path / "b", module, tests)
    messages = []
    progress = lambda stage, message, percent=None: messages.append(message)  # noqa: E731
    path_a = a / "pkg" / "mod.py"
    core.verify_fix(path_a, _fix(path_a, "sorted(xs)[0]", "min(xs)"), progress=progress)
    assert any("mapping which tests of a/tests" in m for m in messages)
    core.verify_fix(b / "pkg" / "mod.py", _fix(b / "pkg" / "mod.py", "sorted(xs)[0]", "min(xs)"))
    maps = sorted((verify_env.parent / "cache" / "verify" / "maps").glob("*.json"))
    assert len(maps) == 2
    # A's map survives B's work and serves again, also after an edit of a non-test file.
    path_a.write_text(module + "\n\ndef unused():\n    return 1\n")
    messages.clear()
    verdict = core.verify_fix(path_a, _fix(path_a, "sorted(xs)[0]", "min(xs)"), progress=progress)
    assert not any("mapping" in m for m in messages)
    assert any("map from an earlier run" in d and "pkg/mod.py" in d for d in verdict.details)


def test_cli_nothing_to_verify_and_rule_selection(tmp_path, verify_env):
    root = make_project(tmp_path / "p", "def first(rows):\n    return list(rows)[0]\n", "def test_nothing():\n    pass\n")
    path = root / "pkg" / "mod.py"
    run = lambda *args: subprocess.run([sys.executable, "-m", "hasten", "verify", str(path), *args],  # noqa: E731
                                       capture_output=True, text=True, timeout=170)
    # HS114 is a preview rule: without --preview there is no fix to verify.
    out = run("--output-format", "json")
    assert out.returncode == 3 and json.loads(out.stdout) == [] and "no fix to verify" in out.stderr
    out = run("--select", "HS9999")
    assert out.returncode == 2 and "unknown rule selector" in out.stderr
    out = run("--preview", "--select", "HS114", "--output-format", "json")
    data = json.loads(out.stdout)
    assert [d["code"] for d in data] == ["HS114"] and out.returncode == 1  # no test reaches it
    assert data[0]["kind"] == core.CANNOT_VERIFY
