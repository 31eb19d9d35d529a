"""pytest plugin for the profile benchmark: each test's CPU time (call phase), written as JSON to
$HASTEN_BENCH_CPU_OUT at the end of the session."""

import json
import os
import time

import pytest

_TIMES = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    started = time.process_time()
    yield
    _TIMES[item.nodeid] = time.process_time() - started


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("HASTEN_BENCH_CPU_OUT")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(_TIMES, handle)
