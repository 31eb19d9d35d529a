"""Start-up cost: `hasten --version`, importing the server, and spawn-to-initialized over stdio.

    python -m benchmarks.speed.startup [--rounds 10]

Spawn to `initialize` response is measured for the first start (an empty per-user cache: the
server computes its answer and remembers it) and for a usual start (the answer remembered at an
earlier start with the same client: ``server/lsp/front.py`` sends it before pygls is imported),
interleaved round by round with `python -c pass` and `ruff server` (when installed), each in a
cache folder of the benchmark's own (``XDG_CACHE_HOME``). Compared in the same run with
`python -c pass` (the interpreter's own start-up) and `ruff --version`.
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
import tempfile
import time
from pathlib import Path

from benchmarks.speed._report import compile_hasten, machine_line, update_section

ROOT = Path(__file__).resolve().parents[2]
HASTEN_SERVER = [sys.executable, "-m", "hasten", "server"]
# The server without the front (and without the CLI's parser): pygls answers initialize.
WITHOUT_FRONT = [sys.executable, "-c", "import sys; from hasten.server.lsp.server import start; sys.exit(start())"]
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


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": os.getpid(), "rootUri": None, "capabilities": {}}}


def _read_frame(stream) -> dict | None:
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        chunk = stream.read(1)
        if not chunk:
            return None
        header += chunk
    length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.lower().startswith(b"content-length"))
    return json.loads(stream.read(length))


def spawn_initialize(cmd: list[str], settle: float = 0.0, env: dict | None = None) -> float:
    """Spawn a server, send initialize, wait for its response (to id 1), then shut it down; the
    seconds from the spawn (with ``settle``: from the request, sent that long after the spawn)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    if settle:
        time.sleep(settle)
        start = time.perf_counter()
    proc.stdin.write(_frame(INITIALIZE))
    proc.stdin.flush()
    while (message := _read_frame(proc.stdout)) is not None and not (message.get("id") == 1 and "method" not in message):
        pass
    took = time.perf_counter() - start
    if message is None:
        raise RuntimeError(f"{cmd[0]} did not answer initialize")
    proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) + _frame({"jsonrpc": "2.0", "method": "exit"}))
    proc.stdin.close()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return took


def settled_answer_ms(rounds: int, scratch: Path, remembered: bool) -> float:
    """Request to response, the request sent 3 s after the spawn: the front's remembered answer,
    or (``remembered=False``, an empty cache each time) the imports after the request plus
    pygls' answer: the front waits for the first message before importing pygls."""
    runs = []
    for n in range(rounds):
        folder = scratch / ("usual" if remembered else f"settled-{n}")
        runs.append(spawn_initialize(HASTEN_SERVER, settle=3.0, env={**os.environ, "XDG_CACHE_HOME": str(folder)}))
    return statistics.median(runs) * 1000


