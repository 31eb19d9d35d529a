"""Verification and profiling stay inside their temporary copy: symbolic links that leave the
project, the project root of nested projects, and test processes that escape their session or
outlive the hasten process that started them."""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

from hasten.server.profile.run import profile_project
from hasten.server.verify import core
from hasten.server.verify.process import Limits, run_limited
from hasten.server.verify.project import OWNER_FILE, TEMP_PREFIX, copy_project, find_project_root, new_workdir

from .conftest import make_project, snapshot
from .test_hostile import MODULE, _fix, _processes_with


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for directory, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(files):
            path = Path(directory, name)
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
        digest.update(b"dirs:" + "/".join(dirs).encode())
    return digest.hexdigest()


def _wait_until(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


# -- 7. links that leave the project -----------------------------------------------------------------


def _outside(tmp_path):
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "data.txt").write_text("original\n")
    (outside / "sub" / "deep.txt").write_text("deep\n")
    return outside


def test_copy_replaces_links_that_leave_the_project_and_keeps_inner_links_inside(tmp_path):
    outside = _outside(tmp_path)
    root = tmp_path / "p"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "m.py").write_text("x = 1\n")
    (root / "linked").symlink_to(outside)  # a folder outside
    (root / "one.txt").symlink_to(outside / "data.txt")  # a file outside
    (root / "alias").symlink_to("pkg")  # relative, inside
    (root / "absolute").symlink_to(root / "pkg")  # absolute, inside: must not lead to the original
    (root / "loop").symlink_to(root)
    (root / "dangling").symlink_to(tmp_path / "nowhere")
    before = _tree_hash(outside)
    copy = copy_project(root, tmp_path / "copy")
    assert not (copy / "linked").is_symlink() and (copy / "linked" / "sub" / "deep.txt").read_text() == "deep\n"
    assert not (copy / "one.txt").is_symlink() and (copy / "one.txt").read_text() == "original\n"
    for name in ("alias", "absolute", "loop"):
        assert (copy / name).is_symlink()
        assert os.path.realpath(copy / name).startswith(os.path.realpath(copy))
    assert not os.path.lexists(copy / "dangling")
    (copy / "linked" / "data.txt").write_text("changed\n")
    (copy / "linked" / "new.txt").write_text("new\n")
    (copy / "one.txt").write_text("changed\n")
    (copy / "absolute" / "m.py").write_text("x = 2\n")
    assert _tree_hash(outside) == before
    assert (root / "pkg" / "m.py").read_text() == "x = 1\n"


WRITES_THROUGH_LINK = """
    from pathlib import Path
    from pkg.mod import smallest

    def test_writes_through_the_link():
        Path("linked/data.txt").write_text("written by a test\\n")
        Path("linked/sub/new.txt").write_text("new\\n")
        assert smallest([3, 1, 2]) == 1
"""


def test_verification_and_profiling_change_nothing_behind_a_link(tmp_path, verify_env):
    outside = _outside(tmp_path)
    root = make_project(tmp_path / "p", MODULE, WRITES_THROUGH_LINK)
    (root / "linked").symlink_to(outside)
    before, outside_before = snapshot(root), _tree_hash(outside)
    path, fix = _fix(root)
    verdict = core.verify_fix(path, fix)
    assert verdict.kind != core.CANNOT_VERIFY, verdict.summary
    assert _tree_hash(outside) == outside_before
    outcome = profile_project(path, timeout=60, store=False)
    assert outcome.result.returncode == 0, outcome.result.tail()
    assert _tree_hash(outside) == outside_before
    assert snapshot(root) == before
    assert list(verify_env.iterdir()) == []


# -- 8. the project root of nested projects -----------------------------------------------------------


def test_the_root_is_the_nearest_project_marker_not_the_configured_ancestor(tmp_path):
    outer = tmp_path / "outer"
    (outer / "private").mkdir(parents=True)
    (outer / "pyproject.toml").write_text("[tool.hasten]\n")
    for marker in ("pyproject.toml", "setup.cfg", "setup.py", ".git"):
        inner = outer / f"inner-{marker.strip('.')}"
        (inner / "pkg").mkdir(parents=True)
        target = inner / marker
        target.mkdir() if marker == ".git" else target.write_text("")
        module = inner / "pkg" / "mod.py"
        module.write_text("x = 1\n")
        assert find_project_root(module, str(outer)) == inner.resolve(), marker
    plain = outer / "plain" / "mod.py"
    plain.parent.mkdir()
    plain.write_text("x = 1\n")
    assert find_project_root(plain, str(outer)) == outer.resolve()
    # a configuration file nearer than any marker (``--config`` in a sub-folder) is the root
    assert find_project_root(plain, str(plain.parent)) == plain.parent.resolve()


def test_verification_of_a_nested_project_copies_and_runs_only_that_project(tmp_path, verify_env):
    outer = tmp_path / "outer"
    outer.mkdir()
    (outer / "pyproject.toml").write_text("[tool.hasten]\n")
    (outer / "test_outer.py").write_text("def test_outer():\n    raise SystemExit('the outer project ran')\n")
    inner = make_project(outer / "inner", MODULE, """
        from pkg.mod import smallest

        def test_smallest():
            assert smallest([3, 1, 2]) == 1
    """)
    (inner / "pyproject.toml").write_text((inner / "pyproject.toml").read_text().replace("[tool.hasten]\n", "", 1)
                                          .replace("[tool.hasten.verify]", "[tool.other]"))
    path, fix = _fix(inner)
    config, _ = core.load_config(path)
    assert Path(config.root) == outer.resolve()
    verdict = core.verify_fix(path, fix, config=config)
    assert verdict.kind != core.CANNOT_VERIFY, verdict.summary  # the outer test would fail the baseline


