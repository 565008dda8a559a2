"""Plans: the versioned, schema-checked JSON form of each task's recovered workflow."""

from __future__ import annotations

from flytec.codegen.plan.assemble import PlanAssembler, plan_to_json, validate_plan_text
from flytec.compiler.project import Project
from flytec.compiler.workflow import extract_all
from flytec.model.plan import Plan
from flytec.model.program import Program
from flytec.model.workflow import Workflow


def build_plans(
    program: Program, project: Project, tasks: list[str] | None = None
) -> list[tuple[Workflow, Plan]]:
    """Workflows and plans of the program's tasks (all, or the given task keys)."""
    workflows = extract_all(program)
    assembler = PlanAssembler(program, project)
    keys = tasks if tasks is not None else list(workflows)
    return [(workflows[k], assembler.plan(workflows[k])) for k in keys]


__all__ = ["PlanAssembler", "build_plans", "plan_to_json", "validate_plan_text"]
