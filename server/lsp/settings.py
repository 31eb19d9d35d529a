"""Editor settings: one typed object with defaults; bad values are reported and replaced.

Editors send settings as a JSON object (``initializationOptions`` and ``workspace/configuration``
for the section ``hasten``). Keys are camelCase, as VS Code settings are; nested groups mirror the
``[tool.hasten.*]`` tables of pyproject.toml. ``DEFAULTS`` is the single source of truth for the
defaults: the VS Code extension's package.json is checked against it by a test.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any

from hasten.analyzers.config import Overrides
from hasten.analyzers.finding import Severity

# The flattened names ("model.enable") are the VS Code setting names without the "hasten." prefix.
DEFAULTS: dict[str, Any] = {
    "enable": True,
    "select": [],
    "ignore": [],
    "preview": False,
    "severity": {},
    "logLevel": "info",
    "debounce": 0,
    "hotOnly": False,
    "hotThreshold": 0.01,
    "model.enable": True,
    "model.threshold": 0.8,
    "model.severity": "information",
    "metrics.codeLens": True,
    "metrics.complexityMax": 15,
    "metrics.growthMin": "off",
    "verify.enable": True,
    "verify.onSave": False,
    "verify.timeout": 120,
    "verify.testCommand": "pytest",
}

# Settings the editor extension reads itself; the server accepts and ignores them.
CLIENT_ONLY = frozenset({"interpreter", "path", "trace.server"})

LOG_LEVELS = ("error", "warning", "info", "debug")
GROWTH_CLASSES = ("off", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(2^n)")


def flatten(raw: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten nested settings objects into dotted keys; ``severity`` stays a mapping."""
    out: dict[str, Any] = {}
    if not isinstance(raw, dict):
        return out
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in ("severity",):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _check(key: str, value: Any) -> str | None:
    """Return an error text when ``value`` is not acceptable for ``key``."""
    default = DEFAULTS[key]
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "expected true or false"
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "expected a number"
        if value < 0:
            return "expected a number of at least 0"
        if key in ("model.threshold", "hotThreshold") and not 0 <= value <= 1:
            return "expected a number between 0 and 1"
        return None
    if isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "expected a list of rule codes"
        return None
    if isinstance(default, dict):
        if not isinstance(value, dict):
            return "expected an object mapping rule codes to severities"
        for code, sev in value.items():
            try:
                Severity.parse(str(sev))
            except ValueError:
                return f"unknown severity {sev!r} for {code}; use error, warning, information or hint"
        return None
    if not isinstance(value, str):
        return "expected a string"
    if key == "logLevel" and value not in LOG_LEVELS:
        return f"expected one of {', '.join(LOG_LEVELS)}"
    if key == "model.severity":
        try:
            Severity.parse(value)
        except ValueError:
            return "expected error, warning, information or hint"
    if key == "metrics.growthMin" and value not in GROWTH_CLASSES:
        return f"expected one of {', '.join(GROWTH_CLASSES)}"
    return None


@dataclass(frozen=True)
class ModelSettings:
    enable: bool = True
    threshold: float = 0.8
    severity: str = "information"


@dataclass(frozen=True)
class MetricsSettings:
    code_lens: bool = True
    complexity_max: int = 15
    growth_min: str = "off"


@dataclass(frozen=True)
class VerifySettings:
    enable: bool = True
    on_save: bool = False
    timeout: float = 120
    test_command: str = "pytest"


# Setting name -> (group, attribute) in ``Settings``; the group is None for top-level settings.
FIELDS: dict[str, tuple[str | None, str]] = {
    "enable": (None, "enable"),
    "select": (None, "select"),
    "ignore": (None, "ignore"),
    "preview": (None, "preview"),
    "severity": (None, "severity"),
    "logLevel": (None, "log_level"),
    "debounce": (None, "debounce"),
    "hotOnly": (None, "hot_only"),
    "hotThreshold": (None, "hot_threshold"),
    "model.enable": ("model", "enable"),
    "model.threshold": ("model", "threshold"),
    "model.severity": ("model", "severity"),
    "metrics.codeLens": ("metrics", "code_lens"),
    "metrics.complexityMax": ("metrics", "complexity_max"),
    "metrics.growthMin": ("metrics", "growth_min"),
    "verify.enable": ("verify", "enable"),
    "verify.onSave": ("verify", "on_save"),
    "verify.timeout": ("verify", "timeout"),
    "verify.testCommand": ("verify", "test_command"),
}


