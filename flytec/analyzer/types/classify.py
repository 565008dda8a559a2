"""Turn mypy's messages into flytec diagnostics: task-boundary rules first, FLY219 otherwise."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from flytec.analyzer.types.context import FileContext, Finding
from flytec.analyzer.types.mypy_output import MypyMessage
from flytec.analyzer.types.reword_calls import reword_map, reword_task_arguments
from flytec.analyzer.types.reword_results import (
    reword_await_sync,
    reword_missing_await,
    reword_result,
    reword_unpack,
)
from flytec.analyzer.types.rules import RULES_BY_CODE
from flytec.model.diagnostic import Diagnostic

Rewording = Callable[[MypyMessage, ast.expr | None, FileContext], Finding | None]

# Order matters: the most specific explanation of a message wins.
_REWORDINGS: tuple[Rewording, ...] = (
    reword_map,
    reword_missing_await,
    reword_task_arguments,
    reword_await_sync,
    reword_unpack,
    reword_result,
)
_TASK_TYPE = re.compile(r"\b(?:flyte\._task\.)?(?P<cls>AsyncTask|SyncTask)\[\[")
_IGNORED_NOTES = ('defined in "flyte.', "defined here", "Possible overload variant", "def ")


def classify(message: MypyMessage, ctx: FileContext) -> Diagnostic:
    """The diagnostic for one mypy message in the file ``ctx`` describes."""
    node = ctx.source.node_at(message.line, message.column, message.end_line, message.end_column)
    span = ctx.source.char_span(message.line, message.column, message.end_line, message.end_column)
    original = f"mypy: {message.message}" + (f"  [{message.code}]" if message.code else "")
    if message.severity == "error":
        for reword in _REWORDINGS:
            try:
                finding = reword(message, node, ctx)
            except Exception:  # a rewording bug must not lose the message: keep mypy's words
                finding = None
            if finding is not None:
                rule = RULES_BY_CODE[finding.code]
                return Diagnostic(
                    code=rule.code,
                    name=rule.name,
                    category=rule.category,
                    severity=rule.severity,
                    path=ctx.path,
                    span=span,
                    message=finding.message,
                    help=finding.help or rule.fix,
                    task=finding.task,
                    chain=(original,),
                )
    rule = RULES_BY_CODE["FLY219"]
    notes = [n.strip() for n in message.notes if not any(i in n for i in _IGNORED_NOTES)]
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        severity=rule.severity,
        path=ctx.path,
        span=span,
        message=humanize(message.message) + (f" [{message.code}]" if message.code else ""),
        help="; ".join(humanize(n) for n in notes),
        task=None,
        chain=(original,),
    )


def humanize(text: str) -> str:
    """Say flytec's stub types in task terms: ``AsyncTask[[x: int], int]`` ->
    ``async task (x: int) -> int``."""
    out: list[str] = []
    pos = 0
    for match in _TASK_TYPE.finditer(text):
        start = match.end() - 1  # at the "[" of the parameter list
        params_end = _closing(text, start)
        outer_end = _closing(text, match.end() - 2)
        if params_end < 0 or outer_end < 0:
            continue
        result = text[params_end + 1 : outer_end].lstrip(", ")
        kind = "async task" if match["cls"] == "AsyncTask" else "sync task"
        out.append(text[pos : match.start()])
        out.append(f"{kind} ({text[start + 1 : params_end]}) -> {result}")
        pos = outer_end + 1
    out.append(text[pos:])
    return "".join(out)


def _closing(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return i
    return -1
