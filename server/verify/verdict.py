"""Verdicts: their kinds, the ``Verdict`` with its evidence, and how timings (at test sizes and at
grown sizes) turn into a kind and a sentence."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from hasten.analyzers.source import Source
from hasten.server.verify import stats
from hasten.server.verify.target import Target

VERIFIED_FASTER = "verified-faster"
EQUIVALENT = "equivalent-no-gain"
SLOWER = "slower"
INCONCLUSIVE = "inconclusive"
BEHAVIOUR_CHANGED = "behaviour-changed"
CANNOT_VERIFY = "cannot-verify"
VERDICTS = (VERIFIED_FASTER, EQUIVALENT, SLOWER, INCONCLUSIVE, BEHAVIOUR_CHANGED, CANNOT_VERIFY)

NOISE_FLOOR = 0.05  # below a 5% difference there is no measurable gain
NOISE_FLOOR_TINY = 0.10  # for calls under 10 µs, where loop overhead weighs more
TINY_CALL = 10e-6
NOISE_FLOOR_TESTS = 0.10  # whole tests include setup and assertions: a coarser measure


@dataclass
class Verdict:
    kind: str
    summary: str  # one line of evidence, shown as the message and in titles
    details: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)  # the tests that reach the function
    ratio: float | None = None
    spread: tuple[float, float] | None = None
    timing: str | None = None  # "replay" | "tests" | None
    calls_compared: int = 0
    function: str | None = None
    seconds: float = 0.0
    interval: tuple[float, float] | None = None  # 95% interval of the ratio the verdict rests on
    control: float | None = None  # how far the original against itself strayed from 1.0×
    size: str | None = None  # which input size the verdict is about: "test sizes" or "100× the input"
    scale: list[dict] = field(default_factory=list)  # per grown size: factor, ratio, interval, times
    growth: str | None = None  # measured (and estimated) growth of both versions
    test_ratio: float | None = None  # the ratio at test sizes, whatever size the verdict is about

    @property
    def accepted(self) -> bool:
        return self.kind in (VERIFIED_FASTER, EQUIVALENT)

    def short(self) -> str:
        """Evidence short enough for a code action title."""
        if self.kind == VERIFIED_FASTER and self.ratio:
            at = f" at {self.size}" if self.size and self.size != TEST_SIZES else ""
            return f"verified {_ratio(self.ratio)} faster{at}, {len(self.tests)} test{'s' if len(self.tests) != 1 else ''}"
        if self.kind == EQUIVALENT:
            return f"verified equivalent, no measurable gain, {len(self.tests)} tests"
        return self.kind.replace("-", " ")

    def headline(self) -> str:
        """The verdict as one sentence: for messages and the command line."""
        prefix = {
            VERIFIED_FASTER: "verified", EQUIVALENT: "equivalent", SLOWER: "slower", INCONCLUSIVE: "inconclusive",
            BEHAVIOUR_CHANGED: "not verified", CANNOT_VERIFY: "cannot verify",
        }[self.kind]
        return f"{prefix}: {self.summary}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["headline"] = self.headline()
        data["spread"] = list(self.spread) if self.spread else None
        data["interval"] = list(self.interval) if self.interval else None
        return data


TEST_SIZES = "test sizes"


def _ratio(value: float) -> str:
    return f"{value:.1f}×" if value < 100 else f"{value:.0f}×"


def _pass(n: int) -> str:
    return "passes" if n == 1 else "pass"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- timings to verdicts ------------------------------------------------------------------------

def noise_floor(timing: dict) -> float:
    """The smallest difference worth a verdict, before the machine's own noise is added."""
    if timing.get("method") == "tests":
        return NOISE_FLOOR_TESTS
    return NOISE_FLOOR_TINY if timing["slowest_call_seconds"] < TINY_CALL else NOISE_FLOOR


_OUTCOME_KIND = {stats.FASTER: VERIFIED_FASTER, stats.SLOWER: SLOWER, stats.NOISE: INCONCLUSIVE, stats.SAME: EQUIVALENT, stats.UNDECIDED: EQUIVALENT}


