"""Shared helpers of the compiler tests: compile examples and fixtures into plans."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flytec.analyzer.check import check_paths
from flytec.codegen.plan import PlanAssembler
from flytec.compiler.workflow import extract_all
from flytec.config import Config
from flytec.model.plan import Plan
from flytec.model.workflow import Workflow

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The runnable examples (and the check-only remote_ref.py): the driver task of each.
EXAMPLE_FILES = [
    "hello.py", "hello_async.py", "trace_cache.py", "two_envs.py", "reusable.py", "etl.py",
    "ml_sweep.py", "agent_loop.py", "error_recovery.py", "remote_ref.py",
    "pipelines/workflow.py", "contacts_report.ipynb",
]


@cache
def compiled(*paths: Path, cwd: Path = REPO) -> tuple[dict[str, Workflow], dict[str, Plan]]:
    """Workflows and plans (by fqn) of the tasks defined in ``paths``."""
    result = check_paths(list(paths), Config(cache=False), cwd=cwd)
    files = {p.resolve() for p in result.project.expand(list(paths))}
    keys = [k for k, t in result.program.tasks.items() if (cwd / t.path).resolve() in files]
    workflows = extract_all(result.program)
    assembler = PlanAssembler(result.program, result.project)
    wfs = {workflows[k].fqn: workflows[k] for k in sorted(keys)}
    plans = {workflows[k].fqn: assembler.plan(workflows[k]) for k in sorted(keys)}
    return wfs, plans


def example_plans() -> dict[str, Plan]:
    _, plans = compiled(*(EXAMPLES / f for f in EXAMPLE_FILES))
    return plans


def fixture_plans() -> dict[str, Plan]:
    _, plans = compiled(FIXTURES / "constructs" / "workflows.py")
    return plans
