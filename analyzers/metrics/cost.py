"""The cost algebra: asymptotic classes n^d · (log n)^k or exponential, their labels, and the
names users give them in settings."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import total_ordering

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@total_ordering
@dataclass(frozen=True)
class Cost:
    """An asymptotic cost n^degree · (log n)^logs, or exponential."""

    degree: Fraction = Fraction(0)
    logs: int = 0
    exponential: bool = False

    def __mul__(self, other: Cost) -> Cost:
        if self.exponential or other.exponential:
            return EXPONENTIAL
        return Cost(self.degree + other.degree, self.logs + other.logs)

    def _key(self) -> tuple:
        return (self.exponential, self.degree, self.logs)

    def __lt__(self, other: Cost) -> bool:
        return self._key() < other._key()

    def label(self, ascii: bool = False) -> str:
        """``O(n²)`` (or ``O(n^2)`` with ``ascii``)."""
        if self.exponential:
            return "O(2^n)" if ascii else "O(2ⁿ)"
        parts = []
        if self.degree == Fraction(1, 2):
            parts.append("sqrt(n)" if ascii else "√n")
        elif self.degree == 1:
            parts.append("n")
        elif self.degree:
            if self.degree.denominator == 1:
                power = str(self.degree.numerator)
                parts.append(f"n^{power}" if ascii else "n" + power.translate(_SUPERSCRIPTS))
            else:
                parts.append(f"n^{float(self.degree):g}")
        if self.logs == 1:
            parts.append("log n")
        elif self.logs:
            parts.append(f"log^{self.logs} n" if ascii else f"log{str(self.logs).translate(_SUPERSCRIPTS)} n")
        return f"O({' '.join(parts) or '1'})"


CONSTANT = Cost()
LOG = Cost(Fraction(0), 1)
SQRT = Cost(Fraction(1, 2))
LINEAR = Cost(Fraction(1))
N_LOG_N = Cost(Fraction(1), 1)
QUADRATIC = Cost(Fraction(2))
CUBIC = Cost(Fraction(3))
EXPONENTIAL = Cost(exponential=True)

# The classes users name in settings ([tool.hasten.metrics] growth-min, metrics.growthMin).
CLASSES: dict[str, Cost] = {
    "O(1)": CONSTANT,
    "O(log n)": LOG,
    "O(sqrt(n))": SQRT,
    "O(n)": LINEAR,
    "O(n log n)": N_LOG_N,
    "O(n^2)": QUADRATIC,
    "O(n^3)": CUBIC,
    "O(2^n)": EXPONENTIAL,
}


def parse_growth(text: str) -> Cost | None:
    """``"O(n^2)"``, ``"O(n²)"``, ``"n^2"``, ``"O(n log n)"`` → Cost; None if not a class."""
    if not isinstance(text, str):
        return None
    norm = (
        text.strip().replace("²", "^2").replace("³", "^3").replace("ⁿ", "^n").replace("√n", "sqrt(n)")
        .replace(" ", "").replace("**", "^")
    )
    if not norm.upper().startswith("O("):
        norm = f"O({norm})"
    norm = "O(" + norm[2:]
    for name, cost in CLASSES.items():
        if name.replace(" ", "") == norm:
            return cost
    return None

