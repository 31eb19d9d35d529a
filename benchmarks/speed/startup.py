"""Start-up cost: `hasten --version`, importing the server, and spawn-to-initialized over stdio.

    python -m benchmarks.speed.startup [--rounds 10]

Compared in the same run with `python -c pass` (the interpreter's own start-up) and `ruff --version`.
Also lists the heavy modules (torch, transformers, onnxruntime, numpy) that importing the CLI and
the server pulls in — there must be none: the model loads lazily, off the event loop.
Writes the "## Start-up" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.speed._report import compile_hasten, machine_line, update_section

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "transformers", "onnxruntime", "numpy", "tokenizers")


def median_time(cmd: list[str], rounds: int, stdin: bytes | None = None) -> float:
    runs = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def _frame(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def server_initialize_ms(rounds: int, settle: float = 0.0, cmd: list[str] | None = None) -> float:
    """Spawn the server, send initialize, wait for its response, then shut down. With ``settle``
    seconds, the request is sent that long after the spawn and timed from the request: the
    server's own answer, without the interpreter's and the imports' start-up."""
    runs = []
    init = _frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    for _ in range(rounds):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd or [sys.executable, "-m", "hasten", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if settle:
            time.sleep(settle)
            start = time.perf_counter()
        proc.stdin.write(init)
        proc.stdin.flush()
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            chunk = proc.stdout.read(1)
            if not chunk:
                break
            header += chunk
        runs.append(time.perf_counter() - start)
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) + _frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return statistics.median(runs) * 1000


def heavy_imports(module: str) -> list[str]:
    code = f"import sys, {module}; print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    return [m for m in out.split(",") if m]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    bytecode = compile_hasten()
    load_start = os.getloadavg()[0]
    python = median_time([sys.executable, "-c", "pass"], args.rounds)
    version = median_time([sys.executable, "-m", "hasten", "--version"], args.rounds)
    server_import = median_time([sys.executable, "-c", "import hasten.server.lsp.server"], args.rounds)
    initialize = server_initialize_ms(args.rounds)
    answer = server_initialize_ms(args.rounds, settle=3.0)
    protocol = median_time([sys.executable, "-c", "import lsprotocol.types"], args.rounds)
    ruff = shutil.which("ruff")
    ruff_version = median_time([ruff, "--version"], args.rounds) if ruff else None
    ruff_initialize = server_initialize_ms(args.rounds, cmd=[ruff, "server"]) if ruff else None
    heavy_cli = heavy_imports("hasten.server.cli")
    heavy_server = heavy_imports("hasten.server.lsp.server")
    rows = [
        f"| `python -c pass` (the interpreter alone) | {python:.0f} ms |",
        f"| `hasten --version` | {version:.0f} ms |",
        f"| `python -c 'import hasten.server.lsp.server'` | {server_import:.0f} ms |",
        f"| `python -c 'import lsprotocol.types'` (the protocol types pygls needs) | {protocol:.0f} ms |",
        f"| `hasten server`: spawn to `initialize` response | {initialize:.0f} ms |",
        f"| `hasten server`, started: `initialize` request to response | {answer:.0f} ms |",
    ]
    if ruff_version is not None:
        rows.append(f"| `ruff --version` (a native binary, for scale) | {ruff_version:.0f} ms |")
    if ruff_initialize is not None:
        rows.append(f"| `ruff server`: spawn to `initialize` response | {ruff_initialize:.0f} ms |")
    ratios = f"hasten's spawn-to-`initialize` is {initialize / python:.1f}× `python -c pass`"
    if ruff_initialize:
        ratios += f" and {initialize / ruff_initialize:.1f}× ruff server's"
    load = f"{load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    body = f"""Reproduce: `python -m benchmarks.speed.startup`. Machine: {machine_line()}; load average {load}.
Medians of {args.rounds} runs; {bytecode}; {ratios} (same run).

| what | time |
|---|---|
{chr(10).join(rows)}

Heavy modules imported by `import hasten.server.cli`: {', '.join(heavy_cli) or 'none'}; by
`import hasten.server.lsp.server`: {', '.join(heavy_server) or 'none'} (the model's onnxruntime and
numpy load lazily, in the background, after the server has answered `initialize`).
"""
    update_section(ROOT / "docs" / "benchmarks.md", "## Start-up", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