# -- 9. processes that escape, and a hasten process that dies -------------------------------------------


def _escaping_script(marker: str, pidfile: Path) -> str:
    """A new session, an empty environment, a double fork and a folder change: no group, no marker,
    no parent to follow."""
    return textwrap.dedent(f"""
        import os, subprocess, sys, time
        daemon = (
            "import os, time\\n"
            "if os.fork(): os._exit(0)\\n"
            "os.setsid()\\n"
            "if os.fork(): os._exit(0)\\n"
            "open({str(pidfile)!r}, 'w').write(str(os.getpid()))\\n"
            "time.sleep(600)  # {marker}\\n"
        )
        subprocess.run(["env", "-i", sys.executable, "-c", daemon], start_new_session=True)
        subprocess.Popen(["env", "-i", sys.executable, "-c", "import time; time.sleep(600)  # {marker}"], start_new_session=True)
        while not os.path.exists({str(pidfile)!r}):
            time.sleep(0.05)
        time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 0)
    """)


def test_escaped_sessions_with_an_empty_environment_are_killed(tmp_path, verify_env):
    marker = f"hasten-escape-{uuid.uuid4().hex}"
    workdir = new_workdir()
    copy = workdir / "project"
    copy.mkdir()
    result = run_limited([sys.executable, "-c", _escaping_script(marker, tmp_path / "pid")], copy, dict(os.environ),
                         Limits(timeout=60), workdir)
    assert result.returncode == 0, result.tail()
    assert _wait_until(lambda: _processes_with(marker) == [], 10), _processes_with(marker)
    assert result.killed_escapees >= 2


DRIVER = """
import sys
from pathlib import Path
from hasten.server.verify.process import Limits, run_limited
from hasten.server.verify.project import new_workdir
workdir = new_workdir()
copy = workdir / "project"
copy.mkdir()
print(workdir, flush=True)
run_limited([sys.executable, "-c", sys.argv[1], "600"], copy, {"PATH": "/usr/bin:/bin"}, Limits(timeout=600), workdir)
"""


def test_sigkill_of_the_hasten_process_leaves_no_test_process_and_no_copy(tmp_path, verify_env):
    marker = f"hasten-orphan-{uuid.uuid4().hex}"
    env = dict(os.environ, TMPDIR=str(verify_env))
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, _escaping_script(marker, tmp_path / "pid")], env=env,
                              stdout=subprocess.PIPE, text=True)
    workdir = Path(driver.stdout.readline().strip())
    assert _wait_until(lambda: len(_processes_with(marker)) >= 2), "the test never started"
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    assert _wait_until(lambda: _processes_with(marker) == []), _processes_with(marker)
    assert _wait_until(lambda: not workdir.exists())


def test_a_stale_copy_is_removed_and_its_processes_killed_at_the_next_start(tmp_path, verify_env):
    marker = f"hasten-stale-{uuid.uuid4().hex}"
    stale = verify_env / f"{TEMP_PREFIX}crashed"
    (stale / "project").mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (stale / OWNER_FILE).write_text(f"{int(dead.stdout)} 1")
    survivor = subprocess.Popen(["env", "-i", sys.executable, "-c", f"import time; time.sleep(600)  # {marker}"],
                                cwd=stale / "project", start_new_session=True)
    live = new_workdir()  # the next start
    try:
        assert not stale.exists()
        assert survivor.wait(timeout=10) == -signal.SIGKILL
        mine = verify_env / f"{TEMP_PREFIX}alive"
        mine.mkdir()
        (mine / OWNER_FILE).write_text(f"{os.getpid()} ")
        another = new_workdir()
        another.joinpath(OWNER_FILE).unlink()
        another.rmdir()
        assert mine.exists()  # a running hasten's folder is left alone
    finally:
        import shutil
        shutil.rmtree(live, ignore_errors=True)
        shutil.rmtree(verify_env / f"{TEMP_PREFIX}alive", ignore_errors=True)


def test_sighup_to_the_cli_kills_escaped_tests_and_removes_the_copy(tmp_path, verify_env):
    marker = f"hasten-hup-{uuid.uuid4().hex}"
    root = make_project(tmp_path / "p", """\
        def missing(xs, ys):
            known = [y for y in ys]
            return [x for x in xs if x not in known]
    """, f"""
        import subprocess, sys, time
        from pkg.mod import missing

        def test_slow():
            assert missing([1, 2], [1]) == [2]
            subprocess.Popen(["env", "-i", sys.executable, "-c", "import time; time.sleep(600)  # {marker}"], start_new_session=True)
            time.sleep(600)
    """)
    before = snapshot(root)
    env = dict(os.environ, TMPDIR=str(verify_env))
    proc = subprocess.Popen([sys.executable, "-m", "hasten", "verify", "--preview", str(root / "pkg" / "mod.py")], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _wait_until(lambda: _processes_with(marker)), "the test never started"
    proc.send_signal(signal.SIGHUP)
    proc.wait(timeout=30)
    assert _wait_until(lambda: _processes_with(marker) == []), _processes_with(marker)
    assert snapshot(root) == before
    assert _wait_until(lambda: list(verify_env.iterdir()) == [])
