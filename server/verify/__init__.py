"""Verification of fixes against the project's own tests: isolated runs, replayed calls, timing.

``verify_fix(path, fix)`` returns a ``Verdict``; ``verified_fixes`` verifies a file's findings.
Nothing here imports LSP code; the language server's handler and the CLI both call in.
"""

from hasten.server.lazy import lazy_attributes

# Imported on first use: the front ends import this package at start, and verification (its
# subprocesses, the replay, the statistics) runs only when asked for.
_LAZY = {
    "verify_fix": "core", "Cancelled": "process", "verified_fixes": "batch",
    **dict.fromkeys(("BEHAVIOUR_CHANGED", "CANNOT_VERIFY", "EQUIVALENT", "SLOWER", "VERDICTS", "VERIFIED_FASTER", "Verdict"), "verdict"),
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = [
    "BEHAVIOUR_CHANGED", "CANNOT_VERIFY", "EQUIVALENT", "SLOWER", "VERDICTS", "VERIFIED_FASTER",
    "Cancelled", "Verdict", "verified_fixes", "verify_fix",
]
