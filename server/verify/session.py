"""One verification's environment: the project's interpreter and test command, the standalone
helper scripts copied into each run, and the session that owns the temporary copies and runs."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
import threading
from pathlib import Path
from typing import Callable

from hasten.analyzers.config import VerifyConfig
from hasten.analyzers.source import encode_like
from hasten.server.verify.process import Limits, RunResult, run_limited
from hasten.server.verify.project import copy_project, new_workdir, remove_tree

# The standalone scripts each run imports, copied under names no project uses: the pytest plugin,
# the replay script with its parts (they import each other by these names), and the statistics.
HELPERS = {
    "_plugin.py": "hasten_verify_plugin.py",
    "_replay.py": "hasten_verify_replay.py",
    "_replay_compare.py": "hasten_verify_replay_compare.py",
    "_replay_timing.py": "hasten_verify_replay_timing.py",
    "_replay_scale.py": "hasten_verify_replay_scale.py",
    "stats.py": "hasten_verify_stats.py",
}

Progress = Callable[[str, str, "int | None"], None]


# -- environment --------------------------------------------------------------------------------

def project_interpreter(root: Path, config: VerifyConfig) -> str:
    if config.interpreter:
        return config.interpreter
    for venv in (".venv", "venv", "env", ".env"):
        for candidate in (root / venv / "bin" / "python", root / venv / "Scripts" / "python.exe"):
            if candidate.is_file():
                return str(candidate)
    return sys.executable


def test_command(config: VerifyConfig, interpreter: str) -> list[str]:
    argv = shlex.split(config.test_command)
    if not argv:
        argv = ["pytest"]
    if argv[0] == "pytest":
        return [interpreter, "-m", "pytest", *argv[1:]]
    if argv[0] in ("python", "python3"):
        return [interpreter, *argv[1:]]
    return argv


class _Session:
    """One verification's temporary directory, environment and runs."""

    def __init__(self, root: Path, config: VerifyConfig, cancel: threading.Event | None):
        self.root = root
        self.config = config
        self.cancel = cancel
        self.interpreter = project_interpreter(root, config)
        self.workdir = new_workdir()
        self.helpers = self.workdir / "_hasten"
        self.helpers.mkdir()
        for name, copied in HELPERS.items():
            shutil.copyfile(Path(__file__).with_name(name), self.helpers / copied)
        self.limits = Limits(timeout=config.timeout, memory_mb=config.memory_mb)
        self.runs: list[RunResult] = []
        self._copies = 0

    def copy(self, name: str, replace: dict[str, str] | None = None) -> Path:
        """A fresh copy for each run: a test that writes into or deletes from its copy cannot
        spoil the next run."""
        self._copies += 1
        destination = copy_project(self.root, self.workdir / f"{name}-{self._copies}")
        for rel, text in (replace or {}).items():
            # in the file's own encoding (PEP 263 coding, BOM), as a fix would be written back
            (destination / rel).write_bytes(encode_like(text, (self.root / rel).read_bytes()))
        return destination

    def env(self, copy: Path, plugin_config: Path | None) -> dict[str, str]:
        env = dict(os.environ)
        paths = [str(self.helpers), str(copy)]
        if (copy / "src").is_dir():
            paths.append(str(copy / "src"))
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONHASHSEED"] = "0"
        env.pop("PYTEST_CURRENT_TEST", None)
        env.pop("HASTEN_VERIFY_PLUGIN", None)
        if plugin_config is not None:
            env["HASTEN_VERIFY_PLUGIN"] = str(plugin_config)
        env["PYTEST_ADDOPTS"] = (env.get("PYTEST_ADDOPTS", "") + " -p hasten_verify_plugin -p no:cacheprovider").strip()
        return env

    def pytest(self, copy: Path, name: str, mode: str, tests: list[str] | None, timeout: float | None = None, **extra) -> tuple[RunResult, dict | None]:
        out = self.workdir / f"{name}.json"
        plugin_config = self.workdir / f"{name}.plugin.json"
        plugin_config.write_text(json.dumps({"mode": mode, "root": str(copy), "out": str(out), **extra}), encoding="utf-8")
        command = test_command(self.config, self.interpreter) + ["-q", "-p", "no:randomly"] + (tests or [])
        limits = Limits(timeout=timeout or self.limits.timeout, memory_mb=self.limits.memory_mb)
        result = run_limited(command, copy, self.env(copy, plugin_config), limits, self.workdir, self.cancel, name)
        self.runs.append(result)
        data = None
        if out.is_file():
            try:
                data = json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
        return result, data

    def close(self) -> None:
        remove_tree(self.workdir)
