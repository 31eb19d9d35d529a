"""The shape every rule shares: documentation as data, metadata, matching, and fixes."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, ClassVar, Iterable

from tree_sitter import Node

from hasten.analyzers.finding import Applicability, Edit, Finding, Fix, Severity
from hasten.analyzers.wrapping import DEFAULT_LINE_LENGTH, fit_fix

if TYPE_CHECKING:
    from hasten.analyzers.config import Config
    from hasten.analyzers.scoring import Scorer
    from hasten.analyzers.source import Source


# Where the generated rule reference (docs/rules.md, written by `hasten rule --all --output-format markdown`) is
# published. Each rule has an anchor there named after its lower-cased code, so
# ``rule_url("HS101")`` is ``RULES_DOC_URL + "#hs101"``. The SARIF ``helpUri``, `hasten rule` and
# the language server's ``codeDescription`` all take the address from ``rule_url``; change the
# base here (and only here) when the documentation moves.
RULES_DOC_URL = "https://github.com/hasten-dev/hasten/blob/main/docs/rules.md"


def rule_url(code: str) -> str:
    """The stable address of a rule's documentation: its anchor in the published docs/rules.md."""
    return f"{RULES_DOC_URL}#{code.strip().lower()}"


class FixAvailability(str, Enum):
    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


class Status(str, Enum):
    STABLE = "stable"
    PREVIEW = "preview"


class Reads(str, Enum):
    """What a rule reads beyond the nodes it visits, their definition and ``ctx.config``'s target
    version. The checkers use it: a rule that reads nothing more is checked definition by
    definition and cached (``analyzers/incremental.py``); the others run on the whole file."""

    CONFIG = "config"  # settings of its own ([tool.hasten.metrics], [tool.hasten.model])
    METRICS = "metrics"  # complexity metrics (``hasten.analyzers.metrics``)
    MODULE = "module"  # other definitions of the file
    FINDINGS = "findings"  # the other rules' findings: runs once per file, after them (``check_file``)
    SCORER = "scorer"  # the model's scores: ``ctx.scorer``, None unless a front end passed one


FAMILIES = {
    "complexity": "Algorithmic complexity",
    "loops": "Repeated work in loops",
    "idioms": "Idioms with measured speedups",
    "data": "Data libraries",
    "metrics": "Complexity metrics",
    "model": "Model findings",
}


