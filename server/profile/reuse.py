"""Which tests spend time in a function, by the stored profile: for verification, which runs them
first so that the calls it records and replays are the ones the program really spends time on.

The profile names tests by their pytest node id only (see ``store``); an answer is given only
when the function's file is unchanged since the profiled run, and tests whose own file changed
since are left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hasten.analyzers.source import decode_source
from hasten.server.profile.measure import percent_text
from hasten.server.profile.store import FileProfile, Profile, ProfileError, load


@dataclass
class HotTests:
    """The tests in which the profile measured a function, most time first."""

    tests: list[str]
    seconds: list[float]  # the function's sampled time in each of them
    function_seconds: float  # the function's whole sampled time (every test and outside tests)
    total_seconds: float  # the whole run's sampled CPU time
    other_tests: int = 0  # tests beyond those kept in the profile
    partial: bool = False

    @property
    def share(self) -> float:
        """The function's share of the profiled run."""
        return self.function_seconds / self.total_seconds if self.total_seconds > 0 else 0.0

    @property
    def tests_share(self) -> float:
        """The share of the function's time spent in ``tests``."""
        return sum(self.seconds) / self.function_seconds if self.function_seconds > 0 else 0.0


def function_entry(entry: FileProfile, qualname: str, line: int) -> dict | None:
    """The profile's entry for the function ``qualname`` defined at ``line`` (its ``def``). The
    entry is keyed by the code object's first line, a decorator's when there is one, and before
    Python 3.11 by the bare name, so the nearest entry at or above the ``def`` whose name fits wins."""
    best = None
    for candidate in entry.functions.values():
        name = candidate.get("qualname", "")
        if name != qualname and not qualname.endswith("." + name):
            continue
        if candidate.get("line", 0) <= line and (best is None or candidate["line"] > best["line"]):
            best = candidate
    return best


def hot_tests(root: str | os.PathLike, rel: str, qualname: str, line: int, *, text: str | None = None,
              profile: Profile | None = None) -> HotTests | None:
    """The tests the stored profile of ``root`` measured ``qualname`` (in ``rel``, its ``def`` at
    ``line``) in, hottest first; None when there is no profile, the file changed since it was
    profiled (``text``, an editor's buffer, must match the file that ran too), or no test was
    measured in it. Reads only: nothing runs."""
    root = Path(root)
    if profile is None:
        try:
            profile = load(root)
        except ProfileError:
            return None
    if profile is None or profile.cpu_seconds <= 0:
        return None
    entry = profile.file(rel)
    if entry is None:
        return None  # never profiled, or changed since (dropped on load)
    if text is not None:
        try:
            if decode_source((root / rel).read_bytes()) != text:
                return None  # an unsaved buffer that differs from the profiled file
        except (OSError, UnicodeDecodeError, LookupError):
            return None
    function = function_entry(entry, qualname, line)
    if function is None:
        return None
    kept = [(test, float(seconds)) for test, seconds, _samples in function.get("tests") or []
            if seconds > 0 and _test_file_fresh(profile, test)]
    if not kept:
        return None
    other = function.get("other_tests") or [0, 0.0, 0]
    return HotTests(
        tests=[test for test, _ in kept], seconds=[seconds for _, seconds in kept],
        function_seconds=float(function["inclusive"][0]), total_seconds=profile.cpu_seconds,
        other_tests=int(other[0]), partial=profile.partial,
    )


def _test_file_fresh(profile: Profile, test: str) -> bool:
    """False when the test's file changed (or went away) since the profiled run."""
    path = test.split("::", 1)[0]
    if path in profile.stale:
        return False
    return path in profile.files or (profile.root / path).is_file()


def profiled_first(root: str | os.PathLike, rel: str, text: str | None, qualname: str, line: int,
                   tests: list[str]) -> tuple[list[str], HotTests | None]:
    """``tests`` (those verification selected) with the ones the stored profile measured the
    function in first, hottest first; and what the profile said (None: nothing to go by)."""
    hot = hot_tests(root, rel, qualname, line, text=text)
    if hot is None:
        return tests, None
    selected = set(tests)
    profiled = [test for test in hot.tests if test in selected]
    if not profiled:
        return tests, None
    keep = set(profiled)
    hot.seconds = [seconds for test, seconds in zip(hot.tests, hot.seconds) if test in keep]
    hot.tests = profiled
    return profiled + [test for test in tests if test not in keep], hot


def recorded_note(hot: HotTests, recorded: dict | None, qualname: str) -> str:
    """The evidence line: where the replayed calls come from, by the profile."""
    n = len(hot.tests)
    where = (f"{'the test' if n == 1 else f'the {n} tests'} where the profile measured `{qualname}`"
             f" ({percent_text(hot.share)} of the run")
    if hot.tests_share < 0.995:
        where += f"; {percent_text(hot.tests_share)} of its time was in {'it' if n == 1 else 'them'}"
    where += ")"
    recorded = recorded or {}
    if recorded.get("recorded_from_preferred") is False:
        return f"{where[0].upper()}{where[1:]} made no call that could be recorded; calls recorded from the other tests"
    names = recorded.get("recorded_tests") or hot.tests
    return f"calls recorded from {where}: " + ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")
