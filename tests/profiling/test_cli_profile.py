"""`hasten profile` end to end: a real pytest run of a tiny project under the profiler."""

import json
import subprocess
import sys

import pytest

from hasten.server.cli import main
from hasten.server.profile import annotate, load
from hasten.server.profile.run import profile_project

from .conftest import make_project, tree_hash

MODULE = """\
def unmatched(payments, invoices):
    references = [invoice["ref"] for invoice in invoices]
    missing = 0
    for payment in payments:
        if payment["ref"] not in references:
            missing += 1
    return missing


def weekend(days):
    return [d for d in days if d in ["sat", "sun", "holiday"]]
"""

TESTS = """\
from pkg.mod import unmatched, weekend


def refs(numbers):
    return [{"ref": n} for n in numbers]


def test_unmatched():
    assert unmatched(refs(range(0, 6000, 2)), refs(range(3000))) == 1500


def test_weekend():
    assert weekend(["mon", "sat"]) == ["sat"]
"""


@pytest.fixture
def project(tmp_path, profile_env):
    return make_project(tmp_path / "project", MODULE, TESTS)


def test_profile_ranks_the_costly_finding_and_leaves_the_workspace_alone(project, capsys):
    before = tree_hash(project)
    code = main(["profile", str(project), "-q"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "profiled `pytest`" in out
    assert tree_hash(project) == before  # only .hasten/ is new
    assert (project / ".hasten" / ".gitignore").read_text().splitlines()[-1] == "*"
    profile = load(project)
    assert profile.exit_code == 0 and not profile.partial and profile.samples > 0
    entry = profile.files["pkg/mod.py"]
    unmatched = next(f for f in entry.functions.values() if f["qualname"] == "unmatched")
    assert unmatched["calls"] == 1
    assert unmatched["inclusive"][0] > 0
    # The listing names the loop's finding first, with its share, calls and the list's size.
    listed = [line for line in out.splitlines() if line.startswith("  pkg/mod.py:")]
    assert listed and listed[0].startswith("  pkg/mod.py:5: HS101 this loop:")
    assert "`unmatched` called 1 time" in listed[0]


def test_json_output_and_measures_from_the_stored_profile(project, capsys):
    assert main(["profile", str(project), "-q", "--output-format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["exit_code"] == 0 and data["stored"].endswith("profile.json")
    first = data["findings"][0]
    assert first["code"] == "HS101" and first["profile"]["share"] > 0 and first["profile"]["scope"] == "loop"

    from hasten.analyzers.checker import check
    from hasten.analyzers.config import load_config
    from hasten.analyzers.source import Source

    path = project / "pkg" / "mod.py"
    source = Source(path.read_text(), str(path))
    findings = check(source, load_config(str(path))[0]).findings
    measures = annotate(load(project), source, findings)
    assert any(m is not None and m.calls == 1 for m in measures)
    # Editing the file makes its profile stale: no measure, no guess.
    path.write_text(MODULE + "\n# edited\n")
    assert load(project).stale == ["pkg/mod.py"]


def test_a_given_command_is_profiled_instead_of_the_tests(project, capsys):
    (project / "script.py").write_text("from pkg.mod import unmatched\nprint(unmatched([{'ref': n} for n in range(4000)], [{'ref': n} for n in range(2000)]))\n")
    code = main(["profile", str(project), "-q", "--", "python", "script.py"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "profiled `python script.py`" in out
    assert "script.py" in load(project).files


def test_failing_tests_give_a_message_and_a_profile(tmp_path, profile_env, capsys):
    project = make_project(tmp_path / "p", MODULE, TESTS + "\n\ndef test_broken():\n    assert unmatched(refs([1]), []) == 0\n")
    before = tree_hash(project)
    code = main(["profile", str(project), "-q"])
    captured = capsys.readouterr()
    assert code == 1
    assert "the tests failed (exit 1)" in captured.err
    assert load(project).exit_code == 1 and load(project).samples > 0
    assert tree_hash(project) == before


@pytest.mark.slow  # waits for its timeout, which must leave room for pytest's start on a busy machine
def test_a_hanging_run_times_out_with_a_partial_profile(tmp_path, profile_env):
    tests = TESTS + "\n\ndef test_hangs():\n    while True:\n        unmatched(refs([1, 2, 3]), refs([1]))\n"
    project = make_project(tmp_path / "p", MODULE, tests)
    outcome = profile_project(project, timeout=40)
    assert outcome.result.timed_out
    assert any("timed out after" in p for p in outcome.problems)
    assert outcome.profile is not None and outcome.profile.partial and outcome.profile.timed_out
    # The hanging loop is in the profile: it was written out while the run went on.
    assert load(project).files["pkg/mod.py"].functions


def test_forking_tests_are_profiled_and_leave_nothing_behind(tmp_path, profile_env):
    tests = TESTS + (
        "\n\nimport os\n\n\ndef test_forks():\n    pid = os.fork()\n    if pid == 0:\n"
        "        unmatched(refs(range(0, 4000, 2)), refs(range(2000)))\n        os._exit(0)\n"
        "    os.waitpid(pid, 0)\n"
    )
    project = make_project(tmp_path / "p", MODULE, tests)
    before = tree_hash(project)
    outcome = profile_project(project)
    assert outcome.ok, outcome.problems
    assert outcome.profile.processes >= 3  # the launcher (until its exec), pytest, the forked child
    unmatched = next(f for f in outcome.profile.files["pkg/mod.py"].functions.values() if f["qualname"] == "unmatched")
    assert unmatched["calls"] == 2  # once in pytest, once in the child: not counted twice
    assert tree_hash(project) == before


def test_the_sampler_never_breaks_the_program_it_profiles(tmp_path, profile_env):
    # An exec'd program keeps the interval timer but not the handler: the exec guard must stop it.
    script = tmp_path / "p" / "exec_it.py"
    project = make_project(tmp_path / "p", MODULE, TESTS)
    script.write_text(
        "import os, sys\nfrom pkg.mod import unmatched\nunmatched([{'ref': n} for n in range(3000)], [])\n"
        "os.execv(sys.executable, [sys.executable, '-c', 'print(sum(range(10**6)))'])\n"
    )
    outcome = profile_project(project, ["python", "exec_it.py"])
    assert outcome.ok, (outcome.problems, outcome.result.tail())
    assert "499999500000" in outcome.result.stdout


def test_nothing_runs_without_the_command(project):
    # Loading, annotating and checking never start a process or write into the project.
    before = tree_hash(project, skip=())
    assert load(project) is None
    result = subprocess.run([sys.executable, "-m", "hasten", "check", str(project), "--no-cache"], capture_output=True, text=True)
    assert result.returncode in (0, 1)
    assert tree_hash(project, skip=()) == before
