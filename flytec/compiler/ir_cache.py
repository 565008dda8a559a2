"""The per-file IR cache: one entry per content key under ``.flytec_cache/ir/<version>/``.

The cache is an optimisation only: a missing, unreadable, foreign or tampered entry is a
miss, and a write that fails is ignored. Entries are written to a temporary file and
renamed, so concurrent runs (and parse workers) never see half a file.

An entry is the IR pickled, sealed with the user's cache key (:mod:`flytec.cache_trust`) and
bound to its content key, so an entry flytec did not write for this user is never loaded.
Even a sealed entry is read by an unpickler that can build nothing but the IR's own plain
classes: it never imports a module or calls a function named by the file.
"""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
from pathlib import Path
from typing import Any

from flytec import __version__
from flytec.cache_trust import seal, unseal
from flytec.model import body, module, span
from flytec.model.module import IR_FORMAT, ModuleIR


def _ir_classes() -> dict[tuple[str, str], type]:
    out: dict[tuple[str, str], type] = {("builtins", "complex"): complex}
    for mod in (body, module, span):
        for name, obj in vars(mod).items():
            if (
                isinstance(obj, type)
                and obj.__module__ == mod.__name__
                and (dataclasses.is_dataclass(obj) or issubclass(obj, tuple))
            ):
                out[(mod.__name__, name)] = obj
    return out


_ALLOWED = _ir_classes()


class _IRUnpickler(pickle.Unpickler):
    """Resolves only the IR's classes; any other global in the stream is refused."""

    def find_class(self, module_name: str, name: str) -> Any:
        cls = _ALLOWED.get((module_name, name))
        if cls is None:
            raise pickle.UnpicklingError(f"not an IR class: {module_name}.{name}")
        return cls


def entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / "ir" / f"{__version__}-{IR_FORMAT}" / key[:2] / f"{key}.pickle"


def _purpose(file: Path) -> str:
    return f"ir:{__version__}-{IR_FORMAT}:{file.stem}"


def read(file: Path) -> ModuleIR | None:
    try:
        blob = file.read_bytes()
    except OSError:
        return None
    payload = unseal(_purpose(file), blob)
    if payload is None:
        return None
    try:
        obj = _IRUnpickler(io.BytesIO(payload)).load()
    except Exception:
        return None
    return obj if isinstance(obj, ModuleIR) else None


def write(file: Path, ir: ModuleIR) -> None:
    try:
        blob = seal(_purpose(file), pickle.dumps(ir, protocol=pickle.HIGHEST_PROTOCOL))
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, file)
    except Exception:
        pass
