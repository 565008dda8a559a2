"""Task inputs from the command line: ``--name value`` parsed by the task's annotations.

Strings stay strings; every other type is read as JSON (lists, dicts, dataclasses, pydantic
models, numbers, booleans) and validated with pydantic against the annotation; a value that is
not JSON is validated as a plain string (so ``--day 2026-01-01`` works for ``datetime.date``).
``--kebab-case`` names map to ``snake_case`` parameters; ``--flag`` alone means true for bools.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable, Sequence
from typing import Any

import pydantic

from flytec.runtime.errors import RuntimeUsageError


def _hints(func: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(func)
    except Exception:  # resolve what can be resolved, one annotation at a time
        hints: dict[str, Any] = {}
        namespace = getattr(func, "__globals__", {})
        for name, ann in getattr(func, "__annotations__", {}).items():
            if isinstance(ann, str):
                try:
                    ann = eval(ann, namespace)  # noqa: S307 - the user's own annotation
                except Exception:
                    ann = Any
            hints[name] = ann
        return hints


def type_name(annotation: Any) -> str:
    if annotation is inspect.Parameter.empty:
        return "any"
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def split_args(tokens: Sequence[str]) -> dict[str, str | None]:
    """``['--days', '[..]', '--x=1', '--flag']`` -> ``{'days': '[..]', 'x': '1', 'flag': None}``."""
    out: dict[str, str | None] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.startswith("--") or tok == "--":
            raise RuntimeUsageError(f"unexpected argument '{tok}' (inputs are --name value)")
        key, eq, value = tok[2:].partition("=")
        name = key.replace("-", "_")
        if name in out:
            raise RuntimeUsageError(f"input --{key} given twice")
        if eq:
            out[name] = value
        elif i + 1 < len(tokens) and not tokens[i + 1].startswith("--"):
            out[name] = tokens[i + 1]
            i += 1
        else:
            out[name] = None
        i += 1
    return out


def convert(name: str, raw: str | None, annotation: Any) -> Any:
    """One input value from its command-line text."""
    label = f"input --{name.replace('_', '-')} ({type_name(annotation)})"
    if raw is None:
        if annotation is bool:
            return True
        raise RuntimeUsageError(f"{label} needs a value")
    from_cli = getattr(annotation, "_flytec_from_cli", None)
    if callable(from_cli):
        model = _io_model(raw, annotation)
        return from_cli(raw) if model is None else model
    if annotation is str:  # raw text, or a JSON string literal: --currency '"EUR"'
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            try:
                decoded = json.loads(raw)
            except ValueError:
                return raw
            return decoded if isinstance(decoded, str) else raw
        return raw
    if annotation is inspect.Parameter.empty or annotation is Any:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    if annotation is bool and isinstance(value, str):
        lowered = value.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
    try:
        return pydantic.TypeAdapter(annotation).validate_python(value)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        msg = first.get("msg", "invalid value")
        suffix = f" at {where}" if where else ""
        raise RuntimeUsageError(f"{label}: {msg}{suffix}; got {raw!r}") from None
    except pydantic.PydanticSchemaGenerationError:
        return value


def _io_model(raw: str, annotation: Any) -> Any:
    """A File/Dir/DataFrame given as JSON: its object (``{"path": ...}``) or its path as a
    JSON string (``"/data/x.csv"``); None for a raw path."""
    if not raw.lstrip().startswith(("{", '"')):
        return None
    try:
        value = json.loads(raw)
        if isinstance(value, str):
            return annotation._flytec_from_cli(value)
        return pydantic.TypeAdapter(annotation).validate_python(value) if isinstance(
            value, dict) else None
    except (ValueError, pydantic.ValidationError):
        return None


def parse_inputs(func: Callable[..., Any], tokens: Sequence[str], task_name: str) -> dict[str, Any]:
    """All inputs of a task from ``--name value`` tokens; clear errors for missing or bad ones."""
    raw = split_args(tokens)
    return bind_inputs(func, raw, task_name)


def bind_inputs(
    func: Callable[..., Any], raw: dict[str, str | None], task_name: str
) -> dict[str, Any]:
    sig = inspect.signature(func)
    hints = _hints(func)
    params = {
        p.name: p
        for p in sig.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    unknown = [k for k in raw if k not in params]
    if unknown:
        takes = ", ".join(f"--{p.replace('_', '-')}" for p in params) or "no inputs"
        raise RuntimeUsageError(
            f"unknown input --{unknown[0].replace('_', '-')} for task {task_name} (takes {takes})"
        )
    values: dict[str, Any] = {}
    for pname, param in params.items():
        annotation = hints.get(pname, param.annotation)
        if pname in raw:
            values[pname] = convert(pname, raw[pname], annotation)
        elif param.default is param.empty:
            raise RuntimeUsageError(
                f"missing input --{pname.replace('_', '-')} ({type_name(annotation)})"
                f" for task {task_name}"
            )
    return values


def inputs_json(values: dict[str, Any]) -> str:
    """The inputs as stored in the run record (JSON; unencodable values as their repr)."""
    from flytec.runtime.outputs import to_jsonable

    return json.dumps({k: to_jsonable(v) for k, v in values.items()}, sort_keys=True)
