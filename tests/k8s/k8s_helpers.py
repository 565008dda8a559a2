"""Helpers of the Kubernetes tests: the example plans, built once per session."""

from __future__ import annotations

import json
import re
import shlex
from functools import lru_cache
from pathlib import Path

from flytec.model.plan import Plan

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
_RUN = re.compile(r"^# flytec-example: run (\S+)(.*)$", re.M)
_EXPECT = re.compile(r"^# flytec-expect: (.*)$", re.M)


@lru_cache(maxsize=1)
def example_plans() -> tuple[Plan, ...]:
    """The plans of every task in examples/ (as ``flytec build examples/`` writes them)."""
    from flytec.analyzer.check import project_for
    from flytec.codegen.plan import build_plans
    from flytec.codegen.plan.select import load_project
    from flytec.config import load_config

    config = load_config(project_for([EXAMPLES], REPO))
    loaded = load_project([EXAMPLES], REPO, config)
    pairs = build_plans(loaded.result.program, loaded.result.project, loaded.requested)
    return tuple(plan for _, plan in pairs)


def plans_of(relpath: str) -> list[Plan]:
    """The plans of the tasks defined in one example file (``examples/<relpath>``)."""
    path = f"examples/{relpath}"
    return [p for p in example_plans() if p.source.path == path]


def plan_named(task: str) -> Plan:
    return next(p for p in example_plans() if p.task == task)


def runnable_examples() -> list[tuple[str, str, list[str], object]]:
    """(relative path, task function, run arguments, expected result) of runnable examples."""
    out = []
    for path in sorted(EXAMPLES.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        run, expect = _RUN.search(text), _EXPECT.search(text)
        if run and expect:
            out.append((str(path.relative_to(EXAMPLES)), run.group(1),
                        shlex.split(run.group(2)), json.loads(expect.group(1))))
    return out


def workflow_parameters(args: list[str]) -> dict[str, str]:
    """``--name json`` run arguments as Argo workflow parameters (``-p name=json``)."""
    out: dict[str, str] = {}
    for i in range(0, len(args), 2):
        out[args[i].lstrip("-").replace("-", "_")] = args[i + 1]
    return out


def flytec_lines(stderr: str) -> list[str]:
    """The lines flytec itself wrote to standard error (``flytec: ...``, ``flytec worker:
    ...``), without what the interpreter or a site-wide hook may print around them."""
    return [line for line in stderr.splitlines() if line.startswith("flytec")]
