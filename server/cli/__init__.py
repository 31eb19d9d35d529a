"""The `hasten` command: check | fix | rule | server | metrics | score | verify | profile.

Each subcommand lives in ``server/cli/commands/<name>.py`` with ``register(subparsers)`` and
``run(args) -> int``; this module only dispatches, and imports a command's module only when that
command runs, so ``hasten --version`` and server start stay fast. ``hasten server`` over stdio
(with at most ``--log-file FILE``) goes straight to the server's front without building the
parser (argparse and the command modules cost more than the front's whole answer).
"""

from __future__ import annotations

import importlib
import sys

from hasten import __version__

COMMANDS = ("check", "fix", "rule", "server", "metrics", "score", "verify", "profile")
# Commands that take a command of their own after `--` (given to them as args.trailing).
PASS_THROUGH = ("profile",)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _parser_class():
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str):  # usage errors exit with 2 and a hint
            self.print_usage(sys.stderr)
            self.exit(EXIT_ERROR, f"hasten: error: {message}\nRun 'hasten {self.prog.split()[-1]} --help' for help.\n" if " " in self.prog else f"hasten: error: {message}\n")

    return _Parser


def _available_commands() -> list[str]:
    import importlib.util

    names = []
    for name in COMMANDS:
        spec = importlib.util.find_spec(f"hasten.server.cli.commands.{name}")
        if spec is not None:
            names.append(name)
    return names


def build_parser(only: str | None = None):
    """The argparse parser (with ``only``: that command's arguments, the others as placeholders)."""
    _Parser = _parser_class()
    parser = _Parser(
        prog="hasten",
        description="Find slow Python, offer rewrites, and prove them.",
    )
    parser.add_argument("--version", action="version", version=f"hasten {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in _available_commands():
        if only is not None and name != only:
            # Register a light placeholder so `hasten --help` lists every command.
            sub.add_parser(name, help=_HELP.get(name, ""), add_help=False)
            continue
        module = importlib.import_module(f"hasten.server.cli.commands.{name}")
        module.register(sub)
    return parser


_HELP = {
    "check": "report slow code (and fix it with --fix)",
    "fix": "apply safe fixes (same as check --fix)",
    "rule": "show a rule's documentation",
    "server": "start the language server",
    "metrics": "show complexity metrics per function",
    "score": "score functions with the model",
    "verify": "verify fixes against the project's tests",
    "profile": "profile the project's tests to rank findings by measured cost",
}


def _stdio_server(argv: list[str]) -> list[str] | None:
    """``[]`` or ``[log file]`` when ``argv`` is ``server`` over stdio, with at most
    ``--log-file FILE``; None for anything else (the parser reads it)."""
    if argv[:1] != ["server"]:
        return None
    rest = argv[1:]
    if not rest:
        return []
    if len(rest) == 2 and rest[0] == "--log-file" and rest[1] and not rest[1].startswith("-"):
        return [rest[1]]
    if len(rest) == 1 and rest[0].startswith("--log-file=") and len(rest[0]) > len("--log-file="):
        return [rest[0][len("--log-file="):]]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    stdio = _stdio_server(argv)
    if stdio is not None:
        from hasten.server.cli.commands.server import serve

        return _guarded(serve, *stdio)
    command = next((a for a in argv if not a.startswith("-")), None)
    trailing = None
    if command in PASS_THROUGH and "--" in argv:
        cut = argv.index("--")
        argv, trailing = argv[:cut], argv[cut + 1:]
    parser = build_parser(only=command if command in COMMANDS else None)
    if not argv:
        parser.print_help()
        return EXIT_ERROR
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    if command in PASS_THROUGH:
        args.trailing = trailing or []
    module = importlib.import_module(f"hasten.server.cli.commands.{args.command}")
    return _guarded(module.run, args)


def _guarded(run, *args) -> int:
    try:
        return int(run(*args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
