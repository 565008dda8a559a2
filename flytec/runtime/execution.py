"""Static or dynamic: how the root task of a run is executed.

*Static*: the task's plan is a static workflow, so the root action's body is the plan, run
as a dataflow graph (``graph.py``); the task's own function is not called. *Dynamic*: the
task's Python body runs and the tasks it calls are scheduled as it calls them (leaf tasks,
dynamic workflows, ``--dynamic``, or a plan flytec cannot execute).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flytec.model.plan import Plan
from flytec.runtime.controller import Controller
from flytec.runtime.graph import execute_plan
from flytec.runtime.graph_index import prepare
from flytec.runtime.graph_resolve import NotExecutable

STATIC, DYNAMIC = "static", "dynamic"


@dataclass
class Execution:
    mode: str  # "static" | "dynamic"
    note: str | None  # for dynamic runs: why the body runs
    nodes: int = 0
    fallback: bool = False  # a static plan that cannot run as a graph here: the body runs

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"execution": self.mode}
        if self.note:
            out["execution_note"] = self.note
        return out

    def describe(self) -> str:
        if self.mode == STATIC:
            return f"static: its plan's {self.nodes} nodes run as a graph"
        return f"dynamic: {self.note}" if self.note else "dynamic"


class _PlanBody:
    """A stand-in root template whose body executes the plan (the controller reads its spec)."""

    def __init__(self, template: Any, spec: Any) -> None:
        self.name = template.name
        self.func = spec.func
        self.__dict__["_flytec_spec"] = spec


def choose(
    template: Any,
    plan: Plan | None,
    note: str | None,
    *,
    force_dynamic: bool,
    project_root: Path | None,
) -> tuple[Any, Execution]:
    """The root template to run (the plan as its body when static) and how it runs."""
    if force_dynamic:
        return template, Execution(DYNAMIC, "--dynamic")
    if plan is None:
        return template, Execution(DYNAMIC, note or "no plan")
    try:
        prepared = prepare(plan, template, project_root)
    except NotExecutable as exc:
        fallback = plan.static and plan.kind == "workflow"
        return template, Execution(DYNAMIC, str(exc), fallback=fallback)

    async def body(**kwargs: Any) -> Any:
        return await execute_plan(prepared, kwargs)

    original = Controller.spec(template)
    spec = dataclasses.replace(original, func=body, is_async=True,
                               _code_hash=original.code_hash)
    return _PlanBody(template, spec), Execution(STATIC, None, len(plan.nodes))
