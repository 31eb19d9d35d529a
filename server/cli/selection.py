"""Rule selection on the command line: --select, --extend-select, --ignore, --preview, --target-version,
--exclude, --extend-exclude, --config."""

from __future__ import annotations

import argparse
import os

from hasten.analyzers.config import Config, ConfigMessage, Overrides, load_config, parse_target_version, read_config_file


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--select", metavar="CODES",
        help="comma-separated rule codes, code prefixes (HS1) or alias prefixes (PERF, FURB, C4, SIM, W82) to enable "
        "(replaces the configured set)",
    )
    parser.add_argument("--extend-select", metavar="CODES", help="comma-separated codes to enable in addition")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--preview", action="store_true", default=None, help="enable preview rules")


def _split(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(v.strip().upper() for v in value.split(",") if v.strip())


def _patterns(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(v.strip() for v in value.split(",") if v.strip())


def overrides_from_args(args: argparse.Namespace) -> Overrides:
    """The command line's selection: it replaces (--select) or extends the project's."""
    target = getattr(args, "target_version", None)
    return Overrides(
        select=_split(getattr(args, "select", None)),
        extend_select=_split(getattr(args, "extend_select", None)) or (),
        extend_ignore=_split(getattr(args, "ignore", None)) or (),
        preview=bool(getattr(args, "preview", None)),
        target_version=parse_target_version(target) if target else None,
        exclude=_patterns(getattr(args, "exclude", None)),
        extend_exclude=_patterns(getattr(args, "extend_exclude", None)) or (),
    )


def validate_selectors(args: argparse.Namespace) -> list[str]:
    from hasten.analyzers.registry import known_selector

    problems = []
    for option in ("select", "extend_select", "ignore"):
        for sel in _split(getattr(args, option, None)) or ():
            if not known_selector(sel):
                problems.append(f"hasten: --{option.replace('_', '-')}: unknown rule selector '{sel}' (see `hasten rule --all`)")
    target = getattr(args, "target_version", None)
    if target and parse_target_version(target) is None:
        problems.append(f"hasten: --target-version: invalid version '{target}': expected e.g. py311 or 3.11 (3.7 to 3.15)")
    config = getattr(args, "config", None)
    if config and not os.path.isfile(config):
        problems.append(f"hasten: --config {config}: no such file")
    return problems


def project_config(path: str, settings: str | None) -> tuple[Config, list[ConfigMessage]]:
    """The settings for ``path``: from the nearest pyproject.toml (``settings`` None), from the
    file named by --config, or none at all with --isolated (``settings`` "")."""
    if settings is None:
        return load_config(path)
    if settings == "":
        return Config(), []
    return read_config_file(settings)


def settings_choice(args: argparse.Namespace) -> str | None:
    if getattr(args, "isolated", False):
        return ""
    return getattr(args, "config", None)