def decide_timing(timing: dict) -> tuple[str, dict]:
    """(verdict, decision) from the paired rounds of replay or test timing: faster (or slower)
    only when the 95% interval of the per-round ratio clears the noise margin (see ``stats``);
    inconclusive when the original against itself strays too far; otherwise no measurable gain."""
    decision = stats.decide(timing["old_rounds"], timing["new_rounds"], timing["control_rounds"], noise_floor(timing))
    return _OUTCOME_KIND[decision["outcome"]], decision


def _scale_outcome(row: dict) -> tuple[str | None, float | None, str]:
    """(kind or None when that size says nothing, ratio, text) for one grown size."""
    size = f"at {row['factor']}× the input"
    if row.get("skipped"):
        if row["skipped"].startswith("does not apply"):
            return None, None, f"{size} the scale check {row['skipped']}"
        return None, None, f"{size} not timed: {row['skipped']}"
    if row.get("ratio_at_least") is not None:
        bound = row["ratio_at_least"]
        if bound >= 2:
            return VERIFIED_FASTER, bound, f"{size} over {_ratio(bound)} faster (the original over {row['old_over']:.0f} s, the rewrite {_secs(row['new_seconds'])})"
        return None, None, f"{size} the original takes over {row['old_over']:.0f} s and the rewrite {_secs(row['new_seconds'])}: not timed further"
    if row.get("new_over") is not None:
        return SLOWER, None, f"{size} the rewrite takes over {row['new_over']:.0f} s, the original {_secs(row['old_seconds'])}"
    if row.get("decision") is None:
        return None, None, f"{size} not timed"
    kind, decision = decide_timing(row)
    ratio = row["ratio"]
    lo, hi = decision["interval"]
    ci = f"95% interval {_ratio(lo)}–{_ratio(hi)}"
    times = f"{_secs(row['old_seconds'])} → {_secs(row['new_seconds'])}"
    if kind == VERIFIED_FASTER:
        return kind, ratio, f"{size} {_ratio(ratio)} faster ({times}; {ci})"
    if kind == SLOWER:
        return kind, ratio, f"{size} {_ratio(1 / ratio)} slower ({times}; {ci})"
    if kind == INCONCLUSIVE:
        return None, ratio, f"{size} inconclusive: the machine is too noisy (control {_ratio(1 + decision['noise'])})"
    if decision["outcome"] == stats.UNDECIDED:
        # The interval straddles the margin: no difference shown, but none ruled out either.
        return None, ratio, f"{size} no measurable difference ({ratio:.2f}×; {times}; undecided)"
    return EQUIVALENT, ratio, f"{size} no measurable difference ({ratio:.2f}×; {times})"


def _finite(value):
    return value if isinstance(value, (int, float)) and value == value and abs(value) != float("inf") else None


def _scale_row(row: dict) -> dict:
    """One grown size as plain, finite JSON data: for the verdict's ``scale``."""
    out = {"factor": row.get("factor")}
    for key in ("growth", "skipped"):
        if row.get(key) is not None:
            out[key] = row[key]
    for key in ("old_seconds", "new_seconds", "ratio", "ratio_at_least", "old_over", "new_over", "rounds"):
        if _finite(row.get(key)) is not None:
            out[key] = row[key]
    decision = row.get("decision")
    if decision:
        out["interval"] = [_finite(x) for x in decision["interval"]]
        out["outcome"] = decision["outcome"]
    return out


def _secs(value: float | None) -> str:
    if value is None:
        return "?"
    if value >= 1:
        return f"{value:.1f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.1f} µs"


def _estimated_growth(text: str, new_text: str, target: Target) -> tuple[str, str] | None:
    """The growth estimate (analyzers.metrics) of the function before and after the rewrite."""
    try:
        from hasten.analyzers.metrics import metrics_for

        old = metrics_for(Source(text)).function_at(target.start)
        new_source = Source(new_text)
        new = next((f for f in metrics_for(new_source).functions if f.qualname.replace(".", "") == target.qualname.replace("<locals>", "").replace(".", "")), None)
        if old is None or new is None:
            return None
        return old.growth.label(), new.growth.label()
    except Exception:  # an estimate is a bonus: never lose a verdict over it
        return None
