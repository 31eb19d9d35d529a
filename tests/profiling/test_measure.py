"""What the profile says about findings: loop scope, shares, sizes, order and the hot filter."""

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.finding import Finding
from hasten.analyzers.source import Source
from hasten.server.profile.measure import (
    DEFAULT_HOT,
    annotate,
    cost_key,
    finding_names,
    is_hot,
    measured_lines,
)
from hasten.server.profile.store import FileProfile, Profile, content_hash

CODE = """\
def scan(items, wanted):
    pool = list(items)
    found = 0
    for w in wanted:
        if w in pool:
            found += 1
    return found


def flag(days):
    return [d for d in days if d in ["sat", "sun", "holiday"]]
"""


def _source(tmp_path, text=CODE):
    path = tmp_path / "mod.py"
    path.write_text(text)
    return Source(text, str(path))


def _finding(source, needle, code="HS101"):
    start = source.data.index(needle.encode())
    return Finding(code, "test", "message", start, start + len(needle))


def _profile(tmp_path, source, **file_fields):
    entry = FileProfile("mod.py", content_hash(source.data), **file_fields)
    return Profile(root=tmp_path, files={"mod.py": entry}, cpu_seconds=10.0, samples=1000, wall_seconds=12.0, command=["pytest"])


def test_a_finding_in_a_loop_is_measured_by_its_loop(tmp_path):
    source = _source(tmp_path)
    assert measured_lines(source, _finding(source, "w in pool")) == ("loop", 4, 6)
    assert measured_lines(source, _finding(source, "d in [")) == ("loop", 11, 11)
    assert measured_lines(source, _finding(source, "pool = list")) == ("lines", 2, 2)
    # A finding on a function's name (complexity, growth class) is about all of it.
    assert measured_lines(source, _finding(source, "scan(")) == ("function", 1, 7)


def test_names_read_by_a_finding():
    source = Source("def f(self, items):\n    return self.cache.get(1) or items.pop(0) or self.seen\n")
    finding = Finding("X", "x", "m", 0, len(source.data))
    names = finding_names(source, finding)
    assert "items" in names and "self.seen" in names and "self.cache" in names
    assert "items.pop" not in names


def test_annotate_share_calls_sizes(tmp_path):
    source = _source(tmp_path)
    profile = _profile(
        tmp_path, source,
        # The sampler sees a tight loop at its backward jump (line 6), not at the `in` (line 5).
        lines={4: [0.1, 10], 6: [4.0, 400], 11: [0.001, 1]},
        functions={"scan:1": {"qualname": "scan", "line": 1, "inclusive": [4.2, 420], "own": [4.2, 420], "calls": 3400}},
        sizes={6: {"pool": {"type": "list", "max": 12000, "min": 10, "samples": 9, "mean": 500.0},
                   "found": {"type": "int", "max": 0, "min": 0, "samples": 1, "mean": 0}}},
    )
    loop, literal = _finding(source, "w in pool"), _finding(source, "d in [", "HS308")
    measures = annotate(profile, source, [literal, loop])
    m = measures[1]
    assert m.scope == "loop" and m.lines == (4, 6)
    assert abs(m.seconds - 4.1) < 1e-9 and abs(m.share - 0.41) < 1e-9
    assert m.calls == 3400 and m.function == "scan"
    assert m.sizes == (("pool", "list", 12000),)
    assert m.summary() == "this loop: 41% of the profiled run (4.10 s), `scan` called 3,400 times, `pool`: list of up to 12,000 items"
    assert loop.extra["profile"]["share"] == 0.41
    assert loop.extra["profile"]["sizes"] == [{"name": "pool", "type": "list", "max": 12000}]
    assert m.is_hot() and not measures[0].is_hot()
    ordered = sorted([literal, loop], key=cost_key)
    assert ordered == [loop, literal]
    assert is_hot(loop) and not is_hot(literal) and is_hot(literal, 0.00005)


def test_unmeasured_findings_sort_last_in_their_order(tmp_path):
    source = _source(tmp_path)
    a, b = _finding(source, "d in ["), _finding(source, "w in pool")
    c = Finding("HS1", "x", "m", 0, 1)
    b.extra["profile"] = {"seconds": 1.0, "share": 0.1}
    assert sorted([a, c, b], key=cost_key) == [b, a, c]
    assert not is_hot(a) and is_hot(b, DEFAULT_HOT)


def test_a_changed_buffer_has_no_measure(tmp_path):
    source = _source(tmp_path)
    profile = _profile(tmp_path, source, lines={6: [4.0, 400]})
    edited = Source(CODE.replace("found = 0", "found = 00"), source.path)
    finding = _finding(edited, "w in pool")
    assert annotate(profile, edited, [finding]) == [None]
    assert "profile" not in finding.extra


def test_files_outside_the_profile_and_no_profile(tmp_path):
    source = _source(tmp_path)
    finding = _finding(source, "w in pool")
    assert annotate(None, source, [finding]) == [None]
    other = Profile(root=tmp_path / "elsewhere", files={}, cpu_seconds=1.0, samples=1, wall_seconds=1.0, command=[])
    assert annotate(other, source, [finding]) == [None]


def test_real_rules_in_profiled_code(tmp_path):
    source = _source(tmp_path)
    findings = check(source, Config(preview=True)).findings  # HS308 is a preview rule
    assert findings, "the sample code should trip a rule"
    profile = _profile(tmp_path, source, lines={6: [2.0, 200], 11: [0.5, 50]})
    measures = annotate(profile, source, findings)
    codes = {f.code: m for f, m in zip(findings, measures)}
    assert codes["HS308"].share == 0.05 and codes["HS308"].scope == "loop"
