"""A stand-in for flyteplugins-wandb's configuration context managers (see ../../README.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator, KeysView
from contextlib import AbstractContextManager
from typing import Any

import flyte


class _Config:
    def __init__(self, prefix: str, fields: dict[str, Any]) -> None:
        self._values = {
            f"{prefix}_{k}": json.dumps(v) if isinstance(v, (list, dict, bool)) else str(v)
            for k, v in fields.items() if v is not None
        }
        self._cm: AbstractContextManager[None] | None = None

    def keys(self) -> KeysView[str]:
        return self._values.keys()

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __enter__(self) -> _Config:
        self._cm = flyte.custom_context(**self._values)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._cm is not None
        self._cm.__exit__(*exc)  # type: ignore[arg-type]


def wandb_config(**fields: Any) -> _Config:
    return _Config("wandb", {"run_mode": "auto", "rank_scope": "global",
                             "download_logs": False, **fields})


def wandb_sweep_config(**fields: Any) -> _Config:
    return _Config("wandb_sweep", fields)
