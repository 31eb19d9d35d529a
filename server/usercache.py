"""hasten's per-user cache folder (``$XDG_CACHE_HOME/hasten``, else ``~/.cache/hasten``) and the
secret there that signs what hasten stores: the CLI's content-hash cache and the language
server's remembered ``initialize`` answers. An entry whose signature does not match was not
written by hasten for this user (copied from elsewhere, forged, truncated) and is not used.

Standard-library modules only, and cheap ones: the server's start reads an entry before it
imports anything else.
"""

from __future__ import annotations

import hashlib
import hmac
import os

_SECRET: bytes | None = None


def user_cache_dir() -> str:
    """``$XDG_CACHE_HOME/hasten``, else ``~/.cache/hasten`` (not created here)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hasten")


def user_key(create: bool = True) -> bytes | None:
    """This user's secret for signing entries (``<user cache dir>/cache-key``), created on first
    use when ``create``; None when there is none and nowhere to keep one (then there is no cache)."""
    global _SECRET
    if _SECRET is not None:
        return _SECRET
    base = user_cache_dir()
    path = os.path.join(base, "cache-key")
    try:
        if create and not os.path.lexists(path):
            import secrets

            os.makedirs(base, mode=0o700, exist_ok=True)
            tmp = os.path.join(base, f"cache-key.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
            try:
                os.link(tmp, path)  # fails if another process made one first: then use that one
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        if os.path.islink(path):
            return None
        with open(path, "rb") as handle:
            data = handle.read(33)
    except (OSError, RuntimeError):
        return None
    if len(data) != 32:
        return None
    _SECRET = data
    return data


def sign(secret: bytes | None, key: str, payload: str) -> str:
    """The signature of the entry ``key`` holding ``payload``."""
    return hmac.new(secret or b"", f"{key}\0{payload}".encode("utf-8", errors="surrogatepass"), hashlib.sha256).hexdigest()


def signed_payload(secret: bytes, key: str, text: str) -> str | None:
    """The payload of an entry's text (``signature\\npayload``) when its signature is this user's
    for ``key``, else None."""
    signature, _, payload = text.partition("\n")
    expected = sign(secret, key, payload).encode()
    return payload if hmac.compare_digest(signature.encode("utf-8", errors="surrogatepass"), expected) else None