def interleaved_starts(rounds: int, ruff: str | None, scratch: Path) -> dict[str, list[float]]:
    """Spawn to initialize response, one of each per round: `python -c pass` (the interpreter
    alone, for scale), hasten's first start (a new, empty cache folder each time), hasten's usual
    start (the folder where the first start of the run remembered the answer), ruff server."""
    usual = {**os.environ, "XDG_CACHE_HOME": str(scratch / "usual")}
    spawn_initialize(HASTEN_SERVER, env=usual)  # remembers the answer
    if not list((scratch / "usual" / "hasten" / "initialize").glob("*")):
        raise RuntimeError("the first start remembered no initialize answer")
    times: dict[str, list[float]] = {"python": [], "first": [], "usual": [], "without": [], "ruff": []}
    for n in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        times["python"].append(time.perf_counter() - start)
        times["first"].append(spawn_initialize(HASTEN_SERVER, env={**os.environ, "XDG_CACHE_HOME": str(scratch / f"first-{n}")}))
        times["usual"].append(spawn_initialize(HASTEN_SERVER, env=usual))
        times["without"].append(spawn_initialize(WITHOUT_FRONT, env={**os.environ, "XDG_CACHE_HOME": str(scratch / f"without-{n}")}))
        if ruff:
            times["ruff"].append(spawn_initialize([ruff, "server"]))
    return times


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
    ruff = shutil.which("ruff")
    with tempfile.TemporaryDirectory(prefix="hasten-startup-") as scratch:
        starts = interleaved_starts(args.rounds, ruff, Path(scratch))
        load_middle = os.getloadavg()[0]
        answer_usual = settled_answer_ms(args.rounds, Path(scratch), remembered=True)
        answer_first = settled_answer_ms(args.rounds, Path(scratch), remembered=False)
    median = {name: statistics.median(runs) * 1000 for name, runs in starts.items() if runs}
    python, first, usual, without = median["python"], median["first"], median["usual"], median["without"]
    ruff_initialize = median.get("ruff")
    version = median_time([sys.executable, "-m", "hasten", "--version"], args.rounds)
    server_import = median_time([sys.executable, "-c", "import hasten.server.lsp.server"], args.rounds)
    protocol = median_time([sys.executable, "-c", "import lsprotocol.types"], args.rounds)
    ruff_version = median_time([ruff, "--version"], args.rounds) if ruff else None
    heavy_cli = heavy_imports("hasten.server.cli")
    heavy_server = heavy_imports("hasten.server.lsp.server")
    rows = [
        f"| `python -c pass` (the interpreter alone) | {python:.0f} ms |",
        f"| `hasten server`, usual start (the answer remembered): spawn to `initialize` response | {usual:.0f} ms |",
        f"| `hasten server`, first start (empty cache): spawn to `initialize` response | {first:.0f} ms |",
        f"| the server without the front (`start()` from `python -c`, no CLI parser): spawn to `initialize` response | {without:.0f} ms |",
    ]
    if ruff_initialize is not None:
        rows.append(f"| `ruff server`: spawn to `initialize` response | {ruff_initialize:.0f} ms |")
    rows += [
        f"| `hasten --version` | {version:.0f} ms |",
        f"| `python -c 'import hasten.server.lsp.server'` | {server_import:.0f} ms |",
        f"| `python -c 'import lsprotocol.types'` (the protocol types pygls needs) | {protocol:.0f} ms |",
        f"| `hasten server`, usual start, `initialize` sent 3 s after the spawn: request to response | {answer_usual:.0f} ms |",
        f"| `hasten server`, first start, `initialize` sent 3 s after the spawn: request to response | {answer_first:.0f} ms |",
    ]
    if ruff_version is not None:
        rows.append(f"| `ruff --version` (a native binary, for scale) | {ruff_version:.0f} ms |")
    ratios = (
        f"usual start {usual / python:.1f}× `python -c pass`"
        + (f" and {usual / ruff_initialize:.2f}× ruff server's" if ruff_initialize else "")
        + f"; first start {first / python:.1f}× `python -c pass`"
        + (f" and {first / ruff_initialize:.1f}× ruff server's" if ruff_initialize else "")
        + f"; without the front {without / python:.1f}× `python -c pass`"
    )
    load = f"{load_start:.1f} at the start, {load_middle:.1f} after the interleaved starts, {os.getloadavg()[0]:.1f} at the end"
    body = f"""Reproduce: `python -m benchmarks.speed.startup`. Machine: {machine_line()}; load average {load}.
Medians of {args.rounds} runs; {bytecode}. The first {'five' if ruff_initialize else 'four'} rows are interleaved, one run of each
per round. Spawn to `initialize` response, same run: {ratios}.

A usual start is one where an earlier start with the same client (the same capabilities,
initialization options and client name), the same hasten and the same pygls and lsprotocol
remembered the answer to `initialize` (`server/lsp/front.py`): the answer is sent before pygls
is imported. The first start after installing or upgrading hasten, pygls or lsprotocol, or with
a new client or new client settings, computes the answer as before and remembers it.
`python -c pass` is timed to its exit, the servers to their answer. The front reads the first
message before pygls is imported: on a first start, a client that waits before sending
`initialize` waits for those imports after sending it (the last two rows).

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
