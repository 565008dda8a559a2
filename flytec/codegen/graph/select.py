"""The view ``flytec graph PATH[::TASK]`` draws, as a library call: the CLI, the docs
extensions and the report all go through :func:`graph_view`, so they draw the same picture."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flytec.codegen.graph.view import View
    from flytec.codegen.plan.select import Loaded
    from flytec.config import Config
    from flytec.model.diagnostic import Diagnostic
    from flytec.model.plan import Plan


class GraphError(Exception):
    """Why there is no picture (no such task, an ambiguous name, a bad revision): one line;
    ``notes``: what the load said before it failed; ``errors``: the files it could not read
    or parse (often why the task is missing)."""

    def __init__(self, message: str, notes: list[str] | None = None,
                 errors: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.notes = notes or []
        self.errors = errors or []


@dataclass
class GraphResult:
    """A view and what the load said along the way: ``notes`` (files left out, notebooks
    skipped) and ``errors`` (files that could not be read or parsed: shown, not fatal)."""

    view: View
    notes: list[str] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    loaded: Loaded | None = None


def workflow_view(plan: Plan, detail: str,
                  unawaited: frozenset[tuple[int, int]] = frozenset()) -> View:
    """The picture of one workflow: glue folded into edges unless ``detail`` is ``full``;
    ``unawaited``: where check reports FLY103."""
    from flytec.codegen.graph.collapse import collapse
    from flytec.codegen.graph.view import plan_view

    view = plan_view(plan, unawaited)
    return view if detail == "full" else collapse(view)


def graph_view(abs_path: Path, task_name: str | None, cwd: Path, config: Config,
               rev: str | None = None, detail: str = "summary") -> GraphResult:
    """TASK's workflow in ``abs_path`` (``task_name`` given) or the call graph of ``abs_path``;
    with ``rev``, what changed since that git revision. Raises GraphError, PathError."""
    from flytec.codegen.graph.callgraph import callgraph_view
    from flytec.codegen.graph.view import unawaited_calls
    from flytec.codegen.plan import PlanAssembler
    from flytec.codegen.plan.select import load_project, match_task
    from flytec.compiler.workflow import extract

    loaded = load_project([abs_path], cwd, config)
    program = loaded.result.program
    project = loaded.result.project
    notes = [*project.notes, *loaded.result.notes]
    key = None
    if task_name is not None:
        hits = match_task(program.tasks, loaded.requested, task_name)
        if not hits:
            known = ", ".join(sorted(program.tasks[k].function.name
                                     for k in loaded.requested)) or "none"
            raise GraphError(f"no task `{task_name}` in {project.display(abs_path)} "
                             f"(tasks: {known})", notes, list(loaded.errors))
        if len(hits) > 1:
            raise GraphError(f"`{task_name}` is ambiguous: "
                             + ", ".join(program.tasks[k].fqn for k in hits)
                             + " (use env.function)", notes)
        key = hits[0]
    if key is not None:
        plan = PlanAssembler(program, project).plan(extract(program, key))
        view = workflow_view(plan, detail,
                             unawaited_calls(loaded.result.diagnostics, program.tasks[key].path))
    else:
        shown = project.display(abs_path) if abs_path != cwd else "."
        view = callgraph_view(program, loaded.requested, loaded.result.diagnostics,
                              f"call graph of {shown}")
    if rev is not None:
        try:
            view = _diff(abs_path, config, rev, task_name, key, view, loaded, detail)
        except GraphError as e:
            raise GraphError(str(e), notes) from None
    return GraphResult(view=view, notes=notes, errors=list(loaded.errors), loaded=loaded)


def _diff(abs_path: Path, config: Config, rev: str, task_name: str | None,
          key: str | None, view: View, loaded: Loaded, detail: str) -> View:
    from flytec.codegen.graph.callgraph import callgraph_view
    from flytec.codegen.graph.diff import (
        DiffError,
        compare,
        diff_callgraph_view,
        diff_workflow_view,
        export_to_temp,
        git_root,
    )
    from flytec.codegen.graph.view import View
    from flytec.codegen.plan import PlanAssembler
    from flytec.codegen.plan.select import load_project, match_task
    from flytec.compiler.workflow import extract_all

    try:
        repo = git_root(abs_path if abs_path.is_dir() else abs_path.parent)
        tmp = export_to_temp(repo, rev)
    except DiffError as e:
        raise GraphError(str(e)) from None
    with tmp:
        old_root = Path(tmp.name)
        old_path = old_root / abs_path.resolve().relative_to(repo.resolve())
        new_plans = plans_of(loaded)
        if not old_path.exists():
            old_view = View(title=view.title)
            old_plans: list[Plan] = []
        else:
            old_loaded = load_project([old_path], old_root, config)
            old_plans = plans_of(old_loaded)
            old_prog = old_loaded.result.program
            if key is not None:
                assert task_name is not None
                hits = match_task(old_prog.tasks, old_loaded.requested, task_name)
                if hits:
                    plan = PlanAssembler(old_prog, old_loaded.result.project).plan(
                        extract_all(old_prog)[hits[0]])
                    old_view = workflow_view(plan, detail)
                else:
                    old_view = View(title=view.title)
            else:
                old_view = callgraph_view(old_prog, old_loaded.requested,
                                          old_loaded.result.diagnostics, view.title)
    changes = compare(old_plans, new_plans)
    if key is not None:
        out = diff_workflow_view(old_view, view)
        out.title = f"{view.title}: changes since {rev}"
        return out
    return diff_callgraph_view(old_view, view, changes, rev)


def plans_of(loaded: Loaded) -> list[Plan]:
    """The plan of every requested task of a loaded project."""
    from flytec.codegen.plan import PlanAssembler
    from flytec.compiler.workflow import extract_all

    program = loaded.result.program
    workflows = extract_all(program)
    assembler = PlanAssembler(program, loaded.result.project)
    plans = [assembler.plan(workflows[k]) for k in loaded.requested]
    assembler.hasher.save()
    return plans
