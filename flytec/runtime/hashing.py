"""Stable hashes: inputs, code, action ids and cache keys.

Hashes must be equal across processes (for the persistent cache and for resume), so inputs are
encoded canonically (sorted JSON, with a pickle fallback for values JSON cannot express).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import inspect
import json
import os
import pickle
from collections.abc import Callable, Iterable
from typing import Any

_SCALARS: frozenset[type] = frozenset({int, float, str, bool, type(None)})


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _json_default(value: Any) -> Any:
    identity = getattr(value, "_flytec_cache_identity", None)
    if identity is not None:  # File/Dir: their preset hash if any, else their path
        return identity
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__dc__": type(value).__qualname__, **dataclasses.asdict(value)}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return {"__pd__": type(value).__qualname__, **dump(mode="json")}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"not canonically encodable: {type(value).__name__}")


def canonical_bytes(kwargs: dict[str, Any]) -> bytes:
    """Encode keyword inputs canonically; equal inputs give equal bytes in every process."""
    if all(type(v) in _SCALARS for v in kwargs.values()):
        return repr(sorted(kwargs.items())).encode()
    try:
        return json.dumps(
            kwargs, sort_keys=True, default=_json_default, separators=(",", ":")
        ).encode()
    except (TypeError, ValueError):
        pass
    try:
        return pickle.dumps(sorted(kwargs.items(), key=lambda kv: kv[0]), protocol=4)
    except Exception:  # unpicklable inputs (clients, locks): fall back to their repr
        return repr(sorted(kwargs.items(), key=lambda kv: kv[0])).encode()


def inputs_hash(kwargs: dict[str, Any], ignored: Iterable[str] = ()) -> str:
    """The hash of a task's inputs, leaving out ``ignored`` names."""
    ignored = tuple(ignored)
    if ignored:
        kwargs = {k: v for k, v in kwargs.items() if k not in ignored}
    return _digest(canonical_bytes(kwargs))


def action_id(parent_id: str, identity: str, in_hash: str, seq: int, group: str | None) -> str:
    """A deterministic child action id, as Flyte derives sub-action names.

    Same parent, same task, same inputs, same group and same call sequence number give the
    same id on every execution: the key of the recovery journal.
    """
    # surrogatepass: a group name may hold a lone surrogate ("\ud800"); other text hashes as
    # plain UTF-8, so ids do not change
    return _digest(f"{parent_id}|{identity}|{in_hash}|{seq}|{group or ''}".encode(
        "utf-8", "surrogatepass"))


def code_hash(func: Callable[..., Any]) -> str:
    """Hash of a function's canonical form: the same on every Python, like the plans' hashes.

    Comments, formatting and docstrings do not matter (``flytec.compiler.frontend.canonical``).
    A function without source falls back to its bytecode, which is interpreter-specific.
    """
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        code = getattr(func, "__code__", None)
        text = "bytecode:" + repr(code.co_code if code is not None else func)
    else:
        from flytec.compiler.frontend.canonical import CANONICAL_VERSION, canonical_code

        text = f"{CANONICAL_VERSION}:{canonical_code(source)}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cache_key(identity: str, version: str, in_hash: str, salt: str) -> str:
    """The persistent cache key of one task call."""
    return hashlib.sha256(f"{identity}|{version}|{in_hash}|{salt}".encode(
        "utf-8", "surrogatepass")).hexdigest()
