"""Reading the plan files of ``flytec build`` (only the fields the runtime needs).

A plan is JSON with at least ``{"task": "env.function", "source": {"path": "...",
"code_hash": "..."}}``; ``source.path`` is absolute or relative to the plan file's directory (or,
failing that, to the current directory). A complete ``flytec.plan/v1`` document is also parsed
into :class:`~flytec.model.plan.Plan` (``PlanRef.plan``), so a static plan runs as a graph; a
plan that is not one (an older or hand-written file) runs the task's body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flytec.model.plan import Plan
from flytec.runtime.errors import RuntimeUsageError


@dataclass(frozen=True, slots=True)
class PlanRef:
    plan_path: Path
    source_path: Path
    task: str
    code_hash: str | None
    nodes: list[dict[str, Any]] = field(default_factory=list)
    plan: Plan | None = None
    note: str | None = None  # why ``plan`` is None


def is_plan_path(target: str) -> bool:
    return target.endswith(".plan.json") or (target.endswith(".json") and "::" not in target)


def read_plan(path: str) -> PlanRef:
    file = Path(path)
    if not file.is_file():
        raise RuntimeUsageError(f"plan file not found: {path}")
    try:
        data = json.loads(file.read_text())
    except (OSError, ValueError) as exc:
        raise RuntimeUsageError(f"bad plan file {path}: {exc}".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise RuntimeUsageError(f"bad plan file {path}: expected a JSON object")
    source = data.get("source")
    task = data.get("task")
    if isinstance(task, dict):
        task = task.get("name") or task.get("id")
    if not isinstance(source, dict) or not isinstance(source.get("path"), str):
        raise RuntimeUsageError(f"bad plan file {path}: missing source.path")
    if not isinstance(task, str) or not task:
        raise RuntimeUsageError(f"bad plan file {path}: missing task")
    src = Path(source["path"])
    if not src.is_absolute():  # beside the plan, or under a directory above it (the project)
        bases = [file.parent, *file.resolve().parent.parents]
        found = next((b / src for b in bases if (b / src).is_file()), None)
        src = found if found is not None else Path.cwd() / src
    code_hash = source.get("code_hash")
    nodes = data.get("nodes")
    plan, note = _model(data)
    return PlanRef(
        plan_path=file,
        source_path=src,
        task=task,
        code_hash=code_hash if isinstance(code_hash, str) else None,
        nodes=nodes if isinstance(nodes, list) else [],
        plan=plan,
        note=note,
    )


def _model(data: dict[str, Any]) -> tuple[Plan | None, str | None]:
    from pydantic import ValidationError

    version = data.get("schema_version")
    if version != "flytec.plan/v1":
        return None, f"not a flytec.plan/v1 plan (schema_version {version!r})"
    try:
        return Plan.model_validate(data), None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        return None, f"the plan does not validate ({where}: {first.get('msg')})"
