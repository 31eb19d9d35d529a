"""The problem and variant records, the input makers they share, and the registry (``P``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable



@dataclass(frozen=True)
class Variant:
    body: str
    kind: str | None = None
    helpers: str = ""


@dataclass(frozen=True)
class Problem:
    name: str
    params: tuple[tuple[str, str], ...]  # (name, type): int, ints, str, words
    make: Callable[[random.Random, int], tuple]
    sizes: tuple[int, int]
    variants: tuple[Variant, ...]
    script: bool = True  # may also be rendered as a module-level script
    tags: tuple[str, ...] = field(default_factory=tuple)


def _ints(rng, n, hi=None):
    hi = hi or max(4, n)
    return [rng.randrange(hi) for _ in range(n)]


def _word(rng, k=5):
    return "".join(rng.choice("abcdefghij") for _ in range(k))


P: list[Problem] = []


def problem(name, params, make, sizes, *variants, script=True):
    P.append(Problem(name, tuple(params), make, sizes, tuple(variants), script))
