"""A real Neovim (headless) attaches hasten, shows its diagnostics, and applies a quick fix."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hasten.analyzers.checker import check
from hasten.analyzers.config import load_config
from hasten.analyzers.finding import Applicability
from hasten.analyzers.fixes import apply_edits
from hasten.analyzers.source import Source
from tests.editors.server_start import hasten_executable

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "shop" / "inventory.py"
DRIVER = Path(__file__).with_name("nvim_driver.lua")

pytestmark = pytest.mark.skipif(
    shutil.which("nvim") is None, reason="neovim is not installed (Debian: apt-get install neovim; .ci/run installs it)"
)


def test_neovim_diagnostics_and_quick_fix(tmp_path):
    if not hasten_executable().exists():
        pytest.skip(f"no hasten executable at {hasten_executable()}: the driver starts the server as docs/editors.md does")
    # A copy of the example project, so the user-visible files never change.
    project = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", project, ignore=shutil.ignore_patterns("__pycache__", ".hasten_cache"))
    target = project / "shop" / EXAMPLE.name
    text = target.read_text()
    config, _ = load_config(target)
    source = Source(text, str(target))
    findings = [f for f in check(source, config).findings if f.code != "HS900"]
    assert findings, "the example file should have findings"
    safe = next(f for f in findings if f.fix and f.fix.applicability is Applicability.SAFE)

    out = tmp_path / "result.json"
    args = [str(hasten_executable()), str(target), str(out), safe.code]
    vim_list = "[" + ",".join(json.dumps(a) for a in args) + "]"
    proc = subprocess.run(
        ["nvim", "--headless", "--clean", "-n", "-i", "NONE",
         "--cmd", f"let g:hasten_args = {vim_list}", "-c", f"luafile {DRIVER}"],
        capture_output=True, text=True, timeout=90, cwd=tmp_path, stdin=subprocess.DEVNULL,
    )
    assert out.exists(), f"neovim wrote no result (exit {proc.returncode}): {proc.stderr[-2000:]}"
    result = json.loads(out.read_text())
    assert "error" not in result, result

    # Every diagnostic is at the position the analysis core computes (0-based, UTF-16 = ASCII here).
    expected = sorted(
        (f.code, source.byte_to_lsp(f.start).line, source.byte_to_lsp(f.start).character) for f in findings
    )
    seen = sorted((d["code"], d["lnum"], d["col"]) for d in result["diagnostics"] if d["code"] != "HS900")
    assert seen == expected
    assert all(d["source"] == "hasten" for d in result["diagnostics"])

    # The preferred quick fix was applied, and the buffer equals the fix applied by the core.
    assert result["applied"] == safe.fix.title
    fixed = apply_edits(source.data, list(safe.fix.edits)).decode()
    assert result["lines"] == fixed.split("\n")[: len(result["lines"])]
    assert "\n".join(result["lines"]).rstrip("\n") == fixed.rstrip("\n")
