"""The stored profile: merged from the sampler's per-process files, kept in ``.hasten/profile.json``.

Per file (keyed by its project-relative path and the SHA-256 of the content that ran):

    "lines":     {line: [seconds, samples]}   samples whose stack passed through exactly this
                                              line of the file (once per sample)
    "multi":     [[[line, ...], seconds, samples]]   samples that passed through several lines of
                                              the file at once (recursion, nested functions), so
                                              a range of lines is charged once per sample
    "functions": {"qualname:firstline": {"qualname", "line", "inclusive": [s, n], "own": [s, n],
                                         "calls": count or null,
                                         "tests": [[node id, s, n], ...],   the tests whose samples
                                              passed through the function, most time first (at
                                              most TESTS_PER_FUNCTION; only under pytest)
                                         "other_tests": [count, s, n]}}     the rest, when cut
    "sizes":     {line: {name: {"type", "max", "min", "mean", "samples"}}}

``own`` is the time a function was the innermost project frame (its own code and the library
code it calls). A test is named by its pytest node id only: no argument or variable value is
stored. A file whose content has changed since the run is dropped when loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 1
STORE_DIR = ".hasten"
STORE_NAME = "profile.json"
TESTS_PER_FUNCTION = 5  # the tests kept per function, most time first


def store_path(root: str | os.PathLike) -> Path:
    return Path(root) / STORE_DIR / STORE_NAME


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class FileProfile:
    path: str
    sha256: str
    lines: dict[int, list] = field(default_factory=dict)  # line -> [seconds, samples]
    multi: list = field(default_factory=list)  # [[lines], seconds, samples]
    functions: dict[str, dict] = field(default_factory=dict)
    sizes: dict[int, dict] = field(default_factory=dict)  # line -> {name: {...}}

    def range_time(self, first: int, last: int) -> tuple[float, int]:
        """CPU seconds and samples whose stack passed through lines first..last of this file."""
        seconds, samples = 0.0, 0
        for line, (s, n) in self.lines.items():
            if first <= line <= last:
                seconds += s
                samples += n
        for lines, s, n in self.multi:
            if any(first <= line <= last for line in lines):
                seconds += s
                samples += n
        return seconds, samples

    def function_at(self, first: int, def_line: int) -> dict | None:
        """The function whose code starts between ``first`` (its first decorator) and its def line."""
        best = None
        for entry in self.functions.values():
            if first <= entry["line"] <= def_line and (best is None or entry["inclusive"][0] > best["inclusive"][0]):
                best = entry
        return best

    def range_sizes(self, first: int, last: int) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for line, names in self.sizes.items():
            if first <= line <= last:
                for name, size in names.items():
                    if name not in out or size["max"] > out[name]["max"]:
                        out[name] = size
        return out

    def to_json(self) -> dict:
        return {
            "sha256": self.sha256,
            "lines": {str(k): v for k, v in sorted(self.lines.items())},
            "multi": self.multi,
            "functions": self.functions,
            "sizes": {str(k): v for k, v in sorted(self.sizes.items())},
        }

    @classmethod
    def from_json(cls, path: str, data: dict) -> "FileProfile":
        return cls(
            path=path,
            sha256=str(data["sha256"]),
            lines={int(k): list(v) for k, v in data.get("lines", {}).items()},
            multi=[[list(m[0]), float(m[1]), int(m[2])] for m in data.get("multi", [])],
            functions=dict(data.get("functions", {})),
            sizes={int(k): dict(v) for k, v in data.get("sizes", {}).items()},
        )


@dataclass
class Profile:
    root: Path
    files: dict[str, FileProfile]
    cpu_seconds: float  # sampled CPU time of every process of the run
    samples: int
    wall_seconds: float
    command: list[str]
    exit_code: int | None = None
    timed_out: bool = False
    processes: int = 1
    created: float = 0.0
    partial: bool = False
    interval: float = 0.001
    stale: list[str] = field(default_factory=list)  # files dropped on load: changed since the run

    def file(self, relpath: str) -> FileProfile | None:
        return self.files.get(relpath)

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "created": self.created,
            "command": self.command,
            "exit_code": self.exit_code,
            "timed_out": self.timed_out,
            "partial": self.partial,
            "processes": self.processes,
            "cpu_seconds": self.cpu_seconds,
            "samples": self.samples,
            "wall_seconds": self.wall_seconds,
            "interval": self.interval,
            "files": {path: f.to_json() for path, f in sorted(self.files.items())},
        }


def merge(parts: list[dict], root: Path, copy: Path, *, command: list[str], wall_seconds: float,
          exit_code: int | None, timed_out: bool) -> Profile:
    """One profile from the per-process files the sampler wrote in ``copy`` (a copy of ``root``)."""
    files: dict[str, FileProfile] = {}
    hashes: dict[str, str | None] = {}

    def file_for(rel: str) -> FileProfile | None:
        if rel not in hashes:
            try:
                hashes[rel] = content_hash((copy / rel).read_bytes())
            except OSError:
                hashes[rel] = None
        if hashes[rel] is None:
            return None
        if rel not in files:
            files[rel] = FileProfile(rel, hashes[rel])
        return files[rel]

    cpu = 0.0
    samples = 0
    partial = False
    multi: dict[tuple[str, tuple[int, ...]], list] = {}
    per_test: dict[tuple[str, str], dict[str, list]] = {}  # (file, function key) -> {node id: [s, n]}
    for part in parts:
        cpu += float(part.get("cpu_seconds", 0.0))
        samples += int(part.get("samples", 0))
        partial = partial or not part.get("final", False)
        codes = part.get("codes", [])
        test_ids = part.get("tests", [])
        for stack in part.get("stacks", []):
            seconds, count, flat = stack[0], stack[1], stack[2]
            index = stack[3] if len(stack) > 3 else -1
            test = test_ids[index] if 0 <= index < len(test_ids) else None
            pairs = [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
            per_file: dict[str, set[int]] = {}
            seen_codes: set[int] = set()
            for position, (index, line) in enumerate(pairs):
                rel, qualname, first = codes[index]
                if rel is None:
                    continue
                per_file.setdefault(rel, set()).add(line)
                if index in seen_codes:
                    continue
                seen_codes.add(index)
                target = file_for(rel)
                if target is None:
                    continue
                key = f"{qualname}:{first}"
                entry = target.functions.setdefault(key, {
                    "qualname": qualname, "line": first, "inclusive": [0.0, 0], "own": [0.0, 0], "calls": None,
                })
                entry["inclusive"][0] += seconds
                entry["inclusive"][1] += count
                if test is not None:
                    slot = per_test.setdefault((rel, key), {}).setdefault(test, [0.0, 0])
                    slot[0] += seconds
                    slot[1] += count
                if position == 0:
                    entry["own"][0] += seconds
                    entry["own"][1] += count
            for rel, lines in per_file.items():
                target = file_for(rel)
                if target is None:
                    continue
                if len(lines) == 1:
                    line = next(iter(lines))
                    slot = target.lines.setdefault(line, [0.0, 0])
                    slot[0] += seconds
                    slot[1] += count
                else:
                    slot = multi.setdefault((rel, tuple(sorted(lines))), [0.0, 0])
                    slot[0] += seconds
                    slot[1] += count
        for rel, qualname, line, calls in part.get("calls", []):
            target = file_for(rel)
            if target is None:
                continue
            entry = _same_function(target, qualname, line) or target.functions.setdefault(f"{qualname}:{line}", {
                "qualname": qualname, "line": line, "inclusive": [0.0, 0], "own": [0.0, 0], "calls": None,
            })
            entry["calls"] = (entry["calls"] or 0) + int(calls)
        for rel, line, name, kind, largest, smallest, count, total in part.get("sizes", []):
            target = file_for(rel)
            if target is None:
                continue
            slot = target.sizes.setdefault(int(line), {}).get(name)
            if slot is None:
                target.sizes[int(line)][name] = {"type": kind, "max": largest, "min": smallest, "samples": count, "total": total}
            else:
                slot["max"] = max(slot["max"], largest)
                slot["min"] = min(slot["min"], smallest)
                slot["samples"] += count
                slot["total"] += total
    for (rel, lines), (seconds, count) in multi.items():
        files[rel].multi.append([list(lines), seconds, count])
    for (rel, key), tests in per_test.items():
        _keep_tests(files[rel].functions[key], tests)
    for target in files.values():
        for names in target.sizes.values():
            for size in names.values():
                size["mean"] = round(size.pop("total") / max(size["samples"], 1), 1)
        for entry in target.functions.values():
            entry["inclusive"][0] = round(entry["inclusive"][0], 6)
            entry["own"][0] = round(entry["own"][0], 6)
    return Profile(
        root=root, files=files, cpu_seconds=cpu, samples=samples, wall_seconds=wall_seconds,
        command=list(command), exit_code=exit_code, timed_out=timed_out,
        processes=len(parts), created=time.time(), partial=partial or timed_out,
        interval=float(parts[0].get("interval", 0.001)) if parts else 0.001,
    )


def _keep_tests(entry: dict, tests: dict[str, list]) -> None:
    """The function's tests, most time first: the first TESTS_PER_FUNCTION by name, the rest summed."""
    ranked = sorted(tests.items(), key=lambda item: (-item[1][0], item[0]))
    entry["tests"] = [[test, round(seconds, 6), samples] for test, (seconds, samples) in ranked[:TESTS_PER_FUNCTION]]
    rest = ranked[TESTS_PER_FUNCTION:]
    if rest:
        entry["other_tests"] = [len(rest), round(sum(s for _, (s, _n) in rest), 6), sum(n for _, (_s, n) in rest)]


