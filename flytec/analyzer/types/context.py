"""What rewording a mypy message needs to know about its file, and what it produces."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from flytec.analyzer.types.call_sites import SourceFile, callee, dotted, strip_await
from flytec.analyzer.types.signatures import TaskResolver, TaskSignature


@dataclass(frozen=True, slots=True)
class Finding:
    """A mypy message in task terms: the rule code, message, help and task."""

    code: str
    message: str
    help: str = ""
    task: str | None = None


@dataclass(frozen=True)
class FileContext:
    """One checked file: its display path, mypy module name, source and task lookup."""

    path: str
    module: str
    source: SourceFile
    resolver: TaskResolver
    name_of: Callable[[TaskSignature], str]

    def task_of_call(self, expr: ast.expr) -> tuple[ast.Call, TaskSignature, str] | None:
        """If ``expr`` (or what it awaits) calls a task: the call, the task, and the method
        (``""``, ``"aio"``, ``"forward"`` or ``"override"``)."""
        inner = strip_await(expr)
        if not isinstance(inner, ast.Call):
            return None
        target = callee(inner)
        if target is None:
            return None
        signature = self.resolver.resolve(self.module, target.parts)
        if signature is None:
            return None
        return inner, signature, target.method

    def task_named(self, expr: ast.expr) -> TaskSignature | None:
        """The task a (dotted) name expression refers to."""
        parts = dotted(expr)
        return self.resolver.resolve(self.module, parts) if parts else None

    def display(self, signature: TaskSignature) -> str:
        return self.name_of(signature)


def quoted(message: str) -> list[str]:
    """The double-quoted parts of a mypy message, in order."""
    return re.findall(r'"([^"]*)"', message)


def awaits_coroutine(signature: TaskSignature, method: str) -> bool:
    """Whether calling the task this way gives a coroutine."""
    return method == "aio" or signature.is_async
