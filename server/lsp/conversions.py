"""Findings <-> LSP: ranges, diagnostics, the fix payload in ``Diagnostic.data``, and the one way
back from a diagnostic to the finding behind it.

``Diagnostic.data`` is ``DiagnosticData.to_json()``::

    {"code", "name", "uri", "version", "revision",
     "fix": {"title", "applicability", "edits": [{"range", "newText"}]} | None, "extra"?}

The edits are LSP ranges against ``version`` (in the session's position encoding), so a quick fix
needs no second analysis; clients send the object back as the argument of ``hasten.verifyFix``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from hasten.analyzers.finding import Applicability, Finding, Severity
from hasten.analyzers.registry import rule_url
from hasten.analyzers.source import Source
from hasten.server.lsp.documents import Snapshot

SOURCE = "hasten"

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def lsp_range(source: Source, start: int, end: int, encoding: str) -> types.Range:
    a, b = source.byte_to_lsp(start, encoding), source.byte_to_lsp(end, encoding)
    return types.Range(start=types.Position(line=a.line, character=a.character), end=types.Position(line=b.line, character=b.character))


def _range_json(r: types.Range) -> dict:
    return {"start": {"line": r.start.line, "character": r.start.character}, "end": {"line": r.end.line, "character": r.end.character}}


def _range_of(value: dict) -> types.Range:
    s, e = value["start"], value["end"]
    return types.Range(
        start=types.Position(line=int(s["line"]), character=int(s["character"])),
        end=types.Position(line=int(e["line"]), character=int(e["character"])),
    )


def _key(r: types.Range) -> tuple[int, int, int, int]:
    return (r.start.line, r.start.character, r.end.line, r.end.character)


@dataclass(frozen=True)
class FixData:
    """A finding's fix as LSP edits against the text the diagnostic was made for."""

    title: str
    applicability: Applicability
    edits: tuple[types.TextEdit, ...]

    @classmethod
    def of(cls, finding: Finding, source: Source, encoding: str) -> "FixData | None":
        fix = finding.fix
        if fix is None:
            return None
        edits = tuple(types.TextEdit(range=lsp_range(source, e.start, e.end, encoding), new_text=e.content) for e in fix.edits)
        return cls(fix.title, fix.applicability, edits)

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "applicability": self.applicability.value,
            "edits": [{"range": _range_json(e.range), "newText": e.new_text} for e in self.edits],
        }

    @classmethod
    def from_json(cls, raw: Any) -> "FixData | None":
        """None for anything that is not a well-formed fix (a client may send us anything)."""
        if not isinstance(raw, dict):
            return None
        try:
            edits = tuple(types.TextEdit(range=_range_of(e["range"]), new_text=str(e.get("newText", ""))) for e in raw.get("edits") or ())
            return cls(str(raw.get("title") or ""), Applicability(raw.get("applicability", Applicability.UNSAFE.value)), edits)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


@dataclass(frozen=True)
class DiagnosticData:
    """What travels in ``Diagnostic.data``."""

    code: str
    name: str = ""
    uri: str | None = None
    version: int | None = None
    revision: int | None = None
    fix: FixData | None = None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "uri": self.uri,
            "version": self.version,
            "revision": self.revision,
            "fix": self.fix.to_json() if self.fix else None,
        }
        if self.extra:
            data["extra"] = self.extra
        return data

    @classmethod
    def from_json(cls, raw: Any) -> "DiagnosticData | None":
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
            return None
        return cls(
            code=raw["code"],
            name=str(raw.get("name") or ""),
            uri=raw.get("uri") if isinstance(raw.get("uri"), str) else None,
            version=raw.get("version") if isinstance(raw.get("version"), int) else None,
            revision=raw.get("revision") if isinstance(raw.get("revision"), int) else None,
            fix=FixData.from_json(raw.get("fix")),
            extra=dict(raw.get("extra") or {}) if isinstance(raw.get("extra"), dict) else {},
        )


def to_diagnostic(finding: Finding, snap: Snapshot, uri: str, encoding: str) -> types.Diagnostic:
    source = snap.source
    data = DiagnosticData(
        finding.code, finding.name, uri, snap.version, snap.revision, FixData.of(finding, source, encoding), finding.extra
    )
    return types.Diagnostic(
        range=lsp_range(source, finding.start, finding.end, encoding),
        message=finding.message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code)),
        source=SOURCE,
        data=data.to_json(),
    )


def finding_for(
    snap: Snapshot, encoding: str, *, diagnostic: types.Diagnostic | None = None, data: DiagnosticData | None = None
) -> Finding | None:
    """The finding of ``snap`` behind a diagnostic, or behind its data alone (the argument of
    ``hasten.verifyFix``, which carries no range).

    With the diagnostic: the finding with its code and range. With the data alone: the finding
    with its code and fix title; when the data was made for ``snap``'s text, the one with exactly
    its edits, else the one whose first edit is nearest the data's.
    """
    if diagnostic is not None:
        code = str(diagnostic.code)
        wanted = _key(diagnostic.range)
        source = snap.source
        return next(
            (f for f in snap.findings if f.code == code and _key(lsp_range(source, f.start, f.end, encoding)) == wanted),
            None,
        )
    if data is None:
        return None
    title = data.fix.title if data.fix and data.fix.title else None
    candidates = [f for f in snap.findings if f.code == data.code and f.fix is not None and (title is None or f.fix.title == title)]
    if not candidates:
        return None
    edits = data.fix.edits if data.fix else ()
    source = snap.source

    def offset(position: types.Position) -> int:
        return source.lsp_to_byte(position.line, position.character, encoding)

    if data.revision == snap.revision and edits:
        # Same text as when the diagnostic was made: match the edits exactly.
        exact = {(offset(e.range.start), offset(e.range.end), e.new_text) for e in edits}
        return next((f for f in candidates if {(e.start, e.end, e.content) for e in f.fix.edits} == exact), None)
    if edits:
        anchor = offset(edits[0].range.start)
        candidates.sort(key=lambda f: abs(f.fix.edits[0].start - anchor))
    return candidates[0]


def workspace_edit(uri: str, version: int | None, edits: list[types.TextEdit], document_changes: bool) -> types.WorkspaceEdit:
    """Versioned document changes when the client supports them, plain changes otherwise."""
    if document_changes:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)])
    return types.WorkspaceEdit(changes={uri: edits})
