"""Findings and the fixes they carry. Positions are byte offsets into the file's UTF-8 text."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Applicability(str, Enum):
    """How far a fix can be trusted."""

    SAFE = "safe"  # same behaviour; applied in bulk and offered as the preferred fix
    UNSAFE = "unsafe"  # may change behaviour or drop comments; applied only when asked
    DISPLAY_ONLY = "display-only"  # shown as a suggestion, never applied automatically


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"

    @classmethod
    def parse(cls, value: str) -> "Severity":
        value = value.strip().lower()
        aliases = {"info": "information", "warn": "warning"}
        return cls(aliases.get(value, value))


@dataclass(frozen=True)
class Edit:
    """Replace bytes ``start:end`` with ``content``."""

    start: int
    end: int
    content: str

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "content": self.content}

    @classmethod
    def from_json(cls, data: dict) -> "Edit":
        return cls(int(data["start"]), int(data["end"]), str(data["content"]))


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "applicability": self.applicability.value,
            "edits": [e.to_json() for e in self.edits],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Fix":
        return cls(
            title=str(data["title"]),
            edits=tuple(Edit.from_json(e) for e in data["edits"]),
            applicability=Applicability(data["applicability"]),
        )


@dataclass
class Finding:
    code: str
    name: str
    message: str
    start: int  # byte offset
    end: int  # byte offset
    severity: Severity = Severity.WARNING
    fix: Fix | None = None
    # Extra facts for front ends (e.g. a model's confidence); must be JSON-serialisable.
    extra: dict = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (self.start, self.end, self.code)

    def to_json(self) -> dict:
        """Byte-offset form, for caches and LSP data (not the CLI's JSON output)."""
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "severity": self.severity.value,
            "fix": self.fix.to_json() if self.fix else None,
            "extra": self.extra,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Finding":
        return cls(
            code=data["code"],
            name=data["name"],
            message=data["message"],
            start=int(data["start"]),
            end=int(data["end"]),
            severity=Severity(data["severity"]),
            fix=Fix.from_json(data["fix"]) if data.get("fix") else None,
            extra=dict(data.get("extra") or {}),
        )
