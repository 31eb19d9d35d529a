"""Small problems, each solved several ways, written for hasten's training set.

Every variant of a problem computes the same answer; some pay a known extra cost, some do not.
A variant's ``kind`` names the cost its author put in (``None`` when there is none) and ``#@``
marks the line that drives it. **Neither is a training label for speed**: `measure.py` runs every
variant on growing inputs and the ranking labels come from the measured times. The kind and the
marked line only explain a variant once measurement has shown it to be slow.

A body uses the problem's parameters and ends with one ``return EXPR`` (no other return), so it
can be rendered both as a function and as a module-level script that reads its input from stdin.
``helpers`` are module-level functions the body calls.
"""

from __future__ import annotations

# Each module registers its problems when imported, in this order (the order seeds the data set).
from hasten.model.train.problems import search  # noqa: F401, I001
from hasten.model.train.problems import text  # noqa: F401
from hasten.model.train.problems import recursion  # noqa: F401
from hasten.model.train.problems import numbers  # noqa: F401
from hasten.model.train.problems.base import P, Problem, Variant

__all__ = ["Problem", "Variant", "by_name", "problems"]


def problems() -> list[Problem]:
    return list(P)


def by_name() -> dict[str, Problem]:
    return {p.name: p for p in P}
