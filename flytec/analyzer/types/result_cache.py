"""Per-file cache of type-check results under ``<root>/.flytec_cache/types/``.

An entry holds one file's diagnostics and task signatures.  It is valid while the file's
content hash, the run's fingerprint (flytec, mypy, stubs or real SDK version, options) and
the content hashes of the project modules the file imports (transitively, as mypy saw them)
are unchanged, and while the modules mypy could not find have not appeared (or gone) in the
project since (looked for next to the importer and up to the project root).

Entries are JSON sealed with the user's cache key (:mod:`flytec.cache_trust`): an entry
flytec did not write for this user (one committed to a repository) is a miss, so it cannot
hide type errors.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from flytec.analyzer.types.signatures import TaskSignature
from flytec.cache_trust import seal, unseal
from flytec.model.diagnostic import Diagnostic, diagnostic_from_json, diagnostic_to_json

_SCHEMA = 1
_PURPOSE = "types-result"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileHashes:
    """Content hashes of files, each read once per run."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}

    def set(self, path: str, data: bytes) -> str:
        digest = content_hash(data)
        self._known[path] = digest
        return digest

    def get(self, path: str) -> str | None:
        if path not in self._known:
            try:
                self._known[path] = content_hash(Path(path).read_bytes())
            except OSError:
                self._known[path] = None
        return self._known[path]


class CachedResult:
    def __init__(self, diagnostics: list[Diagnostic], signatures: list[TaskSignature]) -> None:
        self.diagnostics = diagnostics
        self.signatures = signatures


class ResultCache:
    """Reads and writes entries; a broken or unreadable entry is a miss, never an error."""

    def __init__(self, directory: Path, fingerprint: str, root: Path) -> None:
        self.directory = directory
        self.fingerprint = fingerprint
        self.root = root

    def get(self, path: str, digest: str, hashes: FileHashes) -> CachedResult | None:
        try:
            payload = unseal(_PURPOSE, self._file(path).read_bytes())
            if payload is None:
                return None  # not written by flytec for this user: never trusted
            data = json.loads(payload)
            if (
                data.get("schema") != _SCHEMA
                or data.get("fingerprint") != self.fingerprint
                or data.get("hash") != digest
            ):
                return None
            for dep, dep_hash in data["deps"].items():
                if hashes.get(dep) != dep_hash:
                    return None
            for module, existed in data["missing"].items():
                if _has_file(module, path, self.root) != existed:
                    return None
            return CachedResult(
                [diagnostic_from_json(d) for d in data["diagnostics"]],
                [TaskSignature.from_json(s) for s in data["signatures"]],
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(
        self,
        path: str,
        digest: str,
        deps: list[str],
        missing: list[str],
        result: CachedResult,
        hashes: FileHashes,
    ) -> None:
        dep_hashes = {dep: hashes.get(dep) for dep in deps if dep != path}
        if any(h is None for h in dep_hashes.values()):
            return
        entry = {
            "schema": _SCHEMA,
            "fingerprint": self.fingerprint,
            "path": path,
            "hash": digest,
            "deps": dep_hashes,
            "missing": {m: _has_file(m, path, self.root) for m in sorted(set(missing))},
            "diagnostics": [diagnostic_to_json(d) for d in result.diagnostics],
            "signatures": [s.to_json() for s in result.signatures],
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(seal(_PURPOSE, json.dumps(entry).encode("utf-8")))
            os.replace(tmp, self._file(path))
        except OSError:
            pass

    def _file(self, path: str) -> Path:
        name = hashlib.sha256(path.encode()).hexdigest()[:32]
        return self.directory / f"{name}.json"


def _has_file(module: str, importer: str, root: Path) -> bool:
    """Whether a module has a file next to the importer or above it, up to the project root."""
    relative = Path(*module.split("."))
    directory = Path(importer).parent
    bases = [directory, *directory.parents]
    for base in bases:
        if base != root and root not in base.parents:
            break
        candidate = base / relative
        if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
            return True
        if candidate.with_suffix(".pyi").exists():
            return True
    return False
