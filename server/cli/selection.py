"""Rule selection on the command line: --select, --extend-select, --ignore, --preview."""

from __future__ import annotations

import argparse

from hasten.analyzers.config import Overrides


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--select", metavar="CODES", help="comma-separated rule codes or prefixes to enable (replaces the configured set)")
    parser.add_argument("--extend-select", metavar="CODES", help="comma-separated codes to enable in addition")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--preview", action="store_true", default=None, help="enable preview rules")


def _split(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(v.strip().upper() for v in value.split(",") if v.strip())


def overrides_from_args(args: argparse.Namespace) -> Overrides:
    """The command line's selection: it replaces (--select) or extends the project's."""
    return Overrides(
        select=_split(getattr(args, "select", None)),
        extend_select=_split(getattr(args, "extend_select", None)) or (),
        extend_ignore=_split(getattr(args, "ignore", None)) or (),
        preview=bool(getattr(args, "preview", None)),
    )


def validate_selectors(args: argparse.Namespace) -> list[str]:
    from hasten.analyzers.registry import all_rules

    problems = []
    codes = [r.code for r in all_rules()]
    aliases = [a.upper() for r in all_rules() for a in r.aliases]
    for option in ("select", "extend_select", "ignore"):
        for sel in _split(getattr(args, option, None)) or ():
            if sel != "ALL" and not any(c.startswith(sel) for c in codes) and sel not in aliases:
                problems.append(f"hasten: --{option.replace('_', '-')}: unknown rule selector '{sel}' (see `hasten rule --all`)")
    return problems
