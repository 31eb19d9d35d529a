"""Run the project's tests (or a given command) once under the sampling profiler, in the same
kind of isolated copy verification uses, and store the merged profile in the project.

Only an explicit request runs code: ``hasten profile`` or the editor's command; never config.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config, load_config
from hasten.analyzers.finding import Finding
from hasten.analyzers.source import Source
from hasten.analyzers.syntax.tree import enclosing_function
from hasten.server.cli.files import python_files, read_source_file
from hasten.server.profile.measure import finding_names, measured_lines
from hasten.server.profile.promote import promotable_rules
from hasten.server.profile.store import Profile, merge, save
from hasten.server.verify.session import project_interpreter, test_command
from hasten.server.verify.process import Limits, RunResult, run_limited
from hasten.server.verify.project import copy_project, find_project_root, new_workdir, remove_tree
from hasten.server.verify.target import qualname_of

SAMPLER = Path(__file__).with_name("_sampler.py")
SITECUSTOMIZE = Path(__file__).with_name("_sitecustomize.py")
INTERVAL = 0.001
MAX_NAMES_PER_LINE = 6

Progress = Callable[[str, str, "int | None"], None]


@dataclass
class Plan:
    """What to watch: functions whose calls are counted, lines whose containers are sized."""

    targets: dict[str, list[str]] = field(default_factory=dict)
    flagged: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    findings: dict[str, tuple[Source, list[Finding]]] = field(default_factory=dict)
    candidates: dict[str, list[Finding]] = field(default_factory=dict)  # of the rules a profile may promote


@dataclass
class ProfileRun:
    profile: Profile | None
    result: RunResult | None
    message: str  # one line: what ran and how it ended
    problems: list[str] = field(default_factory=list)
    path: Path | None = None  # where the profile was stored
    plan: Plan | None = None

    @property
    def ok(self) -> bool:
        return self.profile is not None and not self.problems


def plan_for(root: Path, config: Config) -> Plan:
    """Check the project's files (analysis only: nothing runs) and list what to watch."""
    plan = Plan()
    files, _errors = python_files([str(root)], config.exclude)
    for path in files:
        try:
            text = read_source_file(path)
        except (OSError, UnicodeDecodeError):
            continue
        rel = Path(path).resolve().relative_to(root).as_posix()
        source = Source(text, str(path))
        file_config, _ = load_config(str(path))
        findings = check(source, file_config).findings
        # The preview rules a profile may promote are watched too (their findings are listed
        # only where the measure proves them: see promote.py).
        rules = promotable_rules(file_config, str(path))
        candidates = check(source, file_config, rules=rules, earlier=findings).findings if rules else []
        if not findings and not candidates:
            continue
        plan.findings[rel] = (source, findings)
        if candidates:
            plan.candidates[rel] = candidates
        qualnames: set[str] = set()
        lines: dict[str, list[str]] = {}
        for finding in findings + candidates:
            node = source.tree.root_node.descendant_for_byte_range(finding.start, finding.start)
            function = enclosing_function(node) if node is not None else None
            if function is not None:
                qualname = qualname_of(function)
                if "<locals>" not in qualname:
                    qualnames.add(qualname)
            # Sampled wherever the loop around the finding is seen (see measured_lines).
            names = finding_names(source, finding)
            _scope, first, last = measured_lines(source, finding)
            for line in range(first, last + 1):
                known = lines.setdefault(str(line), [])
                known.extend(n for n in names if n not in known)
                del known[MAX_NAMES_PER_LINE:]
        if qualnames:
            plan.targets[rel] = sorted(qualnames)
        if lines:
            plan.flagged[rel] = lines
    return plan


