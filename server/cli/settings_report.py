"""`hasten check --show-settings`: the settings a check of one path runs with, and where each
value came from (a command-line option, a settings file, or hasten's default)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, is_dataclass

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from hasten.analyzers.config import Overrides, find_pyproject, resolve_config

# [tool.hasten] key -> (Config field, the options that set it)
KEYS = {
    "select": ("select", ("select",)),
    "extend-select": ("extend_select", ("extend_select",)),
    "ignore": ("ignore", ("ignore",)),
    "per-file-ignores": ("per_file_ignores", ()),
    "preview": ("preview", ("preview",)),
    "profile-promote": ("profile_promote", ()),
    "target-version": ("target_version", ("target_version",)),
    "severity": ("severity", ()),
    "exclude": ("exclude", ("exclude", "extend_exclude")),
    "metrics": ("metrics", ()),
    "verify": ("verify", ()),
    "model": ("model", ()),
}


def _file_keys(path: str) -> set[str]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return set()
    tool = data.get("tool")
    table = tool.get("hasten", {}) if isinstance(tool, dict) and "hasten" in tool else data
    return set(table) if isinstance(table, dict) else set()


def _value(value) -> str:
    if is_dataclass(value):
        value = {k: _value_plain(v) for k, v in asdict(value).items()}
    elif isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return json.dumps(f"py{value[0]}{value[1]}")
    return json.dumps(_value_plain(value))


def _value_plain(value):
    if isinstance(value, tuple):
        return [_value_plain(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return value.value  # enums such as Severity
    return value


def show_settings(path: str, settings: str | None, overrides: Overrides, args: argparse.Namespace) -> str:
    from hasten.analyzers.checker import enabled_rules
    from hasten.server.cli.selection import project_config

    project, messages = project_config(path, settings)
    if settings == "":
        source, keys = None, set()
        header = "settings file: none (--isolated)"
    else:
        source = settings if settings is not None else (str(find_pyproject(path)) if find_pyproject(path) else None)
        keys = _file_keys(source) if source else set()
        header = f"settings file: {source}" + (" (--config)" if settings else "") if source else "settings file: none found"
    config = resolve_config(project, overrides)
    lines = [f"Settings for {path}", header, ""]
    for key, (name, options) in KEYS.items():
        given = [o for o in options if getattr(args, o, None) not in (None, False)]
        if given:
            origin = ", ".join("--" + o.replace("_", "-") for o in given)
        elif key in keys:
            origin = source
        else:
            origin = "default"
        lines.append(f"{key} = {_value(getattr(config, name))}  # {origin}")
    lines.append(f"# per-file-ignores patterns are relative to {config.root or 'the current directory'}")
    rules = enabled_rules(config, path)
    lines += ["", f"enabled rules ({len(rules)}): " + ", ".join(r.code for r in rules)]
    for message in messages:
        lines.append(f"warning: {message}")
    return "\n".join(lines) + "\n"
