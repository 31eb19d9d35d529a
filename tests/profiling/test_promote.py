"""With a stored profile, `hasten check` at its default settings also reports the preview rules'
findings the profile proves costly (a hot loop over a large container), through the real entry
point, on a copy of the planted project with a synthetic profile of a real run's figures."""

import json
import subprocess
import sys

from hasten.analyzers.config import Config
from hasten.server.profile.measure import Measure
from hasten.server.profile.promote import MIN_ITEMS, promotable_rules, proof
from hasten.server.profile.store import content_hash
from tests.profiling.conftest import planted_project

PROVEN = ["HS101", "HS102", "HS304"]  # hot loops over 10,000 / 99,984 / 400,000 items


def hasten(*args, cwd):
    return subprocess.run([sys.executable, "-m", "hasten", "check", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def codes(out):
    return [line.split()[1] for line in out.stdout.splitlines() if line.startswith("ledger/")]


def test_default_settings_report_the_measured_large_preview_findings(tmp_path):
    root = planted_project(tmp_path)
    out = hasten("--no-cache", cwd=root)
    assert out.returncode == 1, out.stderr
    heads = [line for line in out.stdout.splitlines() if line.startswith("ledger/")]
    assert [h.split()[1] for h in heads] == PROVEN
    # Not the set rebuilt per pass (hot, but over 200 items) nor the 3-item literal (no time).
    assert "HS112" not in out.stdout and "HS308" not in out.stdout
    assert heads[1].endswith(
        "(reported by default: the profile measured `queue`: list of up to 99,984 items, 16% of the run)"
    )
    data = json.loads(hasten("--no-cache", "--output-format", "json", cwd=root).stdout)
    assert [d["code"] for d in data] == PROVEN
    assert all(d["extra"]["promoted"] == "profile" and d["profile"]["share"] >= 0.01 for d in data)
    sarif = json.loads(hasten("--no-cache", "--output-format", "sarif", cwd=root).stdout)
    assert sarif["runs"][0]["results"][0]["properties"]["promoted"] == "profile"
    # The content-hash cache holds the rules' findings only; promotion is decided again.
    assert codes(hasten(cwd=root)) == PROVEN and codes(hasten(cwd=root)) == PROVEN


def test_no_profile_promotes_nothing(tmp_path):
    root = planted_project(tmp_path, profiled=False)
    out = hasten("--no-cache", cwd=root)
    assert out.returncode == 0 and codes(out) == []


def test_a_changed_file_loses_its_promotion(tmp_path):
    root = planted_project(tmp_path)
    books = root / "ledger" / "books.py"
    books.write_text(books.read_text() + "\n# edited\n")
    assert codes(hasten("--no-cache", cwd=root)) == []


def test_ignore_noqa_and_the_setting_drop_promoted_findings(tmp_path):
    root = planted_project(tmp_path)
    assert codes(hasten("--no-cache", "--ignore", "HS102", cwd=root)) == ["HS101", "HS304"]
    assert codes(hasten("--no-cache", "--ignore", "HS1", cwd=root)) == ["HS304"]
    # An explicit selection without the rule: no promotion; a prefix covering it: promoted.
    assert codes(hasten("--no-cache", "--select", "HS3", cwd=root)) == ["HS304"]
    assert codes(hasten("--no-cache", "--select", "HS501", cwd=root)) == []
    # --preview: the preview rules run anyway, with no promotion mark.
    data = json.loads(hasten("--no-cache", "--preview", "--output-format", "json", cwd=root).stdout)
    assert "HS308" in [d["code"] for d in data] and not any("promoted" in d.get("extra", {}) for d in data)
    off = planted_project(tmp_path / "off", settings="profile-promote = false")
    assert codes(hasten("--no-cache", cwd=off)) == []
    bad = planted_project(tmp_path / "bad", settings='profile-promote = "yes"')
    out = hasten("--no-cache", cwd=bad)
    assert "profile-promote: invalid value 'yes': expected true or false; using the default" in out.stderr
    assert codes(out) == PROVEN
    ignored = planted_project(tmp_path / "pfi", settings='[tool.hasten.per-file-ignores]\n"ledger/*" = ["HS101"]')
    assert codes(hasten("--no-cache", cwd=ignored)) == ["HS102", "HS304"]


def test_noqa_suppresses_a_promoted_finding_and_the_file_loses_its_profile(tmp_path):
    root = planted_project(tmp_path)
    # --add-noqa covers the promoted findings too; after it the file differs from the profiled one.
    out = hasten("--no-cache", "--add-noqa", cwd=root)
    assert out.returncode == 0 and "Added 3 noqa directives." in out.stderr
    books = root / "ledger" / "books.py"
    assert books.read_text().count("# noqa: HS1") == 2
    # A profile of the file as it is now (same lines): the noqa comments suppress the findings.
    stored = root / ".hasten" / "profile.json"
    data = json.loads(stored.read_text())
    data["files"]["ledger/books.py"]["sha256"] = content_hash(books.read_bytes())
    stored.write_text(json.dumps(data))
    out = hasten("--no-cache", cwd=root)
    assert out.returncode == 0 and codes(out) == []


def test_baseline_hides_recorded_promoted_findings(tmp_path):
    root = planted_project(tmp_path)
    assert hasten("--no-cache", "--write-baseline", "base.json", cwd=root).returncode == 0
    out = hasten("--no-cache", "--baseline", "base.json", cwd=root)
    assert out.returncode == 0 and codes(out) == []


def test_fix_applies_a_promoted_safe_fix(tmp_path):
    root = planted_project(tmp_path)
    diff = hasten("--no-cache", "--diff", cwd=root)
    assert "+        total += queue.popleft()" in diff.stdout and "Would fix 1 finding (2 more with --unsafe-fixes)." in diff.stderr
    out = hasten("--no-cache", "--fix", cwd=root)
    text = (root / "ledger" / "books.py").read_text()
    assert "queue.popleft()" in text and "Fixed 1 finding." in out.stdout
    # The file is no longer the one profiled: nothing is promoted until the next profile.
    assert out.returncode == 0 and codes(out) == []


def test_hasten_profile_watches_the_rules_it_may_promote(tmp_path):
    from hasten.analyzers.config import load_config
    from hasten.server.profile.run import plan_for

    root = planted_project(tmp_path, profiled=False)
    plan = plan_for(root, load_config(str(root))[0])
    assert plan.findings == {} or all(not f for _, f in plan.findings.values())
    assert [f.code for f in plan.candidates["ledger/books.py"]] == ["HS101", "HS102", "HS112", "HS304", "HS308"]
    assert "queue" in plan.flagged["ledger/books.py"]["19"]


def test_which_rules_and_which_measures_promote():
    codes_ = {r.code for r in promotable_rules(Config(), "x.py")}
    assert {"HS101", "HS102", "HS103", "HS115"} <= codes_
    assert not codes_ & {"HS900", "HS202", "HS204", "HS205", "HS206"}
    assert promotable_rules(Config(preview=True), "x.py") == ()
    assert promotable_rules(Config(profile_promote=False), "x.py") == ()
    assert {r.code for r in promotable_rules(Config(select=("HS10",)), "x.py")} <= {f"HS10{i}" for i in range(10)}

    def m(share, *sizes):
        return Measure(seconds=share, samples=10, share=share, total_seconds=1.0, sizes=sizes)

    assert proof("HS101", m(0.05, ("pool", "list", MIN_ITEMS))) == ("pool", "list", MIN_ITEMS)
    assert proof("HS101", m(0.05, ("pool", "list", MIN_ITEMS - 1))) is None
    assert proof("HS101", m(0.009, ("pool", "list", 10**6))) is None
    assert proof("HS101", m(0.05, ("line", "str", 10**6))) is None  # a long string read by the loop
    assert proof("HS103", m(0.05, ("out", "str", 10**6))) == ("out", "str", 10**6)
    assert proof("HS101", None) is None


def test_parallel_workers_promote_too(tmp_path):
    root = planted_project(tmp_path)
    for i in range(30):  # enough files for worker processes
        (root / "ledger" / f"extra_{i}.py").write_text(f"def f{i}(items):\n    return [x for x in items]\n")
    out = hasten("--no-cache", "--jobs", "2", cwd=root)
    assert codes(out) == PROVEN, out.stderr
