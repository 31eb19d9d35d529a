"""Every fix keeps real code parseable and converges: a sample of the standard library in CI;
`python -m benchmarks.reliability.fix_stdlib` runs the whole library and reports the figures."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from benchmarks.reliability.fix_stdlib import fix_one, python_files

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLE = python_files(STDLIB)[::12]


@pytest.mark.slow
@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: str(p.relative_to(STDLIB)))
def test_fixing_keeps_the_file_parseable(path):
    result = fix_one(str(path))
    assert result["status"] in ("ok", "invalid-before", "unreadable"), result
