"""The values one worker step works with: typed inputs, folded glue, merges and conditions.

A step receives raw JSON text: workflow inputs (``--input name=value``) and the outputs of
the steps it depends on (``--value node.output=value``). Values are decoded lazily, with the
Python type the producing function declares (a task's return annotation, a workflow input's
annotation), so dataclasses and pydantic models come back as themselves; ``glue`` nodes are
evaluated here with those values, in the namespace of the workflow's module, and ``merge``
nodes pick the case whose branch arms were taken.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic

from flytec.model.plan import Binding, ConstRef, ErrorRef, InputRef, ItemRef, Node, Plan
from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.inputs import _hints, convert
from flytec.runtime.loader import load_module

_MISSING = object()


def decode(raw: str, annotation: Any) -> Any:
    """JSON text as a value of ``annotation`` (untyped JSON when it cannot be validated)."""
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    if annotation is None or annotation is Any or annotation is inspect.Parameter.empty:
        return value
    from_cli = getattr(annotation, "_flytec_from_cli", None)
    if callable(from_cli) and isinstance(value, str):  # a File/Dir/DataFrame by its path
        return from_cli(value)
    try:
        return pydantic.TypeAdapter(annotation).validate_python(value)
    except (pydantic.ValidationError, pydantic.PydanticSchemaGenerationError, TypeError):
        return value


def output_types(func: Any) -> list[Any]:
    """The types of a function's outputs: a ``tuple[A, B]`` return is two outputs."""
    hints = _hints(func)
    ret = hints.get("return", Any)
    if typing.get_origin(ret) is tuple:
        args = typing.get_args(ret)
        if args and args[-1] is not Ellipsis:
            return list(args)
    return [ret]


def split_outputs(value: Any, names: list[str], func: Any | None) -> dict[str, Any]:
    """A result as named outputs (``o0``, ``o1`` ... for a tuple return)."""
    if len(names) > 1 and isinstance(value, tuple) and len(value) == len(names):
        return dict(zip(names, value))
    if func is not None and len(output_types(func)) > 1 and isinstance(value, tuple):
        return {f"o{i}": v for i, v in enumerate(value)}
    return {names[0] if names else "o0": value}


def apply_index(value: Any, index: list[int | str]) -> Any:
    for i, step in enumerate(index):
        if step == "*":
            return [apply_index(v, list(index[i + 1:])) for v in value]
        value = getattr(value, step) if isinstance(step, str) and not isinstance(
            value, dict) else value[step]
    return value


class Modules:
    """The user's modules, loaded with the shim from the project root."""

    def __init__(self, plan: Plan, root: Path) -> None:
        self.root = root
        self.paths: dict[str, str] = {plan.source.module: plan.source.path}
        for callee in plan.callees.values():
            mod, path = callee.source.get("module"), callee.source.get("path")
            if isinstance(mod, str) and isinstance(path, str):
                self.paths.setdefault(mod, path)
        self._loaded: dict[str, ModuleType] = {}

    def module(self, name: str) -> ModuleType:
        if name not in self._loaded:
            rel = self.paths.get(name) or name.replace(".", "/") + ".py"
            path = self.root / rel
            if not path.is_file():
                raise RuntimeUsageError(
                    f"cannot find the code of module {name} at {path} (is the project in the "
                    f"image, at the working directory?)")
            self._loaded[name] = load_module(path)
        return self._loaded[name]

    def function(self, ref: str) -> Any:
        """``module:qualname`` -> the object (a task template, a traced function...)."""
        mod, _, qual = ref.partition(":")
        obj: Any = self.module(mod)
        for part in qual.split("."):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                raise RuntimeUsageError(f"no `{qual}` in module {mod}") from None
        return obj


def plain(obj: Any) -> Any:
    """The Python function behind a task template or a traced function."""
    return getattr(obj, "func", None) or getattr(obj, "__wrapped__", None) or obj