def _same_function(target: FileProfile, qualname: str, line: int) -> dict | None:
    """The sampled entry of a counted function. Before Python 3.11 code objects carry only the
    bare name (``m``, not ``C.m``), so the line decides."""
    for entry in target.functions.values():
        if entry["line"] == line and (entry["qualname"] == qualname or qualname.endswith("." + entry["qualname"])):
            return entry
    return None


def save(profile: Profile) -> Path:
    """Write the profile into the project (``.hasten/profile.json``; the folder ignores itself)."""
    path = store_path(profile.root)
    path.parent.mkdir(exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# hasten's local data: never committed\n*\n", encoding="utf-8")
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(profile.to_json(), separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)
    return path


class ProfileError(Exception):
    """The stored profile cannot be read."""


def load(root: str | os.PathLike) -> Profile | None:
    """The project's stored profile without the files that changed on disk since the run, or None
    when there is none. Raises ProfileError when the file is unreadable."""
    root = Path(root)
    path = store_path(root)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ProfileError(f"{path}: written by another version of hasten; run `hasten profile` again")
        files = {rel: FileProfile.from_json(rel, entry) for rel, entry in data.get("files", {}).items()}
        profile = Profile(
            root=root, files={}, cpu_seconds=float(data["cpu_seconds"]), samples=int(data["samples"]),
            wall_seconds=float(data["wall_seconds"]), command=list(data.get("command", [])),
            exit_code=data.get("exit_code"), timed_out=bool(data.get("timed_out")),
            processes=int(data.get("processes", 1)), created=float(data.get("created", 0.0)),
            partial=bool(data.get("partial")), interval=float(data.get("interval", 0.001)),
        )
    except ProfileError:
        raise
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ProfileError(f"{path}: cannot read the profile ({exc}); run `hasten profile` again") from exc
    for rel, entry in files.items():
        try:
            current = (root / rel).read_bytes()
        except OSError:
            profile.stale.append(rel)
            continue
        if content_hash(current) == entry.sha256:
            profile.files[rel] = entry
        else:
            profile.stale.append(rel)
    return profile
