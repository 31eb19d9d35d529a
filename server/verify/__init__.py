"""Verification of fixes against the project's own tests: isolated runs, replayed calls, timing.

``verify_fix(path, fix)`` returns a ``Verdict``; ``verified_fixes`` verifies a file's findings.
Nothing here imports LSP code; the language server's handler and the CLI both call in.
"""

# Imported on first use: the front ends import this package at start, and verification (its
# subprocesses, the replay, the statistics) runs only when asked for.
_LAZY = {
    "verify_fix": "core", "Cancelled": "process", "verified_fixes": "batch",
    **dict.fromkeys(("BEHAVIOUR_CHANGED", "CANNOT_VERIFY", "EQUIVALENT", "SLOWER", "VERDICTS", "VERIFIED_FASTER", "Verdict"), "verdict"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BEHAVIOUR_CHANGED", "CANNOT_VERIFY", "EQUIVALENT", "SLOWER", "VERDICTS", "VERIFIED_FASTER",
    "Cancelled", "Verdict", "verified_fixes", "verify_fix",
]
