"""`hasten server`: the language server over stdio (or TCP). Over stdio it starts with the front
(``server/lsp/front.py``), which answers ``initialize`` from a remembered answer; ``hasten server``
and ``hasten server --log-file FILE`` get there without the argument parser
(``server/cli/__init__.py``)."""

from __future__ import annotations

import os
import sys


def register(sub) -> None:
    parser = sub.add_parser("server", help="start the language server", description="Start the hasten language server (LSP over stdio by default).")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    parser.add_argument("--log-file", metavar="FILE", help="also write the server log to FILE")


def run(args) -> int:
    if not args.tcp:
        return serve(log_file=args.log_file)
    from hasten.server.lsp.server import start

    host, _, port_text = args.tcp.rpartition(":")
    if not host or not port_text.isdigit():
        print(f"hasten server: --tcp expects HOST:PORT, got {args.tcp!r}", file=sys.stderr)
        return 2
    return start(host=host, port=int(port_text), log_file=args.log_file)


def serve(log_file: str | None = None) -> int:
    """The server over stdio, with the front first: it answers ``initialize`` from a remembered
    answer before pygls is imported, then the server reads the whole input."""
    from hasten.server.lsp import front

    if log_file:
        log_file = os.path.abspath(log_file)  # before moving to the neutral folder
    front.neutral_start()
    try:
        stdin, stdout = front.answer_first(sys.stdin.buffer, sys.stdout.buffer)
    except KeyboardInterrupt:  # what the server returns when interrupted while waiting for input
        return 0
    from hasten.server.lsp.server import start

    return start(log_file=log_file, stdin=stdin, stdout=stdout, neutral=False)