class Rule:
    """Base class of all rules. Subclasses set the class attributes and implement ``visit``."""

    code: ClassVar[str]
    name: ClassVar[str]  # the bad pattern, kebab-case
    family: ClassVar[str]  # a key of FAMILIES
    summary: ClassVar[str]  # one line, used as the default message
    what: ClassVar[str]  # what it flags
    why: ClassVar[str]  # why it is slow, with a measured figure and the Python version
    example: ClassVar[str]  # slow code
    use_instead: ClassVar[str]  # the rewrite
    fix_safety: ClassVar[str]  # when the fix is not safe
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NEVER
    # Which type facts (analyzers/syntax/facts.py) the rule relies on to know what a value is.
    facts: ClassVar[str] = ""
    # For a preview rule: what keeps it in preview.
    preview_reason: ClassVar[str] = ""
    status: ClassVar[Status] = Status.STABLE
    aliases: ClassVar[tuple[str, ...]] = ()  # equivalent codes in ruff, perflint, refurb
    severity: ClassVar[Severity] = Severity.WARNING
    node_types: ClassVar[tuple[str, ...]] = ()  # tree-sitter node types ``visit`` is called for
    reads: ClassVar[frozenset[Reads]] = frozenset()  # see ``Reads``

    def visit(self, node: Node, ctx: "Context") -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def check_file(self, ctx: "Context") -> None:
        """Called once per whole-file check, after every visit, for rules that read ``FINDINGS``."""

    @classmethod
    def per_definition(cls) -> bool:
        """Whether its findings depend only on the definition they are in (and may be cached)."""
        return bool(cls.node_types) and "module" not in cls.node_types and not (
            cls.reads & {Reads.MODULE, Reads.FINDINGS, Reads.SCORER}
        )

    @classmethod
    def explanation(cls) -> str:
        """The full documentation in Markdown; feeds `hasten rule`, hover and docs/rules.md."""
        parts = [
            f"# {cls.name} ({cls.code})",
            "",
            f"Fix is {cls.fix_availability.value} available. Status: {cls.status.value}."
            + (f" Aliases: {', '.join(cls.aliases)}." if cls.aliases else ""),
            "",
            "## What it does",
            cls.what.strip(),
            "",
            "## Why is this slow?",
            cls.why.strip(),
            "",
            "## Example",
            "```python",
            cls.example.strip("\n"),
            "```",
            "",
            "## Use instead",
            "```python",
            cls.use_instead.strip("\n"),
            "```",
            "",
            "## Fix safety",
            cls.fix_safety.strip(),
            "",
        ]
        if cls.facts.strip():
            parts += ["## Facts it uses", cls.facts.strip(), ""]
        if cls.status == Status.PREVIEW and cls.preview_reason.strip():
            parts += ["## Why it is in preview", cls.preview_reason.strip(), ""]
        return "\n".join(parts)

    @classmethod
    def to_json(cls) -> dict:
        return {
            "code": cls.code,
            "name": cls.name,
            "family": cls.family,
            "summary": cls.summary,
            "explanation": cls.explanation(),
            "fix": cls.fix_availability.value,
            "status": cls.status.value,
            "aliases": list(cls.aliases),
            "severity": cls.severity.value,
            "url": rule_url(cls.code),
        }


class Context:
    """What a rule sees while visiting: the source, the settings, and a place to report; for rules
    that read them, the model's scorer and the findings made before this check (``earlier``)."""

    def __init__(
        self, source: "Source", config: "Config", scorer: "Scorer | None" = None, earlier: Iterable[Finding] = ()
    ):
        self.source = source
        self.config = config
        self.scorer = scorer
        self.earlier = list(earlier)
        self.findings: list[Finding] = []
        self._current: Rule | None = None

    @property
    def target_version(self) -> tuple[int, int]:
        return self.config.target_version

    def target_version_note(self) -> str:
        """For messages that depend on the target version: which one was assumed, where it came
        from, and how to change it."""
        return target_version_note(self.config)

    def text(self, node: Node) -> str:
        return self.source.node_text(node)

    def report(
        self,
        node: Node | tuple[int, int],
        message: str | None = None,
        fix: Fix | None = None,
        *,
        rule: Rule | None = None,
        extra: dict | None = None,
    ) -> Finding:
        rule = rule or self._current
        assert rule is not None, "report() outside a rule visit"
        if isinstance(node, tuple):
            start, end = node
        else:
            start, end = node.start_byte, node.end_byte
        if fix is not None:
            fix = fit_fix(self.source, fix, self.config.line_length or DEFAULT_LINE_LENGTH)
        finding = Finding(
            code=rule.code,
            name=rule.name,
            message=message or rule.summary,
            start=start,
            end=end,
            severity=rule.severity,
            fix=fix,
            extra=extra or {},
        )
        self.findings.append(finding)
        return finding


def target_version_note(config: "Config") -> str:
    import os

    version = "Python {}.{}".format(*config.target_version)
    origin = config.target_version_origin
    if not origin:
        return (f"assuming {version}, hasten's default; set `target-version` in [tool.hasten] "
                "or pass --target-version to change it")
    if origin.startswith("-") or not origin.endswith(".toml"):
        return f"assuming {version} from {origin}"
    try:
        origin = os.path.relpath(origin)
    except ValueError:
        pass
    return f"assuming {version} from `target-version` in {origin}"


def make_fix(title: str, edits: Iterable[Edit], applicability: Applicability) -> Fix:
    return Fix(title=title, edits=tuple(sorted(edits, key=lambda e: (e.start, e.end))), applicability=applicability)
