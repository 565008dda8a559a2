"""The result index of the incremental check: one sealed JSON file per project and settings.

It remembers, for every module flytec parsed, its content key, the project files it imports
and what each of its module look-ups found (under which file layout); and for every file
flytec reported on, its content key and its diagnostics. Entries are sealed with the user's
cache key (:mod:`flytec.cache_trust`): an index flytec did not write for this user is a miss.
A missing, corrupt, foreign or stale index is simply empty.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flytec.cache_trust import seal, unseal
from flytec.model.diagnostic import Diagnostic, diagnostic_from_json, diagnostic_to_json

SCHEMA = 1
_PURPOSE = "check-results"


@dataclass
class ModuleFacts:
    key: str  # content key
    imports: list[str]  # display paths of the project files it imports
    lookups: dict[str, str | None]  # module name asked for -> display path found (or none)
    layout: str  # the project's file layout when the look-ups were made


@dataclass
class FileResult:
    key: str
    diagnostics: list[Diagnostic]


@dataclass
class ResultIndex:
    fingerprint: str
    modules: dict[str, ModuleFacts] = field(default_factory=dict)
    results: dict[str, FileResult] = field(default_factory=dict)

    # ----------------------------------------------------------------------- disk

    @staticmethod
    def file(cache_dir: Path, fingerprint: str) -> Path:
        return cache_dir / "results" / f"{fingerprint[:32]}.json"

    @classmethod
    def read(cls, cache_dir: Path, fingerprint: str) -> ResultIndex:
        empty = cls(fingerprint)
        try:
            blob = cls.file(cache_dir, fingerprint).read_bytes()
        except OSError:
            return empty
        payload = unseal(_PURPOSE, blob)
        if payload is None:
            return empty
        try:
            data = json.loads(payload)
            if data.get("schema") != SCHEMA or data.get("fingerprint") != fingerprint:
                return empty
            modules = {
                str(p): ModuleFacts(str(k), [str(i) for i in imps],
                                    {str(n): None if f is None else str(f)
                                     for n, f in lookups.items()}, str(layout))
                for p, (k, imps, lookups, layout) in data["modules"].items()
            }
            results = {
                str(p): FileResult(str(k), [diagnostic_from_json(d) for d in diags])
                for p, (k, diags) in data["results"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError):
            return empty
        return cls(fingerprint, modules, results)

    def write(self, cache_dir: Path) -> None:
        """Write the index, merged with whatever another run wrote meanwhile (the entries
        of this run win); a failure to write is ignored."""
        on_disk = ResultIndex.read(cache_dir, self.fingerprint)
        modules = {**on_disk.modules, **self.modules}
        results = {**on_disk.results, **self.results}
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "fingerprint": self.fingerprint,
            "modules": {
                p: [m.key, m.imports, m.lookups, m.layout] for p, m in sorted(modules.items())
            },
            "results": {
                p: [r.key, [diagnostic_to_json(d) for d in r.diagnostics]]
                for p, r in sorted(results.items())
            },
        }
        target = self.file(cache_dir, self.fingerprint)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(seal(_PURPOSE, json.dumps(data, separators=(",", ":")).encode()))
            os.replace(tmp, target)
        except OSError:
            pass


@functools.cache
def flytec_code_id() -> str:
    """Which flytec code is running: its version and the size and time of each of its source
    files, so results of an edited (development) install are never reused. Computed once per
    process: the code a process runs is the code it loaded (a long-running language server
    keeps it)."""
    from flytec import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    base = Path(__file__).resolve().parent.parent
    stack = [str(base)]
    entries: list[str] = []
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        if e.name != "__pycache__":
                            stack.append(e.path)
                    elif e.name.endswith((".py", ".pyi", ".json", ".j2")):
                        st = e.stat()
                        entries.append(f"{e.path}\0{st.st_size}\0{st.st_mtime_ns}")
        except OSError:
            continue
    for entry in sorted(entries):
        h.update(entry.encode("utf-8", "surrogateescape"))
    return h.hexdigest()
