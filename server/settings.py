"""Editor settings: one typed object with defaults; bad values are reported and replaced.

Editors send settings as a JSON object (``initializationOptions`` and ``workspace/configuration``
for the section ``hasten``). Keys are camelCase, as VS Code settings are; nested groups mirror the
``[tool.hasten.*]`` tables of pyproject.toml. ``DEFAULTS`` is the single source of truth for the
defaults: the VS Code extension's package.json is checked against it by a test.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from hasten.analyzers.finding import Severity

# The flattened names ("model.enable") are the VS Code setting names without the "hasten." prefix.
DEFAULTS: dict[str, Any] = {
    "enable": True,
    "select": [],
    "ignore": [],
    "preview": False,
    "severity": {},
    "logLevel": "info",
    "debounce": 150,
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
        if key == "model.threshold" and not 0 <= value <= 1:
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


@dataclass
class EditorSettings:
    values: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    problems: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @classmethod
    def from_raw(cls, *layers: Any) -> "EditorSettings":
        """Merge settings objects in order (later wins); report and replace bad values."""
        settings = cls()
        for layer in layers:
            for key, value in flatten(layer).items():
                if key in CLIENT_ONLY:
                    continue
                if key not in DEFAULTS:
                    settings.problems.append(f"hasten: unknown setting 'hasten.{key}' ignored")
                    continue
                error = _check(key, value)
                if error:
                    settings.problems.append(
                        f"hasten: invalid value {value!r} for 'hasten.{key}': {error}; "
                        f"using the default {DEFAULTS[key]!r}"
                    )
                    continue
                settings.values[key] = value
        return settings
