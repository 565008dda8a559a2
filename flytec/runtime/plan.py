"""Reading the plan files of ``flytec build`` for ``flytec run PLAN.plan.json``.

A plan file must be a complete, valid ``flytec.plan/v1`` document (schema, ``schema_version``,
unique node ids, no cycles: :mod:`flytec.model.plan_checks`); anything else is refused with
the reason (exit 2), never run as the task's body instead. ``source.path`` is absolute or
relative to the plan file's directory, a directory above it (the project), or failing that
the current directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flytec.compiler.project import path_problem, read_regular
from flytec.model.plan import Plan
from flytec.model.plan_checks import PlanError, load_plan_text
from flytec.runtime.errors import RuntimeUsageError


@dataclass(frozen=True, slots=True)
class PlanRef:
    plan_path: Path
    source_path: Path
    task: str
    code_hash: str | None
    plan: Plan


def is_plan_path(target: str) -> bool:
    return target.endswith(".plan.json") or (target.endswith(".json") and "::" not in target)


def read_plan(path: str) -> PlanRef:
    """Read and validate a plan file in full (raises RuntimeUsageError naming the problem).

    The runtime runs what the plan says or refuses it: a file that is not a valid
    ``flytec.plan/v1`` plan (:func:`flytec.model.plan_checks.load_plan_text`) is never run
    as the task's body instead."""
    file = Path(path)
    problem = path_problem(file)
    if problem is not None:
        raise RuntimeUsageError(f"plan file {path}: {problem}" if "no such" not in problem
                                else f"plan file not found: {path}")
    try:
        text = read_regular(file).decode("utf-8")
    except OSError as exc:
        raise RuntimeUsageError(f"bad plan file {path}: cannot read ({exc.strerror or exc})"
                                ) from None
    except UnicodeDecodeError as exc:
        raise RuntimeUsageError(f"bad plan file {path}: not UTF-8 ({exc.reason} at byte "
                                f"{exc.start})") from None
    try:
        plan = load_plan_text(text)
    except PlanError as exc:
        raise RuntimeUsageError(f"bad plan file {path}: {exc}") from None
    src = Path(plan.source.path)
    if not src.is_absolute():  # beside the plan, or under a directory above it (the project)
        bases = [file.parent, *file.resolve().parent.parents]
        found = next((b / src for b in bases if (b / src).is_file()), None)
        src = found if found is not None else Path.cwd() / src
    return PlanRef(
        plan_path=file,
        source_path=src,
        task=plan.task,
        code_hash=plan.source.code_hash,
        plan=plan,
    )
