"""Verification of fixes against the project's own tests: isolated runs, replayed calls, timing.

``verify_fix(path, fix)`` returns a ``Verdict``; ``verified_fixes`` verifies a file's findings.
Nothing here imports LSP code; the language server's handler and the CLI both call in.
"""

from hasten.server.verify.core import verify_fix
from hasten.server.verify.verdict import (
    BEHAVIOUR_CHANGED,
    CANNOT_VERIFY,
    EQUIVALENT,
    SLOWER,
    VERDICTS,
    VERIFIED_FASTER,
    Verdict,
)
from hasten.server.verify.process import Cancelled
from hasten.server.verify.batch import verified_fixes

__all__ = [
    "BEHAVIOUR_CHANGED", "CANNOT_VERIFY", "EQUIVALENT", "SLOWER", "VERDICTS", "VERIFIED_FASTER",
    "Cancelled", "Verdict", "verified_fixes", "verify_fix",
]