@dataclass(frozen=True)
class Settings:
    """The editor's settings, typed, with the defaults of ``DEFAULTS``; ``problems`` lists the
    values that were reported and replaced by their default."""

    enable: bool = True
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    preview: bool = False
    severity: tuple[tuple[str, str], ...] = ()  # (rule code, severity name)
    log_level: str = "info"
    debounce: float = 0  # milliseconds; 0: analyse at once (a newer edit cancels the analysis in flight)
    hot_only: bool = False  # only findings in code above hot_threshold of the stored profile's run
    hot_threshold: float = 0.01  # a share of the profiled run (hasten.server.profile.DEFAULT_HOT)
    model: ModelSettings = ModelSettings()
    metrics: MetricsSettings = MetricsSettings()
    verify: VerifySettings = VerifySettings()
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_raw(cls, *layers: Any) -> "Settings":
        """Merge settings objects in order (later wins); report and replace bad values."""
        values = copy.deepcopy(DEFAULTS)
        problems: list[str] = []
        for layer in layers:
            for key, value in flatten(layer).items():
                if key in CLIENT_ONLY:
                    continue
                if key not in DEFAULTS:
                    problems.append(f"hasten: unknown setting 'hasten.{key}' ignored")
                    continue
                error = _check(key, value)
                if error:
                    problems.append(
                        f"hasten: invalid value {value!r} for 'hasten.{key}': {error}; "
                        f"using the default {DEFAULTS[key]!r}"
                    )
                    continue
                values[key] = value
        top: dict[str, Any] = {"problems": tuple(problems)}
        groups: dict[str, dict[str, Any]] = {"model": {}, "metrics": {}, "verify": {}}
        for key, value in values.items():
            group, name = FIELDS[key]
            if isinstance(value, list):
                value = tuple(value)
            elif isinstance(value, dict):
                value = tuple((str(k), str(v)) for k, v in value.items())
            (groups[group] if group else top)[name] = value
        return cls(
            model=ModelSettings(**groups["model"]),
            metrics=MetricsSettings(**groups["metrics"]),
            verify=VerifySettings(**groups["verify"]),
            **top,
        )

    def flat(self) -> dict[str, Any]:
        """The settings by their flattened names, as JSON values (the shape of ``DEFAULTS``)."""
        out: dict[str, Any] = {}
        for key, (group, name) in FIELDS.items():
            value = getattr(getattr(self, group) if group else self, name)
            if key == "severity":
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[key] = value
        return out

    def overrides(self) -> Overrides:
        """What the editor sets over a project's ``[tool.hasten]``: a non-empty ``select`` or
        ``ignore`` (replacing the project's), ``preview = true``, severities, and each model,
        metrics and verify setting that differs from its default."""
        default = Settings()
        changed = {
            group: tuple(
                (f.name, getattr(getattr(self, group), f.name))
                for f in fields(getattr(self, group))
                if getattr(getattr(self, group), f.name) != getattr(getattr(default, group), f.name)
            )
            for group in ("model", "metrics", "verify")
        }
        model = tuple(
            (name, Severity.parse(value) if name == "severity" else float(value) if name == "threshold" else value)
            for name, value in changed["model"]
        )
        metrics = tuple(
            (name, None if name == "growth_min" and value == "off" else int(value) if name == "complexity_max" else value)
            for name, value in changed["metrics"]
        )
        return Overrides(
            select=_codes(self.select) if self.select else None,
            ignore=_codes(self.ignore) if self.ignore else None,
            preview=self.preview,
            severity=tuple((code.strip().upper(), Severity.parse(str(value))) for code, value in self.severity),
            model=model,
            metrics=metrics,
            verify=changed["verify"],
        )


def _codes(values) -> tuple[str, ...]:
    return tuple(v.strip().upper() for v in values if v.strip())
