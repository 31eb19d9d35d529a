"""Every documented way of starting the server keeps the workspace's code out of it.

A workspace may ship an `argparse.py` or a `hasten/` package; `python -m hasten server` started in
it would run them. Each command from docs/editors.md and the VS Code extension's launcher is
started here with such a workspace as its working directory (what Helix, eglot and Sublime Text
do), and must answer `initialize` without running any of the workspace's files.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.server_start import (
    EDITORS_DOC,
    ROOT,
    documented_commands,
    hasten_executable,
    hostile_workspace,
    runnable,
    start_and_stop,
    vscode_launcher,
    vscode_server_args,
)

EDITOR_SECTIONS = ("Neovim 0.11", "Neovim 0.8", "Helix", "Emacs", "Sublime Text")

needs_executable = pytest.mark.skipif(
    not hasten_executable().exists(), reason=f"no hasten executable beside {sys.executable} (pip install the project)"
)


def _uses_python_m(argv) -> bool:
    return any(arg == "-m" for arg in argv) and "hasten" in argv


def test_every_editor_section_documents_a_command():
    commands = documented_commands()
    for section in EDITOR_SECTIONS:
        assert any(c.editor.startswith(section) for c in commands), f"no server command found under '{section}' in {EDITORS_DOC.name}"


def test_no_documented_command_runs_python_m_hasten():
    offending = [c.snippet for c in documented_commands() if _uses_python_m(c.argv)]
    assert not offending, f"`-m` puts the working folder (the project) first on sys.path: {offending}"


def test_neovim_configs_start_outside_the_project():
    configs = [c for c in documented_commands() if c.editor.startswith("Neovim") and not c.inline]
    assert len(configs) >= 4, "expected the four Neovim configurations (0.11, 0.8-0.10, 0.7, lspconfig)"
    missing = [c.snippet for c in configs if not c.sets_cwd]
    assert not missing, f"Neovim starts servers in its own working folder unless `cmd_cwd` is set: {missing}"


def test_the_documented_launcher_is_the_extensions():
    launchers = {c.argv[2] for c in documented_commands() if c.argv[:2] == ("python3", "-c")}
    assert launchers == {vscode_launcher()}, "docs/editors.md and vscode-client/src/config.ts show different launchers"


def test_the_launcher_calls_the_hasten_executables_entry_point():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    entry = re.search(r'^hasten\s*=\s*"([\w.]+):(\w+)"', pyproject, re.MULTILINE)
    assert entry, "no `hasten = \"module:function\"` under [project.scripts] in pyproject.toml"
    module, function = entry.groups()
    assert f"from {module} import {function}" in vscode_launcher(), (
        f"the launcher must start what the hasten executable starts ({module}:{function})"
    )


@pytest.fixture
def hostile(tmp_path):
    marker = tmp_path / "workspace-code-ran"
    workspace = hostile_workspace(tmp_path / "workspace", marker)
    return workspace, marker


def test_the_hostile_workspace_does_take_over_python_m(hostile):
    """The check below is not vacuous: `python -m hasten` run in this workspace runs its code."""
    workspace, marker = hostile
    subprocess.run([sys.executable, "-m", "hasten", "--version"], cwd=workspace, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert marker.exists()


def _unique_commands():
    seen = {}
    for command in documented_commands():
        seen.setdefault(command.argv, command)
    return list(seen.values())


@needs_executable
@pytest.mark.parametrize("command", _unique_commands(), ids=lambda c: " ".join(c.argv)[:60])
def test_documented_command_does_not_import_from_the_workspace(hostile, command):
    workspace, marker = hostile
    result = start_and_stop(runnable(command.argv), cwd=workspace, root=workspace)
    assert not marker.exists(), f"`{command.snippet}` ran {marker.read_text()} from the workspace"
    assert result.initialized, f"`{command.snippet}` did not answer initialize (exit {result.exit_code}):\n{result.stderr}"


@needs_executable
@pytest.mark.skipif(os.name == "nt" or shutil.which("sh") is None, reason="the sh wrapper is for Linux and macOS")
def test_the_documented_sh_wrapper_does_not_import_from_the_workspace(hostile):
    workspace, marker = hostile
    wrapper = re.findall(r"`sh -c '([^']*)'`", EDITORS_DOC.read_text(encoding="utf-8"))
    assert wrapper, "docs/editors.md no longer shows the `sh -c '...'` wrapper"
    env_path = f"{hasten_executable().parent}{os.pathsep}{os.environ.get('PATH', '')}"
    argv = ["env", f"PATH={env_path}", "sh", "-c", wrapper[0]]
    result = start_and_stop(argv, cwd=workspace, root=workspace)
    assert not marker.exists(), marker.read_text()
    assert result.initialized, result.stderr


def test_vscode_start_does_not_import_from_the_workspace(hostile):
    """The extension's command line, even in the worst case of the workspace as working folder (the
    extension itself starts the server elsewhere; its Node tests check that)."""
    workspace, marker = hostile
    result = start_and_stop([sys.executable, *vscode_server_args()], cwd=workspace, root=workspace)
    assert not marker.exists(), f"the extension's launcher ran {marker.read_text()} from the workspace"
    assert result.initialized, f"the launcher did not start the server (exit {result.exit_code}):\n{result.stderr}"


def test_vscode_launcher_finds_hasten_with_a_user_pythonpath(hostile, tmp_path):
    """Unlike `python -I`, the launcher keeps PYTHONPATH, where hasten may be installed."""
    workspace, marker = hostile
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "hasten_probe_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    code = vscode_launcher().replace(
        "from hasten.server.cli import main; sys.exit(main())", "import hasten_probe_module, hasten.server.cli; print(hasten_probe_module.VALUE)"
    )
    env = {**os.environ, "PYTHONPATH": str(extra)}
    done = subprocess.run([sys.executable, "-c", code], cwd=workspace, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr
    assert not marker.exists()


def test_workspace_path_is_not_on_the_launchers_sys_path(hostile):
    workspace, _ = hostile
    code = vscode_launcher().replace("from hasten.server.cli import main; sys.exit(main())", "print(repr(sys.path))")
    done = subprocess.run([sys.executable, "-c", code], cwd=workspace, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    entries = ast.literal_eval(done.stdout)
    resolved = {str(Path(p or ".").resolve()) for p in entries if not p or Path(p).exists()}
    assert str(workspace.resolve()) not in resolved and "" not in entries, entries
