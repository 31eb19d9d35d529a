"""`hasten fix`: shorthand for `hasten check --fix`."""

from __future__ import annotations

from hasten.server.cli.commands import check


def register(sub) -> None:
    parser = sub.add_parser("fix", help="apply safe fixes (same as check --fix)", description="Apply safe fixes to PATHs; the same as `hasten check --fix`.")
    check.add_check_arguments(parser)


def run(args) -> int:
    args.fix = True
    return check.run(args)
