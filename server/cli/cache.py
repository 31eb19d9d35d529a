"""The CLI's content-hash cache (``.hasten_cache``): unchanged files are not analyzed again.

A cache entry is keyed by the file's text, its path, every setting that changes what ``check``
reports (the whole effective configuration, the model's settings included) and the hasten
version, so any change to one of them is a miss. Entries are small JSON files, each signed with a
key kept in the user's own cache directory (not in the project): an entry hasten did not write
for this user — committed to a repository, forged, truncated — is a miss, and so is one that
fails validation (types, known rule codes, positions inside the file, no control characters).
A ``.hasten_cache`` that is a symbolic link is not used at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import replace
from pathlib import Path

from hasten import __version__
from hasten.analyzers.config import Config
from hasten.analyzers.finding import Applicability, Finding, Severity
from hasten.server.usercache import sign, signed_payload, user_key

CACHE_DIR = ".hasten_cache"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def config_key(config: Config, path: str) -> str:
    """Every setting that can change the findings and notes of ``path``: the whole configuration
    (selection, severities, preview, target version, metrics, model) except what only decides
    where files are (root, exclude) or how verification runs; per-file ignores as they apply."""
    relevant = replace(config, root=None, exclude=(), per_file_ignores=(), verify=type(config.verify)())
    return repr((relevant, config.ignores_for(path)))


def _usable_dir(root: Path, *parts: str) -> bool:
    """``root/.hasten_cache`` and the folders ``parts`` below it are ours to use: each absent, or a
    real directory (not a link that would send entries, or a ``.gitignore``, somewhere else)."""
    folder = root
    for name in (CACHE_DIR, *parts):
        folder = folder / name
        try:
            info = os.lstat(folder)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode):
            return False
    return True


def _valid(data: object, text: str) -> tuple[list[Finding], list[str]] | None:
    """The entry's findings and notes if it has the shape hasten writes, else None."""
    from hasten.analyzers.registry import rules_by_code

    if not isinstance(data, dict) or not isinstance(data.get("findings"), list) or not isinstance(data.get("notes"), list):
        return None
    if not all(isinstance(n, str) and not _CONTROL.search(n) for n in data["notes"]):
        return None
    size = len(text.encode("utf-8", errors="surrogatepass"))
    codes = rules_by_code()
    findings = []
    for item in data["findings"]:
        if not isinstance(item, dict) or not all(type(item.get(k)) is int for k in ("start", "end")):
            return None
        if not all(isinstance(item.get(k), str) for k in ("code", "name", "message", "severity")):
            return None
        try:
            finding = Finding.from_json(item)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        strings = [finding.code, finding.name, finding.message] + ([finding.fix.title] + [e.content for e in finding.fix.edits] if finding.fix else [])
        if finding.code not in codes or not all(isinstance(s, str) for s in strings):
            return None
        if any(_CONTROL.search(s) for s in (finding.code, finding.name, finding.message, finding.fix.title if finding.fix else "")):
            return None
        spans = [(finding.start, finding.end)] + ([(e.start, e.end) for e in finding.fix.edits] if finding.fix else [])
        if not all(0 <= a <= b <= size for a, b in spans):
            return None
        if not isinstance(finding.severity, Severity) or (finding.fix and not isinstance(finding.fix.applicability, Applicability)):
            return None
        findings.append(finding)
    return findings, list(data["notes"])


class Cache:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.secret = user_key() if _usable_dir(self.root) else None
        self.dir = self.root / CACHE_DIR / __version__
        self.hits = 0
        self.misses = 0

    def _key(self, text: str, config: Config, path: str) -> str:
        digest = hashlib.sha256()
        digest.update(text.encode("utf-8", errors="surrogatepass"))
        digest.update(b"\0")
        digest.update(config_key(config, path).encode())
        digest.update(b"\0")
        digest.update(path.encode("utf-8", errors="surrogatepass"))
        return digest.hexdigest()

    def get(self, text: str, config: Config, path: str) -> tuple[list[Finding], list[str]] | None:
        if self.secret is None:
            return None
        key = self._key(text, config, path)
        entry = self.dir / key[:2] / key
        result = None
        try:
            if _usable_dir(self.root, __version__, key[:2]) and not entry.is_symlink():
                payload = signed_payload(self.secret, key, entry.read_text(encoding="utf-8"))
                if payload is not None:
                    result = _valid(json.loads(payload), text)
        except (OSError, ValueError, RecursionError):
            result = None
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, text: str, config: Config, path: str, findings: list[Finding], notes: list[str]) -> None:
        if self.secret is None:
            return
        key = self._key(text, config, path)
        entry = self.dir / key[:2] / key
        try:
            if not _usable_dir(self.root, __version__, key[:2]):
                return
            entry.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.dir.parent / ".gitignore"
            if not os.path.lexists(gitignore):
                fd = os.open(gitignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
                with os.fdopen(fd, "w") as handle:
                    handle.write("# created by hasten\n*\n")
            payload = json.dumps({"findings": [f.to_json() for f in findings], "notes": notes})
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(f"{sign(self.secret, key, payload)}\n{payload}", encoding="utf-8")
            os.replace(tmp, entry)
        except OSError:
            pass  # a read-only tree simply runs without a cache
