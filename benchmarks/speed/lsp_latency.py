"""Keystroke-to-diagnostics latency: hasten's server against `ruff server`, same file, same edits.

    python -m benchmarks.speed.lsp_latency [--edits 60] [--file PATH]

A real LSP client (pygls' LanguageClient) talks to each server over stdio. It opens the file
(the standard library's _pydecimal.py by default, about 6,400 lines), then makes single-line edits
at different places with incremental `didChange`, each followed at once by a
`textDocument/diagnostic` pull request; the latency is the time from sending the change to the
diagnostic response for that version. hasten runs with debounce 0 and every rule and the model on;
ruff runs with its default rules and with `--select PERF`. The servers are measured in
interleaved rounds so machine noise hits all of them alike.

Also reports each server's peak RSS after opening the file (VmHWM from /proc) and writes
benchmarks/results/speed_lsp.json and the "## Editor latency" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

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
    def __init__(self, name: str, cmd: list[str], init_options: dict | None, workdir: Path):
        self.name = name
        self.cmd = cmd
        self.init_options = init_options
        self.workdir = workdir
        self.client = LanguageClient("hasten-bench", "1")
        self.version = 0
        self.latencies: list[float] = []
        self.uri = ""

    async def start(self, path: Path) -> None:
        await self.client.start_io(self.cmd[0], *self.cmd[1:], cwd=str(self.workdir))
        await self.client.initialize_async(
            lsp.InitializeParams(
                process_id=None,
                root_uri=self.workdir.as_uri(),
                capabilities=lsp.ClientCapabilities(
                    text_document=lsp.TextDocumentClientCapabilities(
                        diagnostic=lsp.DiagnosticClientCapabilities(dynamic_registration=False),
                        synchronization=lsp.TextDocumentSyncClientCapabilities(),
                    ),
                    general=lsp.GeneralClientCapabilities(position_encodings=[lsp.PositionEncodingKind.Utf16]),
                ),
                initialization_options=self.init_options,
            )
        )
        self.client.initialized(lsp.InitializedParams())
        self.uri = path.as_uri()
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(self.uri, "python", 0, path.read_text()))
        )
        await self.pull()  # the first analysis, not counted

    async def pull(self):
        return await self.client.text_document_diagnostic_async(
            lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(self.uri))
        )

    async def edit(self, line: int, text: str) -> None:
        self.version += 1
        start = time.perf_counter()
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(self.uri, self.version),
                content_changes=[
                    lsp.TextDocumentContentChangePartial(
                        range=lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0)), text=text
                    )
                ],
            )
        )
        await self.pull()
        self.latencies.append(time.perf_counter() - start)

    def pid(self) -> int | None:
        server = getattr(self.client, "_server", None)
        return getattr(server, "pid", None)

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), 10)
            self.client.exit(None)
        except Exception:
            pass
        await self.client.stop()


async def run(path: Path, edits: int) -> dict:
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
        sessions = [
            Session("hasten (all rules, model on, debounce 0)", [sys.executable, "-m", "hasten", "server"],
                    {"debounce": 0, "preview": True, "model": {"enable": True, "threshold": 0.8}}, work),
        ]
        if ruff:
            sessions += [
                Session("ruff server (default rules)", [ruff, "server"], None, work),
                Session("ruff server (--select PERF)", [ruff, "server"], {"settings": {"lint": {"select": ["PERF"]}}}, work),
            ]
        for s in sessions:
            await s.start(target)
        await asyncio.sleep(2.0)  # let lazy loads (hasten's model) finish before timing
        for line in targets:
            for s in sessions:
                await s.edit(line, "# edit\n")
        for s in sessions:
            lat = [x * 1000 for x in s.latencies]
            results[s.name] = {
                "median_ms": statistics.median(lat),
                "p95_ms": percentile(lat, 0.95),
                "min_ms": min(lat),
                "edits": len(lat),
                "peak_rss_mb": peak_rss_mb(s.pid()) if s.pid() else None,
            }
        for s in sessions:
            await s.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--file", type=Path, default=Path(sysconfig.get_paths()["stdlib"]) / "_pydecimal.py")
    args = parser.parse_args()
    if not args.file.exists():
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    results = asyncio.run(run(args.file, args.edits))
    lines_count = len(args.file.read_text().splitlines())
    data = {"machine": machine_line(), "file": args.file.name, "lines": lines_count, "servers": results}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")
    hasten_key = next(k for k in results if k.startswith("hasten"))
    rows = []
    for name, r in results.items():
        ratio = results[hasten_key]["median_ms"] / r["median_ms"]
        rss = f"{r['peak_rss_mb']:.0f} MB" if r["peak_rss_mb"] else "n/a"
        rows.append(f"| {name} | {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {ratio:.2f}× | {rss} |")
    body = f"""Reproduce: `python -m benchmarks.speed.lsp_latency` (needs `pip install ruff`).
Machine: {data['machine']}.

`{args.file.name}` ({lines_count} lines), {args.edits} single-line incremental edits spread over the
file, each followed by a pull-diagnostics request; latency from sending `didChange` to the
diagnostics of that version. hasten's debounce (150 ms by default, for typing) is set to 0 here.

| server | median | p95 | hasten's median ÷ this | peak RSS |
|---|---|---|---|---|
{chr(10).join(rows)}
"""
    update_section(ROOT / "docs" / "benchmarks.md", "## Editor latency", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
