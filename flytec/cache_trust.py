"""Who may write flytec's caches: entries are sealed with a key that never lives in a project.

Every cache flytec reads back (the IR cache and the type-check results under
``.flytec_cache/``, cached task outputs and the recovery journal in the run store) is sealed:
an HMAC-SHA256 over the entry, keyed by a secret of the user's, stored outside every project.
An entry whose seal does not verify (one committed to a repository, copied from another
machine, truncated or edited) is a cache miss, never an error. So a cache directory shipped
in a pull request can neither run code nor change what ``flytec check`` reports.

The key is, in order:

- ``$FLYTEC_CACHE_KEY`` (any string; for CI jobs that restore ``.flytec_cache`` between runs,
  set it from a CI secret);
- the file ``flytec/cache-key`` in the user's cache directory (``$XDG_CACHE_HOME`` or
  ``~/.cache``; ``%LOCALAPPDATA%`` on Windows, ``~/Library/Caches`` on macOS), created on
  first use with 32 random bytes and mode 0600, and used only while it is owned by the user
  and writable by nobody else;
- otherwise a random key for this process alone (caches then work within one run only).

docs/caches.md describes the trust model for users.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path

MAGIC = b"FLYTEC-SEAL-1\n"
_DIGEST = hashlib.sha256().digest_size
_KEY_ENV = "FLYTEC_CACHE_KEY"
_key: bytes | None = None


def user_cache_dir() -> Path:
    """The per-user cache directory of the platform (not created)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) if base else Path.home() / "AppData" / "Local"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"


def key_file() -> Path:
    return user_cache_dir() / "flytec" / "cache-key"


def _trusted_file(path: Path) -> bool:
    """A key file only its owner, the current user, can write (always true on Windows)."""
    if not hasattr(os, "getuid"):
        return True
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _read_key_file(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if len(text) != 64 or not _trusted_file(path):
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None


def _create_key_file(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key_file(path)  # another process made it first
    except OSError:
        return None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key


def cache_key() -> bytes:
    """The sealing key of this process (read or made once)."""
    global _key
    if _key is None:
        configured = os.environ.get(_KEY_ENV)
        if configured:
            _key = hashlib.sha256(b"flytec-cache-key\0" + configured.encode("utf-8")).digest()
        else:
            path = key_file()
            found = _read_key_file(path) if path.exists() else _create_key_file(path)
            _key = found if found is not None else secrets.token_bytes(32)
    return _key


def reset_key() -> None:
    """Forget the key of this process (tests change ``$FLYTEC_CACHE_KEY``)."""
    global _key
    _key = None


def _mac(purpose: bytes, payload: bytes) -> bytes:
    mac = hmac.new(cache_key(), purpose + b"\0", hashlib.sha256)
    mac.update(payload)
    return mac.digest()


def seal(purpose: str, payload: bytes) -> bytes:
    """``payload`` with its seal; ``purpose`` keeps one cache's entries out of another's."""
    return MAGIC + _mac(purpose.encode(), payload) + payload


def unseal(purpose: str, blob: bytes) -> bytes | None:
    """The payload of a sealed entry, or None when it was not sealed with this user's key."""
    head = len(MAGIC)
    if len(blob) < head + _DIGEST or not blob.startswith(MAGIC):
        return None
    mac, payload = blob[head : head + _DIGEST], blob[head + _DIGEST :]
    return payload if hmac.compare_digest(mac, _mac(purpose.encode(), payload)) else None


def private_name(purpose: str) -> str:
    """A directory name derived from the key: for caches written by other tools (mypy) whose
    entries flytec cannot seal, so a directory committed to a repository is never used."""
    return _mac(purpose.encode(), b"directory").hex()[:16]
