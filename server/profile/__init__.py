"""Profiles of the project's own test runs, and what they say about each finding.

``profile_project(path, command=None)`` runs the tests (or ``command``) once in an isolated copy
under a sampling profiler and stores ``.hasten/profile.json``; ``load(root)`` reads it back
without the files changed since; ``annotate(profile, source, findings)`` gives each finding in
profiled code its measured share of the run (``finding.extra["profile"]``); ``cost_key`` and
``is_hot`` order and filter findings by it; ``hot_tests(root, rel, qualname, line)`` names the
tests in which the profile measured a function, hottest first (for verification). Nothing here
imports LSP code.
"""

from hasten.server.lazy import lazy_attributes

from hasten.server.profile.measure import DEFAULT_HOT, Measure, annotate, cost_key, is_hot, measure
from hasten.server.profile.store import Profile, ProfileError, load, store_path

# Running a profile (and the verification modules it uses) is imported on first use: reading a
# stored profile, in the CLI and the editor, does not need it.
_LAZY = {"HotTests": "reuse", "hot_tests": "reuse", "ProfileRun": "run", "profile_project": "run"}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = [
    "DEFAULT_HOT", "HotTests", "Measure", "Profile", "ProfileError", "ProfileRun", "annotate", "cost_key", "hot_tests",
    "is_hot", "load", "measure", "profile_project", "store_path",
]
