"""Building the plan of a task in-process, as ``flytec build`` would (static analysis only:
nothing is imported or run), plus the transitive code hash of every task it can see.

``flytec run FILE.py::TASK`` uses the plan to decide how to run the task (its nodes as a graph
when it is static) and the code hashes as the cache's code versions, so a changed helper
invalidates the cache of every task that reaches it.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from flytec.model.plan import Plan


@dataclass
class Built:
    plan: Plan | None
    code_versions: dict[str, str] = field(default_factory=dict)  # task fqn -> code hash
    note: str | None = None  # why there is no plan
    project_root: Path | None = None


def build_plan(source: Path, task: str) -> Built:
    """The plan of ``task`` (function name or ``env.function``) in ``source``; never raises."""
    enabled = gc.isenabled()
    gc.disable()  # as `flytec check`: the IR is many small long-lived objects
    try:
        return _build(source.resolve(), task)
    except Exception as exc:  # flytec's own failure must not stop the run: run the body
        return Built(None, note=f"flytec could not build a plan ({type(exc).__name__}: {exc})")
    finally:
        if enabled:
            gc.enable()


def _build(source: Path, task: str) -> Built:
    from flytec.cache_dir import project_cache
    from flytec.codegen.plan.assemble import PlanAssembler
    from flytec.compiler.project import Project, find_root, load
    from flytec.compiler.recover import recover
    from flytec.compiler.workflow.context import Context
    from flytec.compiler.workflow.extract import extract, task_cycles
    from flytec.config import ConfigError, load_config

    root = find_root(source)
    try:
        config = load_config(root, None)
        exclude, include = config.exclude, config.include
        cache = project_cache(root, config.cache, config.cache_dir)
    except ConfigError:
        exclude, include, cache = [], [], None
    project = Project(root=root, exclude=exclude, include=include, cache_dir=cache,
                      cwd=Path.cwd())
    loaded = load(project, [source])
    program = recover(loaded.modules)
    here = [k for k, t in program.tasks.items()
            if Path(t.path if Path(t.path).is_absolute() else Path.cwd() / t.path).resolve()
            == source]
    keys = [k for k in here if program.tasks[k].fqn == task] or \
        [k for k in here if program.tasks[k].function.name == task]
    if len(keys) != 1:
        return Built(None, note=f"no unique task `{task}` in the static analysis of {source.name}",
                     project_root=root)
    ctx = Context(program)
    workflow = extract(program, keys[0], ctx, task_cycles(program, ctx))
    assembler = PlanAssembler(program, project)
    plan = assembler.plan(workflow)
    versions: dict[str, str] = {}
    for key in sorted(program.tasks):
        fqn = program.tasks[key].fqn
        if fqn not in versions:
            versions[fqn] = assembler.hasher.hash(key)[0]
    versions[plan.task] = plan.source.code_hash
    assembler.hasher.save()
    return Built(plan, versions, project_root=root)
