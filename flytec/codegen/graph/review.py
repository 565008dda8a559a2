"""What a pull request changed, for reviewers: every workflow whose graph differs between a
git revision and the work tree (drawn as the union, marked added / removed / changed), the
tasks that came and went, and the ``flytec check`` findings that are new or fixed.

Both sides are compiled and checked the same way (the revision's files exported with
``git archive``, see :mod:`flytec.codegen.graph.diff`); nothing is imported or run.
:mod:`flytec.codegen.graph.markdown_diff` writes the result as a pull-request comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flytec.codegen.graph.finding_diff import Finding, FindingChanges, compare_findings, findings
from flytec.codegen.graph.view import View

if TYPE_CHECKING:
    from flytec.codegen.plan.select import Loaded
    from flytec.config import Config
    from flytec.model.plan import Plan


@dataclass
class Counts:
    """How many nodes and edges of a drawn workflow were added, removed and changed."""

    nodes: dict[str, int] = field(default_factory=lambda: {"added": 0, "removed": 0,
                                                           "changed": 0})
    edges: dict[str, int] = field(default_factory=lambda: {"added": 0, "removed": 0,
                                                           "changed": 0})

    @property
    def any(self) -> bool:
        return any(self.nodes.values()) or any(self.edges.values())


@dataclass
class WorkflowChange:
    """One workflow whose graph changed; ``view``: the union of both, each node and edge
    marked with its status."""

    task: str  # env.function
    status: str  # "added" | "removed" | "changed"
    location: str  # path:line (in the work tree; at the revision for a removed one)
    view: View
    counts: Counts
    dynamic: tuple[bool, bool]  # (at the revision, now)


@dataclass
class ReviewChanges:
    rev: str
    scope: str  # what was compared: "." or a path, with ::TASK
    workflows: list[WorkflowChange] = field(default_factory=list)
    tasks_added: list[str] = field(default_factory=list)  # leaf tasks (no graph to draw)
    tasks_removed: list[str] = field(default_factory=list)
    new_findings: list[Finding] = field(default_factory=list)
    fixed_findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    loaded: Loaded | None = None  # the work tree's load (its errors are shown by the CLI)


@dataclass
class _Side:
    plans: dict[str, Plan]
    locations: dict[str, str]
    views: dict[str, View]
    findings: list[Finding]


def review_changes(abs_path: Path, task_name: str | None, cwd: Path, config: Config, rev: str,
                   detail: str = "summary") -> ReviewChanges:
    """What changed in ``abs_path`` (a file or a directory; with ``task_name``, only that
    task's workflow) since git revision ``rev``. Raises GraphError, PathError."""
    from flytec.codegen.graph.diff import DiffError, export_to_temp, git_root
    from flytec.codegen.graph.select import GraphError
    from flytec.codegen.plan.select import load_project, match_task

    try:
        repo = git_root(abs_path if abs_path.is_dir() else abs_path.parent).resolve()
        tmp = export_to_temp(repo, rev)
    except DiffError as e:
        raise GraphError(str(e)) from None
    loaded = load_project([abs_path], cwd, config)
    notes = [*loaded.result.project.notes, *loaded.result.notes]
    keys = list(loaded.requested)
    if task_name is not None:
        keys = match_task(loaded.result.program.tasks, keys, task_name)
        if len(keys) > 1:
            raise GraphError(f"`{task_name}` is ambiguous: " + ", ".join(
                loaded.result.program.tasks[k].fqn for k in keys) + " (use env.function)", notes)
    with tmp:
        old_root = Path(tmp.name)
        old_path = old_root / abs_path.resolve().relative_to(repo)
        if old_path.exists():
            old_loaded = load_project([old_path], old_root, config)
            old_keys = list(old_loaded.requested)
            if task_name is not None:
                old_keys = match_task(old_loaded.result.program.tasks, old_keys, task_name)[:1]
            old = _side(old_loaded, old_keys, old_root, old_root.resolve(), detail)
        else:
            old = _Side({}, {}, {}, [])
    if task_name is not None and not keys and not old.plans:
        raise GraphError(f"no task `{task_name}` in {loaded.result.project.display(abs_path)}, "
                         f"now or at {rev}", notes)
    new = _side(loaded, keys, cwd, repo, detail)
    shown = "." if abs_path == cwd else loaded.result.project.display(abs_path)
    out = ReviewChanges(rev=rev, scope=shown + (f"::{task_name}" if task_name else ""),
                        notes=notes, loaded=loaded)
    _compare_workflows(old, new, out)
    changes: FindingChanges = compare_findings(old.findings, new.findings)
    out.new_findings, out.fixed_findings = changes.new, changes.fixed
    return out


def _side(loaded: Loaded, keys: list[str], cwd: Path, repo: Path, detail: str) -> _Side:
    """The plans, views and findings of one revision, keyed by task (env.function)."""
    from flytec.codegen.graph.select import workflow_view
    from flytec.codegen.graph.view import unawaited_calls
    from flytec.codegen.plan import PlanAssembler
    from flytec.compiler.workflow import extract_all

    result = loaded.result
    program, project = result.program, result.project

    def repo_path(shown: str) -> str:
        p = Path(shown)
        full = (p if p.is_absolute() else cwd / p).resolve()
        try:
            return full.relative_to(repo).as_posix()
        except ValueError:
            return full.as_posix()

    workflows = extract_all(program)
    assembler = PlanAssembler(program, project)
    side = _Side({}, {}, {}, findings(result.diagnostics, repo_path, project.read_shown))
    for key in keys:
        if key not in workflows:
            continue
        task = program.tasks[key]
        plan = assembler.plan(workflows[key])
        name = plan.task if plan.task not in side.plans else f"{plan.task} ({task.key})"
        side.plans[name] = plan
        cell = "" if plan.source.cell is None else f"cell {plan.source.cell}:"
        side.locations[name] = f"{repo_path(task.path)}:{cell}{plan.source.line}"
        if plan.kind == "workflow":
            side.views[name] = workflow_view(plan, detail,
                                             unawaited_calls(result.diagnostics, task.path))
    assembler.hasher.save()
    return side


def _compare_workflows(old: _Side, new: _Side, out: ReviewChanges) -> None:
    from flytec.codegen.graph.diff import diff_workflow_view

    for name in sorted(set(old.plans) | set(new.plans)):
        a, b = old.views.get(name), new.views.get(name)
        if a is None and b is None:  # a leaf task (or a task that calls none any more)
            if name not in old.plans:
                out.tasks_added.append(name)
            elif name not in new.plans:
                out.tasks_removed.append(name)
            continue
        status = "added" if name not in old.plans else (
            "removed" if name not in new.plans else "changed")
        title = (b or a or View(title=name)).title
        view = diff_workflow_view(a or View(title=title), b or View(title=title))
        view.title = title
        counts = Counts()
        for n in view.nodes:
            if n.status:
                counts.nodes[n.status] += 1
        for e in view.edges:
            if e.status:
                counts.edges[e.status] += 1
        dynamic = (a.dynamic if a else False, b.dynamic if b else False)
        if status == "changed" and not counts.any and dynamic[0] == dynamic[1]:
            continue
        location = new.locations.get(name) or old.locations.get(name, "")
        out.workflows.append(WorkflowChange(name, status, location, view, counts, dynamic))
    # what a reviewer reads first (and what stays drawn when the comment is long): the
    # workflows changed, then those added, then those removed
    order = {"changed": 0, "added": 1, "removed": 2}
    out.workflows.sort(key=lambda w: (order[w.status], w.task))
