"""What is at a position of a source file: the task a call or a definition names, and what an
editor shows about it (hover) and where it is defined (go to definition).

Positions are the model's: 1-based lines and columns counting characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flytec.compiler.workflow.extract import extract
from flytec.model.program import Dynamic, EnvRef, Program, StaticCall, SymbolRef, Task
from flytec.model.span import Span

# Environment settings and task options an editor shows, in this order.
SHOWN_SETTINGS = ("image", "resources", "cache", "retries", "timeout", "reusable", "secrets")


@dataclass(frozen=True)
class Symbol:
    """A task named at a position: by a call of it, or by its own definition."""

    task: Task
    span: Span  # what is under the cursor
    kind: str  # "call" | "definition"


def _inside(span: Span, line: int, column: int) -> bool:
    start = (span.line, span.column)
    end = (span.end_line, span.end_column)
    return start <= (line, column) <= end


def _size(span: Span) -> tuple[int, int]:
    return (span.end_line - span.line, span.end_column - span.column)


def symbol_at(program: Program, path: str, line: int, column: int) -> Symbol | None:
    """The task named at ``line:column`` of the file shown as ``path``: the innermost call of
    a task there, else the task whose ``def`` line it is."""
    module = program.paths.get(path)
    if module is None:
        return None
    best: Symbol | None = None
    for fn in program.functions.values():
        if fn.module != module:
            continue
        for site in program.calls.get(fn.key, ()):
            if site.target_kind != "task" or site.target is None:
                continue
            task = program.tasks.get(site.target)
            if task is None or not _inside(site.span, line, column):
                continue
            if best is None or _size(site.span) < _size(best.span):
                best = Symbol(task, site.span, "call")
    if best is not None:
        return best
    for task in program.tasks.values():
        if task.module == module and _inside(task.function.name_span, line, column):
            return Symbol(task, task.function.name_span, "definition")
    return None


def show(v: Any) -> str:
    """A static value as source-like text (``Resources(cpu=2, memory="4Gi")``)."""
    if isinstance(v, StaticCall):
        name = v.func.rpartition(".")[2] if v.base is None else f"{show(v.base)}.{v.func}"
        parts = [show(a) for a in v.args] + [f"{k}={show(x)}" for k, x in v.kwargs]
        return f"{name}({', '.join(parts)})"
    if isinstance(v, EnvRef):
        return v.key.rpartition(":")[2]
    if isinstance(v, SymbolRef):
        return v.key.rpartition(":")[2]
    if isinstance(v, Dynamic):
        return f"{v.text} (known at run time)"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(show(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{show(k)}: {show(x)}" for k, x in v.items()) + "}"
    if isinstance(v, str):
        return repr(v)
    return str(v)


def signature(task: Task) -> str:
    fn = task.function
    params = []
    for p in fn.params:
        star = {"vararg": "*", "varkw": "**"}.get(p.kind, "")
        text = star + p.name + (f": {p.annotation_text}" if p.annotation_text else "")
        params.append(text + (" = ..." if p.default is not None else ""))
    returns = f" -> {fn.returns_text}" if fn.returns_text else ""
    return f"{'async ' if fn.is_async else ''}def {fn.name}({', '.join(params)}){returns}"


def settings(program: Program, task: Task) -> list[tuple[str, str]]:
    """The settings that apply to a task: its own options over its environment's."""
    env = program.env_of(task)
    merged: dict[str, Any] = dict(env.config) if env is not None else {}
    merged.update(task.options)
    return [(k, show(merged[k])) for k in SHOWN_SETTINGS if k in merged]


def verdict(program: Program, task: Task) -> str:
    """Whether the task's workflow is static, and the first reason when it is not."""
    try:
        wf = extract(program, task.key)
    except RecursionError:
        return "dynamic: too deeply nested to compile"
    if not wf.calls_tasks:
        return "a leaf task (calls no tasks)"
    if wf.static:
        return f"static workflow ({sum(1 for n in wf.nodes if n.kind == 'task')} task nodes)"
    first = wf.reasons[0]
    more = f" (and {len(wf.reasons) - 1} more)" if len(wf.reasons) > 1 else ""
    return f"dynamic: line {first.span.line}: {first.message}{more}"


def hover_markdown(program: Program, task: Task) -> str:
    env = program.env_of(task)
    lines = [
        f"**task `{task.fqn}`**",
        "",
        "```python",
        signature(task),
        "```",
        "",
        f"- environment: `{env.display if env is not None else '?'}`",
    ]
    lines += [f"- {k}: `{v}`" for k, v in settings(program, task)]
    lines.append(f"- workflow: {verdict(program, task)}")
    return "\n".join(lines)
