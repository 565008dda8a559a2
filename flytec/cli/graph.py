"""``flytec graph``: draw a task's workflow or the project's call graph."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flytec.cli.common import EXIT_CLEAN, fail, print_notes

if TYPE_CHECKING:
    from flytec.codegen.graph.view import View
    from flytec.codegen.plan.select import Loaded
    from flytec.config import Config
    from flytec.model.plan import Plan


@click.command("graph")
@click.argument("target", required=False, default=".", metavar="[PATH[::TASK]]")
@click.option("-f", "--format", "fmt", default="dot",
              type=click.Choice(["dot", "svg", "png", "mermaid", "json"]),
              help="Output format (default: dot).")
@click.option("-o", "--output-file", type=click.Path(path_type=Path), default=None,
              help="Write the picture to a file instead of standard output.")
@click.option("--diff", "rev", default=None, metavar="REV",
              help="Draw what changed against a git revision (e.g. main, HEAD~1).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Read settings from this TOML file instead of pyproject.toml.")
@click.option("--detail", default="summary", type=click.Choice(["summary", "full"]),
              help="Workflows: `summary` (default) folds glue into labelled edges; `full` "
                   "draws every node of the plan.")
def graph(target: str, fmt: str, output_file: Path | None, rev: str | None,
          config_path: Path | None, detail: str) -> None:
    """Draw TASK's workflow (PATH::TASK), or the call graph of PATH (a file or directory).

    Workflows show task calls with the data flowing between them, fan-outs and maps as
    stacked nodes with their cardinality, branches (dashed) and error handlers (red),
    grouped by environment. Never imports or runs the code.
    """
    from flytec.analyzer.check import project_for
    from flytec.codegen.graph import render_view
    from flytec.codegen.graph.render import RenderError
    from flytec.compiler.project import NOT_REGULAR, PathError, path_problem
    from flytec.config import ConfigError, load_config

    path_text, _, task_name = target.partition("::")
    cwd = Path.cwd()
    path = Path(path_text or ".")
    abs_path = path if path.is_absolute() else cwd / path
    problem = path_problem(abs_path)
    if problem is not None and NOT_REGULAR not in problem:
        fail(f"{path_text}: {problem}")
    if task_name == "" and "::" in target:
        fail("no task after `::` (write PATH::TASK, e.g. examples/etl.py::main)")
    if fmt == "png" and output_file is None and sys.stdout.isatty():
        fail("PNG is binary: use -o FILE (or redirect standard output)")
    try:
        config = load_config(project_for([abs_path], cwd), config_path)
        view = _view(abs_path, task_name or None, cwd, config, rev, detail)
    except (PathError, ConfigError) as e:
        fail(str(e))
    try:
        data = render_view(view, fmt)
    except RenderError as e:
        fail(str(e))
    if output_file is not None:
        try:
            output_file.write_bytes(data)
        except OSError as e:
            fail(f"{output_file}: cannot write ({e.strerror or e})")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    sys.exit(EXIT_CLEAN)


def _view(abs_path: Path, task_name: str | None, cwd: Path, config: Config, rev: str | None,
          detail: str = "summary") -> View:
    from flytec.codegen.graph.callgraph import callgraph_view
    from flytec.codegen.graph.view import unawaited_calls
    from flytec.codegen.plan import PlanAssembler
    from flytec.codegen.plan.select import load_project, match_task
    from flytec.codegen.report import Report, render
    from flytec.compiler.workflow import extract

    loaded = load_project([abs_path], cwd, config)
    program = loaded.result.program
    project = loaded.result.project
    print_notes(project.notes)
    for note in loaded.result.notes:  # notebooks skipped (not Python)
        click.echo(f"flytec: note: {note}", err=True)
    if loaded.errors:
        report = Report(diagnostics=loaded.errors, files=loaded.result.files, root=project.root,
                        cwd=cwd)
        click.echo(render("text", report), err=True)
    key = None
    if task_name is not None:
        hits = match_task(program.tasks, loaded.requested, task_name)
        if not hits:
            known = ", ".join(sorted(program.tasks[k].function.name
                                     for k in loaded.requested)) or "none"
            fail(f"no task `{task_name}` in {project.display(abs_path)} (tasks: {known})")
        if len(hits) > 1:
            fail(f"`{task_name}` is ambiguous: "
                 + ", ".join(program.tasks[k].fqn for k in hits) + " (use env.function)")
        key = hits[0]
    if key is not None:
        plan = PlanAssembler(program, project).plan(extract(program, key))
        view = workflow_view(plan, detail,
                             unawaited_calls(loaded.result.diagnostics, program.tasks[key].path))
    else:
        shown = project.display(abs_path) if abs_path != cwd else "."
        view = callgraph_view(program, loaded.requested, loaded.result.diagnostics,
                              f"call graph of {shown}")
    if rev is None:
        return view
    return _diff(abs_path, cwd, config, rev, task_name, key, view, loaded, detail)


def workflow_view(plan: Plan, detail: str,
                  unawaited: frozenset[tuple[int, int]] = frozenset()) -> View:
    """The picture of one workflow: glue folded into edges unless ``detail`` is ``full``;
    ``unawaited``: where check reports FLY103."""
    from flytec.codegen.graph.collapse import collapse
    from flytec.codegen.graph.view import plan_view

    view = plan_view(plan, unawaited)
    return view if detail == "full" else collapse(view)


def _diff(abs_path: Path, cwd: Path, config: Config, rev: str, task_name: str | None,
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
        fail(str(e))
    with tmp:
        old_root = Path(tmp.name)
        old_path = old_root / abs_path.resolve().relative_to(repo.resolve())
        new_plans = _plans(loaded)
        if not old_path.exists():
            old_view = View(title=view.title)
            old_plans: list[Plan] = []
        else:
            old_loaded = load_project([old_path], old_root, config)
            old_plans = _plans(old_loaded)
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


def _plans(loaded: Loaded) -> list[Plan]:
    from flytec.codegen.plan import PlanAssembler
    from flytec.compiler.workflow import extract_all

    program = loaded.result.program
    workflows = extract_all(program)
    assembler = PlanAssembler(program, loaded.result.project)
    plans = [assembler.plan(workflows[k]) for k in loaded.requested]
    assembler.hasher.save()
    return plans
