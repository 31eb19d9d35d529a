"""Rule selection on the command line: --select, --extend-select, --ignore, --preview, --target-version,
--exclude, --extend-exclude, --config."""

from __future__ import annotations

import argparse
import os
import stat

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


_LOOKUPS: dict[str, tuple[Config, list[ConfigMessage]]] = {}


def forget_project_configs() -> None:
    """Start a run afresh: settings files may have changed since the last run in this process."""
    _LOOKUPS.clear()


def _directory_of(path: str) -> str | None:
    """The directory whose settings apply to ``path`` (a regular file or a directory, not a link),
    spelled so that the files of one directory share it; None when that is not plain."""
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(mode):
        directory = path
    elif stat.S_ISREG(mode):
        directory = os.path.dirname(path) or "."
    else:
        return None
    named = False
    for part in directory.replace("\\", "/").split("/"):
        if part == "..":
            if named:  # "a/link/..": resolving follows the link before the "..", abspath does not
                return os.path.realpath(directory)
        elif part not in ("", "."):
            named = True
    return os.path.abspath(directory)  # leading ".." climb from the working directory, a real path


# The files whose presence in a directory can change what ``load_config`` finds there.
_SETTINGS_FILES = ("pyproject.toml", "ruff.toml", ".ruff.toml")


def _directory_config(directory: str) -> tuple[Config, list[ConfigMessage]]:
    """``load_config(directory)`` for an absolute ``directory``, memoized for the run. A directory
    that is not a link and holds no settings file has its parent's settings (``load_config``
    looks upward from the resolved directory, whose parent is the resolved parent)."""
    found = _LOOKUPS.get(directory)
    if found is not None:
        return found
    parent = os.path.dirname(directory)
    if parent != directory and not os.path.islink(directory) and not any(
        os.path.lexists(os.path.join(directory, name)) for name in _SETTINGS_FILES
    ):
        found = _directory_config(parent)
    else:
        found = load_config(directory)
    _LOOKUPS[directory] = found
    return found


def project_config(path: str, settings: str | None) -> tuple[Config, list[ConfigMessage]]:
    """The settings for ``path``: from the nearest pyproject.toml (``settings`` None), from the
    file named by --config, or none at all with --isolated (``settings`` "").

    The nearest pyproject.toml is looked up once per directory in a run (see
    ``forget_project_configs``): the files of one directory share their settings."""
    if settings is None:
        directory = _directory_of(path)
        if directory is None:
            return load_config(path)
        found = _directory_config(directory)
        return found[0], list(found[1])
    if settings == "":
        return Config(), []
    return read_config_file(settings)


def settings_choice(args: argparse.Namespace) -> str | None:
    if getattr(args, "isolated", False):
        return ""
    return getattr(args, "config", None)
