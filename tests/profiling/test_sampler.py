"""The injected sampler's own pieces, in this process (it is standalone: loaded from its file)."""

import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _module():
    spec = importlib.util.spec_from_file_location("hasten_profile_sampler_under_test", REPO / "server" / "profile" / "_sampler.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Sneaky(list):
    def __len__(self):  # must never run inside the sampler
        raise AssertionError("a subclass's __len__ ran")


def test_sizes_are_lengths_and_type_names_only(tmp_path):
    sampler = _module().Sampler({"roots": [str(tmp_path)], "out": str(tmp_path), "flagged": {"m.py": {"1": ["items", "sneaky", "self.cache", "n", "missing"]}}})

    class Holder:
        def __init__(self):
            self.cache = {"a": 1, "b": 2}

    def frame_with_locals():
        items = [3, 1, 4, 1, 5]
        sneaky = Sneaky([1, 2])
        self = Holder()
        n = 12345
        return sys._getframe(), (items, sneaky, self, n)

    frame, _keep = frame_with_locals()
    sampler.sample_sizes(frame, "m.py", 1)
    sizes = {name: record for (_rel, _line, name), record in sampler.sizes.items()}
    assert sizes["items"] == ["list", 5, 5, 1, 5]
    assert sizes["sneaky"][:2] == ["Sneaky", 2]
    assert sizes["self.cache"][:2] == ["dict", 2]
    assert "n" not in sizes and "missing" not in sizes  # not containers / not bound
    sampler.flush()
    written = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert "12345" not in json.dumps(written) and "3, 1, 4" not in json.dumps(written)


def test_a_loops_backward_jump_gets_the_line_before_it(tmp_path):
    sampler = _module().Sampler({"roots": [str(tmp_path)], "out": str(tmp_path)})

    def loop(values):
        total = 0
        for v in values:
            if v:
                total += 1
        return total

    code = loop.__code__
    last = max(start for start, _end, line in code.co_lines() if line is not None)
    line = sampler.line_before(code, last + 2)
    assert code.co_firstlineno < line <= code.co_firstlineno + 5
