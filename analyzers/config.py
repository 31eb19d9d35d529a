"""Project configuration from ``[tool.hasten]`` in the nearest pyproject.toml above a file.

Unknown keys and bad values never stop a run: each gives a message naming the file and the key,
and the default is used instead.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
import os
import re
import shlex
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from hasten.analyzers.finding import Severity

DEFAULT_TARGET = (3, 10)
DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", "node_modules", "__pycache__",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hasten_cache", "build", "dist",
    "site-packages", ".eggs",
)

GROWTH_ORDER = ("O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(2^n)")


@dataclass(frozen=True)
class MetricsConfig:
    complexity_max: int = 15
    growth_min: str | None = None  # a class from GROWTH_ORDER, or None for off
    code_lens: bool = True


@dataclass(frozen=True)
class VerifyConfig:
    enable: bool = True
    on_save: bool = False
    timeout: float = 120.0
    test_command: str = "pytest"
    interpreter: str | None = None
    memory_mb: int = 2048
    rounds: int = 9


@dataclass(frozen=True)
class ModelConfig:
    enable: bool = True
    threshold: float = 0.8
    severity: Severity = Severity.INFORMATION


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None  # None: every stable rule
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    preview: bool = False
    # With a stored profile, preview rules' findings the profile proves costly are reported too.
    profile_promote: bool = True
    target_version: tuple[int, int] = DEFAULT_TARGET
    target_version_origin: str = ""  # the settings file or option it came from; "" for the default
    severity: tuple[tuple[str, Severity], ...] = ()
    exclude: tuple[str, ...] = ()
    metrics: MetricsConfig = MetricsConfig()
    verify: VerifyConfig = VerifyConfig()
    model: ModelConfig = ModelConfig()
    root: str | None = None  # directory of the pyproject.toml that was read
    # Where each setting that differs from its default came from ("verify.test-command" ->
    # the pyproject.toml's path, or an Overrides.origin); read it with ``setting_origins``.
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    # The project's line length (``line-length`` of [tool.ruff], ruff.toml or [tool.black]):
    # fixes wrap or give up rather than write longer lines. None: black's and ruff's default, 88.
    line_length: int | None = None

    def severity_for(self, code: str) -> Severity | None:
        for key, sev in self.severity:
            if key == code:
                return sev
        return None

    def ignores_for(self, path: str | None) -> tuple[str, ...]:
        if not path or not self.per_file_ignores:
            return ()
        rel = path
        if self.root:
            try:
                rel = os.path.relpath(path, self.root)
            except ValueError:
                pass
        rel = rel.replace(os.sep, "/")
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(os.path.basename(rel), pattern):
                out.extend(codes)
        return tuple(out)

    def with_overrides(self, **changes: Any) -> "Config":
        return replace(self, **changes)


@dataclass
class ConfigMessage:
    path: str
    key: str
    message: str

    def __str__(self) -> str:
        if not self.key:  # about the whole file
            return f"{self.path}: {self.message}"
        return f"{self.path}: [tool.hasten] {self.key}: {self.message}"


_CODE_RE = re.compile(r"^[A-Z]+[0-9]*$")

# Settings that make hasten run the project's code by themselves, with no request from the user:
# a repository's own pyproject.toml cannot turn them on (a cloned repository would run its tests,
# conftest.py and .venv/bin/python on every save). They count only from the editor's settings or
# the command line; in a project file they are ignored with a notice saying where to set them.
USER_ONLY_KEYS = frozenset({"verify.on-save"})
USER_SETTING_NAMES = {"verify.on-save": "hasten.verify.onSave in the editor's settings"}

# Settings that choose *what* runs when the user asks for verification (the CLI's `hasten verify`
# and `check --verified-only`, the editor's verify command). A project may set them: the request
# already runs the project's tests, whose conftest.py can do anything these can. Front ends
# show the command and where it came from (``setting_origins``) before running it.
SHOWN_BEFORE_RUNNING_KEYS = frozenset({"verify.test-command", "verify.interpreter"})

KNOWN_KEYS = {
    "select", "extend-select", "ignore", "per-file-ignores", "preview", "profile-promote", "target-version",
    "severity", "exclude", "metrics", "verify", "model",
}
METRICS_KEYS = {"complexity-max", "growth-min", "code-lens"}
VERIFY_KEYS = {"enable", "on-save", "timeout", "test-command", "interpreter", "memory-mb", "rounds"}
MODEL_KEYS = {"enable", "threshold", "severity"}


def _unknown(messages: list[ConfigMessage], path: str, key: str, known: set[str]) -> None:
    close = difflib.get_close_matches(key.split(".")[-1], sorted(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    messages.append(ConfigMessage(path, key, f"unknown key{hint}; ignored"))


def parse_target_version(value: Any) -> tuple[int, int] | None:
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(?:py)?3\.?(\d{1,2})", value.strip().lower())
    if not match:
        return None
    minor = int(match.group(1))
    if not 7 <= minor <= 15:
        return None
    return (3, minor)


def _codes(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and _CODE_RE.match(v.strip().upper()) for v in value):
        return None
    return tuple(v.strip().upper() for v in value)


def is_known_selector(selector: str) -> bool:
    """Whether ``selector`` selects at least one rule: ``ALL``, a rule code, an alias (a ruff,
    perflint or refurb code) or a prefix of either (``PERF``)."""
    from hasten.analyzers.registry import known_selector

    return known_selector(selector)


def _known_only(codes: tuple[str, ...], key: str, path: str, messages: list[ConfigMessage]) -> tuple[str, ...]:
    """``codes`` without unknown selectors, each reported (as the command line reports them)."""
    known = tuple(c for c in codes if is_known_selector(c))
    for code in codes:
        if code not in known:
            messages.append(ConfigMessage(path, key, f"unknown rule selector '{code}' (see `hasten rule --all`); ignored"))
    return known


def config_from_table(table: dict, path: str, root: str | None = None) -> tuple[Config, list[ConfigMessage]]:
    """Build a Config from a ``[tool.hasten]`` table, reporting problems and using defaults."""
    messages: list[ConfigMessage] = []
    values: dict[str, Any] = {"root": root}

    def bad(key: str, expected: str, value: Any) -> None:
        messages.append(ConfigMessage(path, key, f"invalid value {value!r}: expected {expected}; using the default"))

    if not isinstance(table, dict):
        messages.append(ConfigMessage(path, "tool.hasten", "must be a table; using defaults"))
        return Config(root=root), messages

    for key, value in table.items():
        if key not in KNOWN_KEYS:
            _unknown(messages, path, key, KNOWN_KEYS)
            continue
        if key in ("select", "extend-select", "ignore"):
            codes = _codes(value)
            if codes is None:
                bad(key, "a list of rule codes or prefixes such as [\"HS1\", \"HS301\"]", value)
                continue
            codes = _known_only(codes, key, path, messages)
            if key == "select" and not codes:
                messages.append(ConfigMessage(path, key, "no known rule selected; using the default selection"))
                continue
            values[key.replace("-", "_")] = codes
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                bad(key, "a table of glob = [codes]", value)
                continue
            entries = []
            for pattern, codes in value.items():
                parsed = _codes(codes)
                if parsed is None:
                    bad(f"{key}.{pattern}", "a list of rule codes", codes)
                    continue
                entries.append((pattern, _known_only(parsed, f"{key}.{pattern}", path, messages)))
            values["per_file_ignores"] = tuple(entries)
        elif key in ("preview", "profile-promote"):
            if not isinstance(value, bool):
                bad(key, "true or false", value)
                continue
            values[key.replace("-", "_")] = value
        elif key == "target-version":
            parsed_version = parse_target_version(value)
            if parsed_version is None:
                bad(key, "a version such as \"py310\" or \"3.12\"", value)
                continue
            values["target_version"] = parsed_version
            values["target_version_origin"] = path
        elif key == "severity":
            if not isinstance(value, dict):
                bad(key, "a table of CODE = \"error\"|\"warning\"|\"information\"|\"hint\"", value)
                continue
            entries_sev = []
            for code, sev in value.items():
                try:
                    entries_sev.append((code.upper(), Severity.parse(str(sev))))
                except ValueError:
                    bad(f"{key}.{code}", "error, warning, information or hint", sev)
            values["severity"] = tuple(entries_sev)
        elif key == "exclude":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad(key, "a list of glob patterns", value)
                continue
            values["exclude"] = tuple(value)
        elif key == "metrics":
            values["metrics"] = _metrics(value, path, messages)
        elif key == "verify":
            values["verify"] = _verify(value, path, messages)
        elif key == "model":
            if isinstance(value, bool):  # `model = false` turns the model off
                values["model"] = ModelConfig(enable=value)
            else:
                values["model"] = _model(value, path, messages)
    config = Config(**values)
    return replace(config, origins=tuple((key, path) for key in changed_settings(config))), messages


def changed_settings(config: Config) -> list[str]:
    """The settings of ``config`` that differ from the defaults, in TOML spelling (``select``,
    ``verify.test-command``)."""
    default = Config()
    out = []
    for f in fields(Config):
        if f.name in ("root", "origins"):
            continue
        value, base = getattr(config, f.name), getattr(default, f.name)
        if f.name in ("metrics", "verify", "model"):
            out.extend(f"{f.name}.{g.name.replace('_', '-')}" for g in fields(value) if getattr(value, g.name) != getattr(base, g.name))
        elif value != base:
            out.append(f.name.replace("_", "-"))
    return out


def setting_origins(config: Config) -> dict[str, str]:
    """Where each setting that is not at its default came from: a pyproject.toml's path, or the
    ``origin`` of the Overrides that set it ("command line", "editor settings")."""
    known = dict(config.origins)
    return {key: known.get(key, "unknown") for key in changed_settings(config)}


def _subtable(value: Any, name: str, known: set[str], path: str, messages: list[ConfigMessage]) -> dict:
    if not isinstance(value, dict):
        messages.append(ConfigMessage(path, name, "must be a table; using defaults"))
        return {}
    out = {}
    for key, item in value.items():
        if key not in known:
            _unknown(messages, path, f"{name}.{key}", known)
        else:
            out[key] = item
    return out


def _metrics(value: Any, path: str, messages: list[ConfigMessage]) -> MetricsConfig:
    table = _subtable(value, "metrics", METRICS_KEYS, path, messages)
    cfg = MetricsConfig()
    if "complexity-max" in table:
        item = table["complexity-max"]
        if isinstance(item, int) and not isinstance(item, bool) and item >= 1:
            cfg = replace(cfg, complexity_max=item)
        else:
            messages.append(ConfigMessage(path, "metrics.complexity-max", f"invalid value {item!r}: expected a positive integer; using 15"))
    if "growth-min" in table:
        item = table["growth-min"]
        normalised = str(item).replace("²", "^2").replace("³", "^3").replace("ⁿ", "^n").replace(" ", "") if isinstance(item, str) else None
        classes = {g.replace(" ", ""): g for g in GROWTH_ORDER}
        if item in ("off", False):
            cfg = replace(cfg, growth_min=None)
        elif normalised in classes:
            cfg = replace(cfg, growth_min=classes[normalised])
        else:
            messages.append(ConfigMessage(path, "metrics.growth-min", f"invalid value {item!r}: expected \"off\" or one of {', '.join(GROWTH_ORDER)}; using off"))
    if "code-lens" in table:
        item = table["code-lens"]
        if isinstance(item, bool):
            cfg = replace(cfg, code_lens=item)
        else:
            messages.append(ConfigMessage(path, "metrics.code-lens", f"invalid value {item!r}: expected true or false; using true"))
    return cfg


def _verify(value: Any, path: str, messages: list[ConfigMessage]) -> VerifyConfig:
    table = _subtable(value, "verify", VERIFY_KEYS, path, messages)
    cfg = VerifyConfig()
    checks = {
        "enable": (bool, "true or false"),
        "on-save": (bool, "true or false"),
        "timeout": ((int, float), "a positive number of seconds"),
        "test-command": (str, "a command line such as \"pytest -x\""),
        "interpreter": (str, "the path of a Python interpreter"),
        "memory-mb": (int, "a positive number of megabytes"),
        "rounds": (int, "a positive integer"),
    }
    for key, item in table.items():
        if f"verify.{key}" in USER_ONLY_KEYS:
            messages.append(ConfigMessage(
                path, f"verify.{key}",
                f"ignored: a project file cannot turn on what runs the project's code by itself; set {USER_SETTING_NAMES[f'verify.{key}']}",
            ))
            continue
        kind, expected = checks[key]
        ok = isinstance(item, kind) and not (kind is not bool and isinstance(item, bool))
        if ok and isinstance(item, (int, float)) and not isinstance(item, bool) and not (math.isfinite(item) and item > 0):
            ok = False
        if ok and isinstance(item, str) and not item.strip():
            ok = False
        if ok and key == "test-command" and not command_line_parses(item):
            ok = False
        if not ok:
            messages.append(ConfigMessage(path, f"verify.{key}", f"invalid value {item!r}: expected {expected}; using the default"))
            continue
        cfg = replace(cfg, **{key.replace("-", "_"): item})
    return cfg


def command_line_parses(command: str) -> bool:
    """Whether ``command`` splits into words as a shell would (no unbalanced quote)."""
    try:
        return bool(shlex.split(command))
    except ValueError:
        return False


def _model(value: Any, path: str, messages: list[ConfigMessage]) -> ModelConfig:
    table = _subtable(value, "model", MODEL_KEYS, path, messages)
    cfg = ModelConfig()
    if "enable" in table:
        if isinstance(table["enable"], bool):
            cfg = replace(cfg, enable=table["enable"])
        else:
            messages.append(ConfigMessage(path, "model.enable", f"invalid value {table['enable']!r}: expected true or false; using true"))
    if "threshold" in table:
        item = table["threshold"]
        if isinstance(item, (int, float)) and not isinstance(item, bool) and 0 <= item <= 1:
            cfg = replace(cfg, threshold=float(item))
        else:
            messages.append(ConfigMessage(path, "model.threshold", f"invalid value {item!r}: expected a number between 0 and 1; using {cfg.threshold}"))
    if "severity" in table:
        try:
            cfg = replace(cfg, severity=Severity.parse(str(table["severity"])))
        except ValueError:
            messages.append(ConfigMessage(path, "model.severity", f"invalid value {table['severity']!r}: expected error, warning, information or hint; using information"))
    return cfg


def find_pyproject(start: str | os.PathLike) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.hasten]`` table at or above ``start``."""
    try:
        current = Path(start).resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: look from where it is named
        current = Path(os.path.abspath(start))
    if current.is_file() or not current.exists():
        current = current.parent
    for directory in (current, *current.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = candidate.read_bytes()  # decoded (and a bad encoding reported) by load_config
            except OSError:
                continue
            if b"[tool.hasten" in data:
                return candidate
    return None


_CACHE: dict[tuple[str, float], tuple[Config, list[ConfigMessage]]] = {}


_LENGTHS: dict[tuple[str, float], int | None] = {}


def _line_length_in(candidate: Path) -> int | None:
    key = (str(candidate), candidate.stat().st_mtime)
    if key not in _LENGTHS:
        _LENGTHS[key] = _read_line_length(candidate)
    return _LENGTHS[key]


def _read_line_length(candidate: Path) -> int | None:
    try:
        with open(candidate, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # the hasten table's reader reports an unreadable file
    if candidate.name == "pyproject.toml":
        tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
        tables = [tool.get("ruff"), tool.get("black")]
    else:
        tables = [data]
    for table in tables:
        if isinstance(table, dict) and isinstance(table.get("line-length"), int) and table["line-length"] > 0:
            return table["line-length"]
    return None


def find_line_length(start: str | os.PathLike) -> int | None:
    """The line length the project's formatter or linter enforces: ``line-length`` in the
    nearest ``ruff.toml``/``.ruff.toml``, or ``[tool.ruff]``/``[tool.black]`` of the nearest
    pyproject.toml that sets one, at or above ``start``."""
    current = Path(start).resolve()
    if current.is_file() or not current.exists():
        current = current.parent
    for directory in (current, *current.parents):
        for name in (".ruff.toml", "ruff.toml", "pyproject.toml"):
            candidate = directory / name
            if candidate.is_file():
                found = _line_length_in(candidate)
                if found is not None:
                    return found
    return None


def load_config(path: str | os.PathLike) -> tuple[Config, list[ConfigMessage]]:
    """Configuration for the file or directory at ``path``; messages describe any problems."""
    config, messages = _load_hasten_config(path)
    try:
        length = find_line_length(path)
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        length = None
    if length is not None and config.line_length is None:
        config = replace(config, line_length=length)
    return config, messages


def _load_hasten_config(path: str | os.PathLike) -> tuple[Config, list[ConfigMessage]]:
    pyproject = find_pyproject(path)
    if pyproject is None:
        return Config(), []
    try:
        key = (str(pyproject), pyproject.stat().st_mtime)
    except OSError:
        return Config(), []
    if key in _CACHE:
        return _CACHE[key]
    result = read_config_file(pyproject)
    _CACHE[key] = result
    return result


def _unreadable(exc: Exception) -> str:
    """What is wrong with a configuration file that could not be read, and where."""
    if isinstance(exc, UnicodeDecodeError):
        data, at = exc.object, exc.start
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        return (f"it is not UTF-8 (byte 0x{data[at]:02X} at line {line}, column {column}), and TOML "
                "must be: save it as UTF-8")
    if isinstance(exc, tomllib.TOMLDecodeError):
        return f"invalid TOML: {exc}"
    return exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)


def read_config_file(path: str | os.PathLike) -> tuple[Config, list[ConfigMessage]]:
    """The settings in one file: its ``[tool.hasten]`` table, or, in a file without one (a
    ``hasten.toml`` given with ``--config``), its top level. An unreadable file gives defaults and
    a message."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(), [ConfigMessage(str(path), "", f"cannot read the file: {_unreadable(exc)}; using defaults")]
    tool = data.get("tool")
    if isinstance(tool, dict) and "hasten" in tool:
        table = tool["hasten"]
    else:
        table = {} if path.name == "pyproject.toml" else data
    return config_from_table(table, str(path), root=str(path.resolve().parent))


# -- what a front end sets on top of a project's configuration -------------------------------------


@dataclass(frozen=True)
class Overrides:
    """The command line's options or the editor's settings, over a project's ``[tool.hasten]``.

    Plain data (it crosses into the CLI's worker processes). ``None`` or empty keeps the
    project's value; ``model``, ``metrics`` and ``verify`` name the fields of those tables that
    change, e.g. ``(("timeout", 30.0),)``.
    """

    select: tuple[str, ...] | None = None  # replaces the project's selection
    extend_select: tuple[str, ...] = ()  # added to the project's
    ignore: tuple[str, ...] | None = None  # replaces the project's ignore list
    extend_ignore: tuple[str, ...] = ()  # added to the project's
    preview: bool = False  # True turns preview rules on; False keeps the project's choice
    target_version: tuple[int, int] | None = None  # replaces the project's
    target_version_origin: str = "--target-version"
    exclude: tuple[str, ...] | None = None  # replaces the project's exclude patterns
    extend_exclude: tuple[str, ...] = ()  # added to the project's
    severity: tuple[tuple[str, Severity], ...] = ()  # per code, over the project's
    model: tuple[tuple[str, Any], ...] = ()
    metrics: tuple[tuple[str, Any], ...] = ()
    verify: tuple[tuple[str, Any], ...] = ()
    origin: str = "command line"  # what setting_origins reports for the values set here


def resolve_config(project: Config, overrides: Overrides) -> Config:
    """The configuration a check runs with: ``project`` (from ``load_config``) with ``overrides``."""
    changes: dict[str, Any] = {}
    if overrides.select is not None:
        changes["select"] = overrides.select
    if overrides.extend_select:
        changes["extend_select"] = tuple(project.extend_select) + overrides.extend_select
    if overrides.ignore is not None:
        changes["ignore"] = overrides.ignore
    if overrides.extend_ignore:
        changes["ignore"] = tuple(changes.get("ignore", project.ignore)) + overrides.extend_ignore
    if overrides.preview:
        changes["preview"] = True
    if overrides.target_version is not None:
        changes["target_version"] = overrides.target_version
        changes["target_version_origin"] = overrides.target_version_origin
    if overrides.exclude is not None:
        changes["exclude"] = overrides.exclude
    if overrides.extend_exclude:
        changes["exclude"] = tuple(changes.get("exclude", project.exclude)) + overrides.extend_exclude
    if overrides.severity:
        changes["severity"] = tuple({**dict(project.severity), **dict(overrides.severity)}.items())
    for name in ("model", "metrics", "verify"):
        fields = dict(getattr(overrides, name))
        current = getattr(project, name)
        if fields and replace(current, **fields) != current:
            changes[name] = replace(current, **fields)
    if not changes:
        return project
    resolved = project.with_overrides(**changes)
    origins = dict(project.origins)
    for key in changed_settings(resolved):
        if _setting(resolved, key) != _setting(project, key):
            origins[key] = overrides.origin
    return replace(resolved, origins=tuple(origins.items()))


def _setting(config: Config, key: str) -> Any:
    value: Any = config
    for part in key.split("."):
        value = getattr(value, part.replace("-", "_"))
    return value
