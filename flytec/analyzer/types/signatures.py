"""Task signatures as mypy infers them: what the plans use for input and output types."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class TaskParam:
    """One parameter of a task.

    ``type`` is mypy's display form (``list[str]``); ``qualified_type`` spells every class
    with its module (``builtins.list[builtins.str]``).
    """

    name: str
    type: str
    qualified_type: str
    required: bool = True
    keyword_only: bool = False


@dataclass(frozen=True, slots=True)
class TaskSignature:
    """A task's inputs and outputs.

    ``returns`` is what the call gives after ``await`` (``tuple[int, str]``); ``outputs`` are
    the task's outputs ``o0, o1, ...`` (one per element of a returned tuple, none for None).
    ``task`` is the display name ``env.function`` (filled in once known).
    """

    qualname: str
    function: str
    path: str
    line: int
    is_async: bool
    params: tuple[TaskParam, ...]
    returns: str
    qualified_returns: str
    outputs: tuple[str, ...]
    output_names: tuple[str, ...]
    params_known: bool = True
    task: str = field(default="")

    @property
    def display_name(self) -> str:
        return self.task or self.function

    def param(self, name: str) -> TaskParam | None:
        return next((p for p in self.params if p.name == name), None)

    def render(self) -> str:
        """``(x: int, y: int = ...) -> int``."""
        if not self.params_known:
            return f"(...) -> {self.returns}"
        parts: list[str] = []
        star = False
        for p in self.params:
            if p.keyword_only and not star:
                parts.append("*")
                star = True
            parts.append(f"{p.name}: {p.type}" + ("" if p.required else " = ..."))
        return f"({', '.join(parts)}) -> {self.returns}"

    def named(self, task: str) -> TaskSignature:
        return replace(self, task=task)

    def to_json(self) -> dict[str, Any]:
        return {
            "qualname": self.qualname,
            "function": self.function,
            "path": self.path,
            "line": self.line,
            "is_async": self.is_async,
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "qualified_type": p.qualified_type,
                    "required": p.required,
                    "keyword_only": p.keyword_only,
                }
                for p in self.params
            ],
            "returns": self.returns,
            "qualified_returns": self.qualified_returns,
            "outputs": list(self.outputs),
            "output_names": list(self.output_names),
            "params_known": self.params_known,
            "task": self.task,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> TaskSignature:
        return TaskSignature(
            qualname=str(data["qualname"]),
            function=str(data["function"]),
            path=str(data["path"]),
            line=int(data["line"]),
            is_async=bool(data["is_async"]),
            params=tuple(
                TaskParam(
                    name=str(p["name"]),
                    type=str(p["type"]),
                    qualified_type=str(p["qualified_type"]),
                    required=bool(p["required"]),
                    keyword_only=bool(p["keyword_only"]),
                )
                for p in data["params"]
            ),
            returns=str(data["returns"]),
            qualified_returns=str(data["qualified_returns"]),
            outputs=tuple(str(o) for o in data["outputs"]),
            output_names=tuple(str(o) for o in data["output_names"]),
            params_known=bool(data["params_known"]),
            task=str(data["task"]),
        )


class TaskResolver(Protocol):
    """Finds the task a dotted name in a module refers to (``["other", "add"]``)."""

    def resolve(self, module: str, parts: tuple[str, ...]) -> TaskSignature | None: ...


class NoTasks:
    """A resolver that knows no task."""

    def resolve(self, module: str, parts: tuple[str, ...]) -> TaskSignature | None:
        return None