class Values:
    """Resolves the bindings of a plan's nodes from the raw values a step was given."""

    def __init__(self, plan: Plan, modules: Modules, inputs: dict[str, str],
                 values: dict[str, str]) -> None:
        self.plan = plan
        self.modules = modules
        self.raw_inputs = inputs
        self.raw_values = values
        self.nodes = {n.id: n for n in plan.nodes}
        self._cache: dict[tuple[str, str], Any] = {}
        self._input_hints: dict[str, Any] | None = None

    # -- the workflow's module and inputs ---------------------------------------------------
    def namespace(self) -> dict[str, Any]:
        return dict(vars(self.modules.module(self.plan.source.module)))

    def input(self, name: str) -> Any:
        if self._input_hints is None:
            fn = self.modules.function(f"{self.plan.source.module}:{self.plan.source.function}")
            self._input_hints = _hints(plain(fn))
        raw = self.raw_inputs.get(name)
        if raw is None:
            for spec in self.plan.inputs:
                if spec.name == name and not spec.required:
                    return spec.default
            raise RuntimeUsageError(f"missing input --input {name}=...")
        return convert(name, raw, self._input_hints.get(name, Any))

    # -- step outputs ------------------------------------------------------------------------
    def step_type(self, node: Node, output: str, aggregated: bool) -> Any:
        if output == "arm" and node.kind == "branch":
            return str
        t: Any = Any
        if node.function:
            types = output_types(plain(self.modules.function(node.function)))
            idx = int(output[1:]) if output[1:].isdigit() else 0
            t = types[idx] if idx < len(types) else Any
        if node.kind == "map" or aggregated:
            return list[t]
        return t

    def step(self, node_id: str, output: str) -> Any:
        key = f"{node_id}.{output}"
        if key not in self.raw_values:
            raise RuntimeUsageError(f"missing value --value {key}=...")
        node = self.nodes[node_id]
        parent = self.nodes.get(node.parent) if node.parent else None
        aggregated = parent is not None and parent.kind == "fanout"
        return decode(self.raw_values[key], self.step_type(node, output, aggregated))

    # -- bindings ----------------------------------------------------------------------------
    def resolve(self, b: Binding | None) -> Any:
        if b is None or isinstance(b, ConstRef):
            return None if b is None else b.value
        if isinstance(b, InputRef):
            return apply_index(self.input(b.name), b.index)
        if isinstance(b, (ItemRef, ErrorRef)):
            raise RuntimeUsageError(f"a `{b.from_}` value cannot be computed by a worker step")
        return apply_index(self.output(b.node, b.output), b.index)

    def output(self, node_id: str, output: str) -> Any:
        key = (node_id, output)
        if key in self._cache:
            return self._cache[key]
        node = self.nodes.get(node_id)
        if node is None:
            raise RuntimeUsageError(f"bad plan: unknown node {node_id}")
        if node.kind in ("task", "map", "trace", "branch"):
            value = self.step(node_id, output)
        elif node.kind == "fanout":
            value = self.resolve((node.collect or {}).get(output))  # type: ignore[arg-type]
        elif node.kind == "glue":
            value = self.glue(node).get(output)
        elif node.kind == "merge":
            value = self.merge(node, output)
        else:
            raise RuntimeUsageError(f"the value of a `{node.kind}` node is not available here")
        self._cache[key] = value
        return value

    def glue(self, node: Node) -> dict[str, Any]:
        ns = self.namespace()
        for name, b in node.inputs.items():
            ns[name] = self.resolve(b)
        code = node.code or "None"
        if node.mode == "exec":
            exec(compile(code, f"<glue {node.id}>", "exec"), ns)  # noqa: S102 - the user's code
            return {o: ns.get(o) for o in node.outputs}
        value = eval(compile(code, f"<glue {node.id}>", "eval"), ns)  # noqa: S307
        if inspect.isawaitable(value):
            value = _run(value)
        return {(node.outputs or ["o0"])[0]: value}

    def merge(self, node: Node, output: str) -> Any:
        for case in (node.cases or {}).get(output, []):
            if all(self.arm(c.node) == c.arm for c in case.when):
                return self.resolve(case.source)
        raise RuntimeUsageError(f"merge {node.id}: no case was taken")

    def arm(self, node_id: str) -> str:
        value = self.output(node_id, "arm")
        return str(value)

    def condition(self, node: Node) -> str:
        """The arm a branch node takes."""
        ns = self.namespace()
        for name, b in node.inputs.items():
            ns[name] = self.resolve(b)
        value = eval(compile(node.condition or "False", f"<if {node.id}>", "eval"), ns)  # noqa: S307
        if inspect.isawaitable(value):
            value = _run(value)
        arms = node.arms or ["then", "else"]
        return arms[0] if value else arms[-1]


def _run(awaitable: Any) -> Any:
    async def wait() -> Any:
        return await awaitable

    return asyncio.run(wait())
