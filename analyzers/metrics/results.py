"""The results of the metrics: per function, per file, and the growth estimate with the lines
that justify it. Plain data with JSON forms; presentation (hover, lenses) belongs to the server."""

from __future__ import annotations

from dataclasses import dataclass, field

from hasten.analyzers.metrics.cost import CONSTANT, Cost

@dataclass(frozen=True)
class Reason:
    """One line that justifies a growth estimate."""

    line: int  # 1-based
    text: str
    start: int  # byte offsets of the construct
    end: int

    def to_json(self) -> dict:
        return {"line": self.line, "text": self.text}


@dataclass
class Growth:
    cost: Cost | None  # None: unknown
    reasons: list[Reason] = field(default_factory=list)
    # When unknown: the growth of the parts we could read, a lower bound.
    at_least: Cost | None = None
    unknown_because: list[Reason] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.cost is not None

    def label(self, ascii: bool = False) -> str:
        return self.cost.label(ascii) if self.cost is not None else "unknown"

    def explanation(self) -> str:
        """The justification as plain text, one line per reason."""
        lines = []
        if self.cost is None:
            lines.append("Growth unknown (n: the size of the inputs).")
            for r in self.unknown_because:
                lines.append(f"  line {r.line}: {r.text}")
            if self.at_least is not None and self.at_least > CONSTANT:
                lines.append(f"The parts that can be read grow as at least {self.at_least.label()}:")
        else:
            lines.append(f"Growth {self.cost.label()} (n: the size of the inputs).")
        for r in self.reasons:
            lines.append(f"  line {r.line}: {r.text}")
        if self.cost is not None and not self.reasons:
            lines.append("  no loops, recursion or costly operations on collections")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "class": self.label(ascii=True),
            "label": self.label(),
            "known": self.known,
            "at_least": self.at_least.label(ascii=True) if self.at_least is not None else None,
            "reasons": [r.to_json() for r in self.reasons],
            "unknown_because": [r.to_json() for r in self.unknown_because],
        }


@dataclass
class Halstead:
    volume: float
    difficulty: float
    effort: float
    vocabulary: int
    length: int

    def to_json(self) -> dict:
        return {
            "volume": round(self.volume, 2),
            "difficulty": round(self.difficulty, 2),
            "effort": round(self.effort, 2),
            "vocabulary": self.vocabulary,
            "length": self.length,
        }


@dataclass
class Loc:
    loc: int  # all lines
    sloc: int  # source lines
    lloc: int | None  # logical lines (radon); None without radon
    comments: int
    blank: int
    multi: int = 0  # lines of multi-line strings (docstrings)

    def to_json(self) -> dict:
        return {"loc": self.loc, "sloc": self.sloc, "lloc": self.lloc, "comments": self.comments, "blank": self.blank, "multi": self.multi}


@dataclass
class FunctionMetrics:
    name: str
    qualname: str  # Class.method, outer.<locals>.inner (hasten.analyzers.qualname)
    line: int  # 1-based line of ``def``
    end_line: int
    start: int  # byte range of the definition (decorators excluded)
    end: int
    name_start: int  # byte range of the name
    name_end: int
    complexity: int
    rank: str
    complexity_source: str  # "radon" or "tree-sitter"
    halstead: Halstead | None
    loc: Loc
    growth: Growth
    is_method: bool = False
    maintainability: float | None = None  # radon's MI formula over this function alone

    def to_json(self) -> dict:
        return {
            "function": self.qualname,
            "name": self.name,
            "line": self.line,
            "end_line": self.end_line,
            "complexity": self.complexity,
            "rank": self.rank,
            "complexity_source": self.complexity_source,
            "growth": self.growth.label(ascii=True),
            "maintainability": round(self.maintainability, 2) if self.maintainability is not None else None,
            "growth_detail": self.growth.to_json(),
            "halstead": self.halstead.to_json() if self.halstead else None,
            "loc": self.loc.to_json(),
        }


@dataclass
class FileMetrics:
    path: str | None
    functions: list[FunctionMetrics]
    maintainability: float | None  # radon's MI, 0–100; None when radon cannot parse the file
    maintainability_rank: str | None
    notes: list[str] = field(default_factory=list)

    def function_at(self, offset: int) -> FunctionMetrics | None:
        """The innermost function whose name or ``def`` line holds the byte ``offset``."""
        best = None
        for fn in self.functions:
            if fn.name_start <= offset <= fn.name_end:
                return fn
            if fn.start <= offset <= fn.end and (best is None or fn.start >= best.start):
                best = fn
        return best

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "maintainability": round(self.maintainability, 2) if self.maintainability is not None else None,
            "maintainability_rank": self.maintainability_rank,
            "notes": list(self.notes),
            "functions": [f.to_json() for f in self.functions],
        }


def cc_rank(complexity: int) -> str:
    """Radon's rank: A 1–5, B 6–10, C 11–20, D 21–30, E 31–40, F 41+."""
    for limit, letter in ((5, "A"), (10, "B"), (20, "C"), (30, "D"), (40, "E")):
        if complexity <= limit:
            return letter
    return "F"


def mi_rank(score: float) -> str:
    """Radon's rank of the maintainability index: A > 19, B 10–19, C ≤ 9."""
    if score > 19:
        return "A"
    if score > 9:
        return "B"
    return "C"
