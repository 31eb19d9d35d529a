"""Keystroke-to-diagnostics latency and server memory: hasten's server against `ruff server`, same
file, same edits, same run.

    python -m benchmarks.speed.lsp_latency [--edits 200] [--file PATH]

A small LSP client (raw JSON-RPC framing, in this file) talks to each server over stdio with push
diagnostics, as VS Code does. It opens the file (the standard library's _pydecimal.py by default,
about 6,400 lines), waits for its first diagnostics, then makes single-line edits at different
places with incremental `didChange`, timing each from sending the change to the first
`publishDiagnostics` of that version. hasten runs with its default settings (rules only: the
model's HS900 is a preview rule); with `--model` a second hasten server runs with preview rules,
waits until the model has scored the file, and also times the second publish of each version,
which carries the model's findings. ruff runs with its default rules and with `--select ALL
--preview`. The servers are measured in interleaved rounds so machine noise hits all alike.

Also reports each server's peak RSS (VmHWM from /proc) after opening the file, scoring it and the
edits, and writes benchmarks/results/speed_lsp.json and the "## Editor latency" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from benchmarks.speed._report import machine_line, update_section

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "speed_lsp.json"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Session:
    """A minimal JSON-RPC client over stdio: raw dictionaries, so any server's capabilities are
    accepted as sent (pygls' typed client rejects some of ruff's notebook capabilities)."""

    def __init__(self, name: str, cmd: list[str], init_options: dict | None, workdir: Path):
        self.name = name
        self.cmd = cmd
        self.init_options = init_options
        self.workdir = workdir
        self.version = 0
        self.latencies: list[float] = []
        self.uri = ""
        self.proc: asyncio.subprocess.Process | None = None
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.reader_task: asyncio.Task | None = None
        self.published: list[tuple[float, int | None, int]] = []  # (arrival, version, nth publish of it)
        self.arrived = asyncio.Event()
        self.model_latencies: list[float] = []
        self.model = False  # hasten: wait for the model's publish too

    async def _send(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await self.proc.stdin.drain()

    async def _read_loop(self) -> None:
        stdout = self.proc.stdout
        while True:
            length = None
            while True:
                line = await stdout.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            message = json.loads(await stdout.readexactly(length))
            if "id" in message and "method" in message:  # a request from the server: answer null
                await self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message and message["id"] in self.pending:
                self.pending.pop(message["id"]).set_result(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                if params.get("uri") == self.uri:
                    version = params.get("version")
                    nth = 1 + sum(1 for _, v, _ in self.published if v == version)
                    self.published.append((time.perf_counter(), version, nth))
                    self.arrived.set()

    async def wait_for(self, predicate, timeout: float) -> float | None:
        """The arrival time of the first publish matching ``predicate(version, nth)``."""
        end = time.perf_counter() + timeout
        while True:
            for when, version, model in self.published:
                if predicate(version, model):
                    return when
            left = end - time.perf_counter()
            if left <= 0:
                return None
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except asyncio.TimeoutError:
                return None

    async def request(self, method: str, params) -> dict:
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        await self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await asyncio.wait_for(future, 120)

    async def notify(self, method: str, params) -> None:
        await self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def start(self, path: Path) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *self.cmd, cwd=str(self.workdir), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        self.reader_task = asyncio.create_task(self._read_loop())
        await self.request("initialize", {
            "processId": None,
            "rootUri": self.workdir.as_uri(),
            "capabilities": {"textDocument": {"synchronization": {}, "publishDiagnostics": {"versionSupport": True}},
                             "general": {"positionEncodings": ["utf-16"]}},
            "initializationOptions": self.init_options,
        })
        await self.notify("initialized", {})
        self.uri = path.as_uri()
        await self.notify("textDocument/didOpen", {"textDocument": {"uri": self.uri, "languageId": "python", "version": 0, "text": path.read_text()}})
        # The first analysis (and for hasten the model's load and first scoring) is not counted.
        await self.wait_for(lambda v, n: v == 0 and (n == 2 or not self.model), 120)

    async def edit(self, line: int, text: str) -> None:
        self.version += 1
        version = self.version
        self.published.clear()
        start = time.perf_counter()
        await self.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": text}],
        })
        rules = await self.wait_for(lambda v, m: v == version, 60)
        if rules is not None:
            self.latencies.append(rules - start)
        if self.model:
            model = await self.wait_for(lambda v, n: v == version and n == 2, 10)
            if model is not None:
                self.model_latencies.append(model - start)

    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.request("shutdown", None), 10)
            await self.notify("exit", None)
            await asyncio.wait_for(self.proc.wait(), 10)
        except Exception:
            if self.proc and self.proc.returncode is None:
                self.proc.kill()
        if self.reader_task:
            self.reader_task.cancel()


async def run(path: Path, edits: int, model: bool = False) -> dict:
    ruff = shutil.which("ruff")
    lines = path.read_text().splitlines()
    # Edits: add a comment at the end of blank-indented positions spread over the file; each
    # keeps the file valid, as most keystrokes in a real session do.
    targets = [int(i * len(lines) / edits) for i in range(edits)]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        target = work / path.name
        target.write_text(path.read_text())
        hasten = Session("hasten server (default settings)", [sys.executable, "-m", "hasten", "server"], None, work)
        sessions = [hasten]
        if model:
            # The model's rule (HS900) is a preview rule: with preview on, it scores the file and
            # its findings follow the rules' in a second publish of each version.
            scored = Session("hasten server (preview: rules and the model)", [sys.executable, "-m", "hasten", "server"],
                             {"preview": True}, work)
            scored.model = True
            sessions.append(scored)
        if ruff:
            sessions += [
                Session("ruff server (default rules)", [ruff, "server"], None, work),
                Session("ruff server (--select ALL --preview)", [ruff, "server"],
                        {"settings": {"lint": {"select": ["ALL"], "preview": True}}}, work),
            ]
        for s in sessions:
            await s.start(target)
        for line in targets:
            for s in sessions:
                await s.edit(line, "# edit\n")
        for s in sessions:
            lat = [x * 1000 for x in s.latencies]
            row = {
                "median_ms": statistics.median(lat),
                "p95_ms": percentile(lat, 0.95),
                "min_ms": min(lat),
                "edits": len(lat),
                "peak_rss_mb": peak_rss_mb(s.pid()) if s.pid() else None,
            }
            if s.model:
                mlat = [x * 1000 for x in s.model_latencies]
                row["model_edits"] = len(mlat)
                if mlat:
                    row["model_median_ms"] = statistics.median(mlat)
                    row["model_p95_ms"] = percentile(mlat, 0.95)
                    # after the rules' publish of the same edit
                    after = [m - r for m, r in zip(s.model_latencies, s.latencies)]
                    row["model_after_rules_median_ms"] = statistics.median(after) * 1000
            results[s.name] = row
        for s in sessions:
            await s.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--file", type=Path, default=Path(sysconfig.get_paths()["stdlib"]) / "_pydecimal.py")
    parser.add_argument("--model", action="store_true",
                        help="also run hasten with preview rules, the model's HS900 among them, and time its second publish")
    args = parser.parse_args()
    if not args.file.exists():
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    load_before = os.getloadavg()[0]
    results = asyncio.run(run(args.file, args.edits, args.model))
    load = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    lines_count = len(args.file.read_text().splitlines())
    data = {"machine": machine_line(), "load_average": load, "file": args.file.name, "lines": lines_count, "servers": results}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")
    hasten_key = next(k for k in results if k.startswith("hasten"))
    h = results[hasten_key]
    rows = []
    for name, r in results.items():
        ratio = h["median_ms"] / r["median_ms"]
        rss = f"{r['peak_rss_mb']:.0f} MB" if r["peak_rss_mb"] else "n/a"
        rows.append(f"| {name} | {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {ratio:.2f}× | {rss} |")
    model_line = "With default settings the model does not run (its rule, HS900, is a preview rule)."
    scored = next((r for k, r in results.items() if "model" in k), None)
    if scored is not None:
        model_line = "With preview rules (the model among them), no second publish (the model's) arrived after the edits."
        if "model_median_ms" in scored:
            model_line = (
                f"With preview rules (the model among them), keystroke → the publish with the model's findings: median "
                f"{scored['model_median_ms']:.1f} ms, p95 {scored['model_p95_ms']:.1f} ms, "
                f"{scored['model_after_rules_median_ms']:.1f} ms (median) after the rules' publish "
                f"({scored['model_edits']} of {scored['edits']} edits)."
            )
    flags = f"{' --model' if args.model else ''}{f' --edits {args.edits}' if args.edits != 200 else ''}"
    body = f"""Reproduce: `python -m benchmarks.speed.lsp_latency{flags}` (needs `pip install ruff`).
Machine: {data['machine']}; load average {load}. The machine is shared and busy: compare ratios
within a run, not figures across runs.

`{args.file.name}` ({lines_count} lines), {args.edits} single-line incremental edits spread over the
file, push diagnostics; latency from sending `didChange` to the first `publishDiagnostics` of that
version. Peak RSS (VmHWM) after opening the file and the edits (and, with `--model`, the model
scoring it).

| server | median | p95 | hasten's median ÷ this | peak RSS |
|---|---|---|---|---|
{chr(10).join(rows)}

{model_line}
"""
    update_section(ROOT / "docs" / "benchmarks.md", "## Editor latency", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