def _environment(helpers: Path, copy: Path, config_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(helpers), str(copy)]
    if (copy / "src").is_dir():
        paths.append(str(copy / "src"))
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["HASTEN_PROFILE"] = str(config_path)
    for name in ("PYTEST_CURRENT_TEST", "HASTEN_VERIFY_PLUGIN"):
        env.pop(name, None)
    env["PYTEST_ADDOPTS"] = (env.get("PYTEST_ADDOPTS", "") + " -p no:cacheprovider").strip()
    return env


def profile_project(
    path: str | os.PathLike,
    command: list[str] | None = None,
    *,
    config: Config | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    store: bool = True,
) -> ProfileRun:
    """Profile the project around ``path``: its test command, or ``command``. Stores the result
    in ``<root>/.hasten/profile.json`` (unless ``store`` is false) and returns it with a message."""
    progress = progress or (lambda stage, message, percent=None: None)
    if config is None:
        config, _ = load_config(str(path))
    root = find_project_root(path, config.root)
    vcfg = config.verify
    if command:
        vcfg = replace(vcfg, test_command=shlex.join(command))
    interpreter = project_interpreter(root, vcfg)
    argv = test_command(vcfg, interpreter)
    shown = shlex.join(command) if command else vcfg.test_command
    progress("planning", "finding the code to watch", 0)
    plan = plan_for(root, config)
    workdir = new_workdir()
    try:
        helpers = workdir / "_hasten"
        helpers.mkdir()
        shutil.copyfile(SAMPLER, helpers / "hasten_profile_sampler.py")
        shutil.copyfile(SITECUSTOMIZE, helpers / "sitecustomize.py")
        out = workdir / "samples"
        out.mkdir()
        progress("copying", "copying the project", 5)
        copy = copy_project(root, workdir / "project")
        config_path = workdir / "profile.json"
        config_path.write_text(json.dumps({
            # The original root too: an editable install in the project's environment may import from it.
            "roots": [str(copy), str(root)], "out": str(out), "interval": INTERVAL,
            "targets": plan.targets, "flagged": plan.flagged,
        }), encoding="utf-8")
        progress("running", f"running `{shown}` under the profiler", 10)
        limits = Limits(timeout=timeout or vcfg.timeout, memory_mb=vcfg.memory_mb)
        started = time.monotonic()
        result = run_limited(argv, copy, _environment(helpers, copy, config_path), limits, workdir, cancel, "profile")
        wall = time.monotonic() - started
        parts = []
        for part in sorted(out.glob("*.json")):
            try:
                parts.append(json.loads(part.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue  # a process killed while writing: its previous file was replaced atomically
        profile = merge(parts, root, copy, command=argv, wall_seconds=wall,
                        exit_code=result.returncode, timed_out=result.timed_out) if parts else None
    finally:
        remove_tree(workdir)
    problems = []
    if result.timed_out:
        problems.append(f"`{shown}` timed out after {result.seconds:.0f} s (raise it with --timeout); the profile covers the time before")
    elif result.returncode not in (0, None):
        what = "the tests failed" if not command else f"`{shown}` failed"
        problems.append(f"{what} (exit {result.returncode}); the profile covers what ran:\n{_indent(result.tail(8))}")
    if result.killed_escapees:
        problems.append(f"{result.killed_escapees} process{'es' if result.killed_escapees != 1 else ''} outlived the run and {'were' if result.killed_escapees != 1 else 'was'} killed")
    if profile is None or profile.samples == 0:
        reason = ("no Python process of the run reported samples" if profile is None
                  else "the run used too little CPU time to sample")
        if result.tail(3):
            reason += f" (exit {result.returncode}):\n{_indent(result.tail(8))}"
        return ProfileRun(None, result, f"no profile: {reason}", problems, plan=plan)
    stored = save(profile) if store else None
    message = (
        f"profiled `{shown}`: {profile.cpu_seconds:.2f} s of CPU in {profile.samples:,} samples"
        f" ({wall:.1f} s wall, {profile.processes} process{'es' if profile.processes != 1 else ''})"
    )
    return ProfileRun(profile, result, message, problems, stored, plan)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
