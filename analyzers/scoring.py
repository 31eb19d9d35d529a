"""What the checker needs from a model: a scorer a front end may hand it.

The analysis core never loads or runs a model itself. A front end that wants the model's findings
(HS900) passes a ``Scorer`` to ``check``: the CLI a loaded one, the language server the current one
once it has loaded, fixing none. ``hasten.model.runtime.Scorer`` is the implementation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Sequence

if TYPE_CHECKING:
    from hasten.analyzers.source import Source


class UnitScore(Protocol):
    """The model's verdict on one function (or the module-level code)."""

    qualname: str
    score: float  # 0..1, how likely the unit holds a fixable inefficiency
    categories: Sequence[tuple[str, float]]  # (family, probability), most likely first
    top_lines: Sequence[int]  # 1-based, the lines that drove the score, most salient first
    kind: str  # "function" or "module"


class Scorer(Protocol):
    def score_source(self, source: "Source") -> Sequence[UnitScore]:
        """Scores for the units of ``source``; may raise (the checker then notes it and goes on)."""
        ...
