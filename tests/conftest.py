import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_BENCHMARKS = ROOT.parent / "shared" / "benchmarks"


def pytest_configure(config):
    config.addinivalue_line("markers", "neovim: needs a real neovim binary")


@pytest.fixture
def shared_benchmarks():
    if not SHARED_BENCHMARKS.is_dir():
        pytest.skip(f"benchmark data not found at ../shared/benchmarks (relative to the repository)")
    return SHARED_BENCHMARKS
