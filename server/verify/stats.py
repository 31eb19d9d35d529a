"""Verdicts from paired timing rounds: a confidence interval that must clear the machine's noise.

Every round times the original, the rewrite and the original again (the *control*), in rotating
order. Per round, ``old / new`` is one paired sample of the speedup and ``old / control`` one
sample of what "no change at all" looks like on this machine right now. The interval for the
median of each comes from order statistics (the sign test inverted): it assumes nothing about the
shape of the noise, which on a loaded machine is anything but normal, and it is the same for the
same samples (no resampling).

A speedup is claimed only when the whole interval lies beyond the noise margin: the larger of a
fixed floor and how far the control's own interval reaches from 1.0. When the control reaches
past ``NOISY`` and the interval does not clear it, the machine is too noisy to say anything, and
the verdict says exactly that instead of a ratio.

Standalone on purpose (standard library only): the replay script, which runs under the project's
interpreter without hasten, loads a copy of this file to decide when it has run enough rounds.
"""

from __future__ import annotations

import math

CONFIDENCE = 0.95
NOISY = 0.25  # the original against itself beyond 1.25× (or below 1/1.25): timing means nothing

FASTER = "faster"
SLOWER = "slower"
SAME = "same"
NOISE = "too-noisy"
UNDECIDED = "undecided"  # the interval straddles the margin: more rounds may settle it


def _binomial_cdf(k: int, n: int) -> float:
    """P(B <= k) for B ~ Binomial(n, 1/2)."""
    if k < 0:
        return 0.0
    return sum(math.comb(n, i) for i in range(min(k, n) + 1)) / 2 ** n


def median_interval(values: list[float], confidence: float = CONFIDENCE) -> tuple[float, float]:
    """A distribution-free interval for the median: [x_(k), x_(n-k+1)] with the largest k whose
    coverage 1 - 2·P(B <= k-1) is at least ``confidence``. Below six values no k reaches 95%; the
    interval is then the full range (about 94% for five values, less for fewer)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise ValueError("no values")
    k = 1
    while k + 1 <= (n + 1) // 2 and 1 - 2 * _binomial_cdf(k, n) >= confidence:
        k += 1
    return ordered[k - 1], ordered[n - k]


def rounds_for_confidence(confidence: float = CONFIDENCE) -> int:
    """The fewest rounds whose full range covers the median with ``confidence``."""
    n = 1
    while 1 - 2 * _binomial_cdf(0, n) < confidence:
        n += 1
    return n


def _log_ratios(a: list[float], b: list[float]) -> list[float]:
    return [math.log(x / y) for x, y in zip(a, b) if x > 0 and y > 0]


def decide(old: list[float], new: list[float], control: list[float], floor: float) -> dict:
    """The verdict of paired rounds (per-round times of the original, the rewrite, the control).

    Returns {"outcome", "interval": (lo, hi) of old/new, "control": (lo, hi) of old/control,
    "median", "noise", "margin", "rounds"}. ``outcome`` is FASTER or SLOWER when the interval
    clears the margin, NOISE when the control is beyond NOISY and the interval does not clear it,
    UNDECIDED when the interval straddles the margin (more rounds can help), SAME otherwise.
    """
    d = _log_ratios(old, new)
    if not d:
        return {"outcome": SAME, "interval": (1.0, 1.0), "control": (1.0, 1.0), "median": 1.0, "noise": 0.0, "margin": floor, "rounds": 0}
    lo, hi = (math.exp(x) for x in median_interval(d))
    ordered = sorted(d)
    mid = len(ordered) // 2
    median = math.exp(ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2)
    e = _log_ratios(old, control)
    c_lo, c_hi = (math.exp(x) for x in median_interval(e)) if e else (1.0, 1.0)
    noise = max(c_hi, 1 / c_lo) - 1
    margin = max(floor, noise)
    if lo > 1 + margin:
        outcome = FASTER
    elif hi < 1 / (1 + margin):
        outcome = SLOWER
    elif noise > NOISY:
        outcome = NOISE
    elif lo < 1 + margin < hi or lo < 1 / (1 + margin) < hi:
        outcome = UNDECIDED
    else:
        outcome = SAME
    return {"outcome": outcome, "interval": (lo, hi), "control": (c_lo, c_hi), "median": median, "noise": noise, "margin": margin, "rounds": len(d)}


def growth_exponent(sizes: list[float], seconds: list[float]) -> float | None:
    """The least-squares slope of log(time) against log(size): time grows as size^slope."""
    points = [(math.log(s), math.log(t)) for s, t in zip(sizes, seconds) if s > 0 and t and t > 0]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def growth_label(exponent: float | None) -> str:
    """A measured exponent on the ladder the growth estimate uses (a fit over three sizes cannot
    tell a log factor apart)."""
    if exponent is None:
        return "unknown"
    if exponent < 0.5:
        return "O(1)"
    if exponent < 1.5:
        return "O(n)"
    if exponent < 2.5:
        return "O(n²)"
    if exponent < 3.5:
        return "O(n³)"
    return f"O(n^{exponent:.0f})"
