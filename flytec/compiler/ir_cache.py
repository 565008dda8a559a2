"""The per-file IR cache: one pickle per content key under ``.flytec_cache/ir/<version>/``.

The cache is an optimisation only: a missing, unreadable or foreign entry is a miss, and a
write that fails is ignored. Entries are written to a temporary file and renamed, so
concurrent runs (and parse workers) never see half a file.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from flytec import __version__
from flytec.model.module import IR_FORMAT, ModuleIR


def entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / "ir" / f"{__version__}-{IR_FORMAT}" / key[:2] / f"{key}.pickle"


def read(file: Path) -> ModuleIR | None:
    try:
        with file.open("rb") as fh:
            obj = pickle.load(fh)
    except Exception:
        return None
    return obj if isinstance(obj, ModuleIR) else None


def write(file: Path, ir: ModuleIR) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(ir, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except Exception:
        pass
