"""Attribution of samples to lines and functions, and the stored profile's life cycle."""

import json

import pytest

from hasten.server.profile.store import FileProfile, ProfileError, content_hash, load, merge, save, store_path


def _project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (root / "a.py").write_text("def f():\n    for i in range(3):\n        g()\n\ndef g():\n    return 1\n")
    (root / "b.py").write_text("def h():\n    pass\n")
    return root


def _part(**overrides):
    # Codes: 0 = a.py f (line 1), 1 = a.py g (line 5), 2 = outside the project, 3 = b.py h.
    part = {
        "final": True, "cpu_seconds": 1.0, "samples": 10, "interval": 0.001,
        "codes": [["a.py", "f", 1], ["a.py", "g", 5], [None, "run", 1], ["b.py", "h", 1]],
        "stacks": [
            [0.5, 5, [1, 6, 0, 3, 2, 10]],  # g at 6, called from f at 3: two lines of a.py at once
            [0.2, 2, [0, 2]],  # f at its loop head
            [0.1, 1, [3, 2]],  # h
            [0.2, 2, [2, 10]],  # outside the project only
        ],
        "calls": [["a.py", "f", 1, 4]],
        "sizes": [["a.py", 3, "items", "list", 12, 3, 2, 15]],
    }
    part.update(overrides)
    return part


def _merged(root, parts):
    return merge(parts, root, root, command=["pytest"], wall_seconds=2.0, exit_code=0, timed_out=False)


def test_samples_are_charged_to_lines_once_per_sample(tmp_path):
    root = _project(tmp_path)
    profile = _merged(root, [_part()])
    a = profile.files["a.py"]
    assert a.lines == {2: [0.2, 2]}
    assert a.multi == [[[3, 6], 0.5, 5]]
    # A range covering both lines of the stack counts the sample once.
    assert a.range_time(1, 6) == (0.7, 7)
    assert a.range_time(3, 3) == (0.5, 5)
    assert a.range_time(6, 6) == (0.5, 5)
    assert a.range_time(4, 4) == (0.0, 0)
    assert profile.files["b.py"].lines == {2: [0.1, 1]}
    assert profile.cpu_seconds == 1.0 and profile.samples == 10


def test_functions_inclusive_own_and_calls(tmp_path):
    root = _project(tmp_path)
    functions = _merged(root, [_part()]).files["a.py"].functions
    f, g = functions["f:1"], functions["g:5"]
    assert f["inclusive"] == [0.7, 7] and f["own"] == [0.2, 2]
    assert g["inclusive"] == [0.5, 5] and g["own"] == [0.5, 5]
    assert f["calls"] == 4 and g["calls"] is None


def test_processes_add_up(tmp_path):
    root = _project(tmp_path)
    profile = _merged(root, [_part(), _part(final=False)])
    assert profile.processes == 2
    assert profile.cpu_seconds == 2.0
    assert profile.partial  # one process did not finish writing
    a = profile.files["a.py"]
    assert a.functions["f:1"]["calls"] == 8
    assert a.sizes[3]["items"] == {"type": "list", "max": 12, "min": 3, "samples": 4, "mean": 7.5}


def test_sizes_keep_types_and_lengths_only(tmp_path):
    root = _project(tmp_path)
    profile = _merged(root, [_part()])
    text = json.dumps(profile.to_json())
    assert set(profile.files["a.py"].sizes[3]["items"]) == {"type", "max", "min", "samples", "mean"}
    assert "range(3)" not in text


def test_save_and_load_round_trip_with_gitignore(tmp_path):
    root = _project(tmp_path)
    path = save(_merged(root, [_part()]))
    assert path == store_path(root)
    assert (root / ".hasten" / ".gitignore").read_text().splitlines()[-1] == "*"
    loaded = load(root)
    assert set(loaded.files) == {"a.py", "b.py"}
    assert loaded.files["a.py"].range_time(1, 6) == (0.7, 7)
    assert loaded.stale == []


def test_a_changed_file_is_dropped_and_the_others_kept(tmp_path):
    root = _project(tmp_path)
    save(_merged(root, [_part()]))
    (root / "a.py").write_text("def f():\n    return 2\n")
    loaded = load(root)
    assert set(loaded.files) == {"b.py"}
    assert loaded.stale == ["a.py"]
    (root / "b.py").unlink()
    assert load(root).files == {}


def test_hashes_are_of_the_content_that_ran(tmp_path):
    root = _project(tmp_path)
    profile = _merged(root, [_part()])
    assert profile.files["a.py"].sha256 == content_hash((root / "a.py").read_bytes())


def test_no_profile_and_unreadable_profile(tmp_path):
    root = _project(tmp_path)
    assert load(root) is None
    store_path(root).parent.mkdir()
    store_path(root).write_text("{not json")
    with pytest.raises(ProfileError, match="hasten profile"):
        load(root)
    store_path(root).write_text(json.dumps({"format": 999}))
    with pytest.raises(ProfileError, match="another version"):
        load(root)


def test_file_profile_function_at_spans_decorators():
    entry = FileProfile("a.py", "x", functions={"f:3": {"qualname": "f", "line": 3, "inclusive": [1.0, 1], "own": [1.0, 1], "calls": 2}})
    assert entry.function_at(3, 4)["qualname"] == "f"  # co_firstlineno is the decorator's line
    assert entry.function_at(4, 4) is None


def test_counted_calls_join_the_sampled_function_by_line(tmp_path):
    # Python 3.10 code objects name a method `m`; the counted qualname is `C.m`.
    root = _project(tmp_path)
    part = _part(codes=[["a.py", "g", 5]], stacks=[[0.3, 3, [0, 6]]], calls=[["a.py", "C.g", 5, 7]], sizes=[])
    functions = _merged(root, [part]).files["a.py"].functions
    assert list(functions) == ["g:5"] and functions["g:5"]["calls"] == 7
