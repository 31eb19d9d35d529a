"""`hasten server`: the language server over stdio (or TCP)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    parser = sub.add_parser("server", help="start the language server", description="Start the hasten language server (LSP over stdio by default).")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    parser.add_argument("--log-file", metavar="FILE", help="also write the server log to FILE")


def run(args) -> int:
    from hasten.server.lsp.server import start

    host = port = None
    if args.tcp:
        host, _, port_text = args.tcp.rpartition(":")
        if not host or not port_text.isdigit():
            print(f"hasten server: --tcp expects HOST:PORT, got {args.tcp!r}", file=sys.stderr)
            return 2
        port = int(port_text)
    return start(host=host, port=port, log_file=args.log_file)
