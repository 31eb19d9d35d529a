"""The CLI's content-hash cache (``.hasten_cache``): unchanged files are not analyzed again.

A cache entry is keyed by the file's text, the effective configuration, and the hasten version,
so any change to one of them is a miss. Entries are small JSON files; a corrupt entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from hasten import __version__
from hasten.analyzers.config import Config
from hasten.analyzers.finding import Finding

CACHE_DIR = ".hasten_cache"


def config_key(config: Config, path: str) -> str:
    ignores = config.ignores_for(path)
    return repr((config.select, config.extend_select, config.ignore, ignores, config.preview,
                 config.target_version, config.target_version_origin, config.severity, config.metrics))


class Cache:
    def __init__(self, root: str | os.PathLike):
        self.dir = Path(root) / CACHE_DIR / __version__
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
        entry = self.dir / self._key(text, config, path)[:2] / self._key(text, config, path)
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            result = [Finding.from_json(f) for f in data["findings"]], list(data["notes"])
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, text: str, config: Config, path: str, findings: list[Finding], notes: list[str]) -> None:
        key = self._key(text, config, path)
        entry = self.dir / key[:2] / key
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            if not (self.dir.parent / ".gitignore").exists():
                (self.dir.parent / ".gitignore").write_text("# created by hasten\n*\n")
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"findings": [f.to_json() for f in findings], "notes": notes}), encoding="utf-8")
            os.replace(tmp, entry)
        except OSError:
            pass  # a read-only tree simply runs without a cache
