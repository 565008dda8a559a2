"""The digests of canonical code forms, kept between runs under ``.flytec_cache/code/``.

Parsing a definition with libcst to get its canonical form costs about a millisecond; a build
hashes every task's reachable code, so the digests are kept in one JSON map per flytec version
and canonical form (and implementation of it), keyed by a hash of the code text. Like the IR
cache it is an optimisation only: an unreadable map is empty, a failed write is ignored, and a
write goes to a temporary file that is then renamed. The map is sealed with the user's cache
key (:mod:`flytec.cache_trust`): a map committed to a repository is never read, so it cannot
change a code hash.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from flytec import __version__
from flytec.cache_trust import seal, unseal
from flytec.compiler.frontend import canonical
from flytec.compiler.frontend.canonical import CANONICAL_VERSION

_PURPOSE = "code-forms"
MAX_ENTRIES = 50_000  # past this the map starts again from the entries of the current run


def _form_tag() -> str:
    """The flytec version, the form's version and a hash of the code computing it (so an
    edited canonical.py never reads digests of the old form, even before a version bump)."""
    try:
        impl = Path(canonical.__file__).read_bytes()
    except OSError:
        impl = b""
    return f"{__version__}-{CANONICAL_VERSION}-{hashlib.blake2b(impl, digest_size=6).hexdigest()}"


def text_key(code: str) -> str:
    return hashlib.blake2b(code.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class FormCache:
    def __init__(self, cache_dir: Path | None) -> None:
        self.file = (cache_dir / "code" / f"{_form_tag()}.json"
                     if cache_dir is not None else None)
        self._map: dict[str, str] | None = None
        self._used: dict[str, str] = {}
        self._dirty = False

    def _load(self) -> dict[str, str]:
        if self._map is None:
            self._map = {}
            if self.file is not None:
                try:
                    payload = unseal(_PURPOSE, self.file.read_bytes())
                    # a map flytec did not write for this user could change code hashes
                    data = json.loads(payload) if payload is not None else {}
                    if isinstance(data, dict):
                        self._map = {k: v for k, v in data.items()
                                     if isinstance(k, str) and isinstance(v, str)}
                except (OSError, ValueError):
                    pass
        return self._map

    def get(self, key: str) -> str | None:
        value = self._load().get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put(self, key: str, digest: str) -> None:
        self._load()[key] = digest
        self._used[key] = digest
        self._dirty = True

    def save(self) -> None:
        """Write the map if this run added to it."""
        if not self._dirty or self.file is None or self._map is None:
            return
        data = self._map if len(self._map) <= MAX_ENTRIES else self._used
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(seal(_PURPOSE, json.dumps(data, sort_keys=True).encode("utf-8")))
            os.replace(tmp, self.file)
            self._dirty = False
        except OSError:
            pass
