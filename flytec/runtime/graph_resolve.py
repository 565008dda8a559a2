"""Finding the live objects a plan names: modules, task templates, functions, exception types.

Plans name things as the compiler sees the project (``examples.etl:extract``, module names
relative to the project root); the runtime imported the same files under the names Python
gives them (``etl``). :func:`find_module` maps one to the other by the module's file.
"""

from __future__ import annotations

import builtins
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any


class NotExecutable(Exception):
    """The plan cannot be executed as a graph; the task's body is run instead (the message says
    why)."""


def find_module(name: str, root: Path | None = None) -> ModuleType | None:
    """The loaded module the compiler calls ``name`` (``a.b.c``): by name, else by file."""
    found = sys.modules.get(name)
    if found is not None:
        return found
    parts = name.split(".")
    tail = Path(*parts)
    for candidate in (tail.with_suffix(".py"), tail / "__init__.py"):
        for mod in list(sys.modules.values()):
            file = getattr(mod, "__file__", None)
            if isinstance(file, str) and Path(file).resolve().parts[-len(candidate.parts):] \
                    == candidate.parts:
                if root is None or Path(file).resolve().is_relative_to(root.resolve()):
                    return mod
    for i in range(1, len(parts)):  # a module of the project imported under a shorter name
        short = sys.modules.get(".".join(parts[i:]))
        if short is not None:
            return short
    if parts[0] == "flyte":
        try:
            return importlib.import_module(name)
        except ImportError:
            return None
    return None


def attr_path(obj: Any, path: list[str]) -> Any:
    for part in path:
        obj = getattr(obj, part)
    return obj


def resolve_function(ref: str, root: Path | None = None) -> Any:
    """``module:qualname`` -> the object (raises NotExecutable)."""
    module_name, _, qualname = ref.partition(":")
    module = find_module(module_name, root)
    if module is None or not qualname:
        raise NotExecutable(f"cannot find `{ref}` among the loaded modules")
    try:
        return attr_path(module, qualname.split("."))
    except AttributeError:
        raise NotExecutable(f"`{ref}` is not defined at run time") from None


def resolve_dotted(name: str, namespace: dict[str, Any], root: Path | None = None) -> Any:
    """A dotted (``flyte.errors.OOMError``, ``ValueError``) or ``module:qualname`` name."""
    if ":" in name:
        return resolve_function(name, root)
    parts = name.split(".")
    if len(parts) == 1 and hasattr(builtins, name):
        return getattr(builtins, name)
    if parts[0] in namespace:
        try:
            return attr_path(namespace[parts[0]], parts[1:])
        except AttributeError:
            pass
    for i in range(len(parts) - 1, 0, -1):
        module = find_module(".".join(parts[:i]), root)
        if module is not None:
            try:
                return attr_path(module, parts[i:])
            except AttributeError:
                continue
    raise NotExecutable(f"cannot resolve `{name}` at run time")


def exception_types(
    names: list[str], namespace: dict[str, Any], root: Path | None = None
) -> tuple[type[BaseException], ...]:
    out: list[type[BaseException]] = []
    for name in names:
        obj = resolve_dotted(name, namespace, root)
        if not (isinstance(obj, type) and issubclass(obj, BaseException)):
            raise NotExecutable(f"`{name}` is not an exception type at run time")
        out.append(obj)
    return tuple(out)


def static_value(value: Any, namespace: dict[str, Any], root: Path | None = None) -> Any:
    """Rebuild a plan's static value: ``{"call": ...}`` calls, ``{"dynamic": ...}`` fails."""
    if isinstance(value, list):
        return [static_value(v, namespace, root) for v in value]
    if isinstance(value, dict):
        if "dynamic" in value and len(value) == 1:
            raise NotExecutable(f"`{value['dynamic']}` is only known at run time")
        if isinstance(value.get("call"), str) and set(value) <= {"call", "args", "kwargs"}:
            func = resolve_dotted(value["call"], namespace, root)
            args = static_value(value.get("args", []), namespace, root)
            kwargs = static_value(value.get("kwargs", {}), namespace, root)
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                raise NotExecutable(f"cannot rebuild `{value['call']}(...)`: {exc}") from None
        return {k: static_value(v, namespace, root) for k, v in value.items()}
    return value


def task_registry() -> dict[str, Any]:
    """The shim's tasks by identity (``env.function``)."""
    registry: dict[str, Any] = importlib.import_module("flyte")._task_registry()
    return registry
