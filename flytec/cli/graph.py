"""``flytec graph``: draw a task's workflow or the project's call graph."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import click

from flytec.cli.common import EXIT_CLEAN, fail, print_notes

if TYPE_CHECKING:
    from flytec.codegen.graph.view import View
    from flytec.codegen.plan.select import Loaded
    from flytec.config import Config


class _Drawn(Protocol):
    """What a drawing call returns: notes of the load and the load (its unreadable files)."""

    @property
    def notes(self) -> list[str]: ...

    @property
    def loaded(self) -> Loaded | None: ...


D = TypeVar("D", bound=_Drawn)


@click.command("graph")
@click.argument("target", required=False, default=".", metavar="[PATH[::TASK]]")
@click.option("-f", "--format", "fmt", default="dot",
              type=click.Choice(["dot", "svg", "png", "mermaid", "json", "markdown"]),
              help="Output format (default: dot). `markdown` (with --diff): a pull-request "
                   "comment, each changed workflow drawn in Mermaid, new and fixed findings.")
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
    if fmt == "markdown" and rev is None:
        fail("-f markdown draws what changed: add --diff REV (e.g. --diff origin/main)")
    try:
        config = load_config(project_for([abs_path], cwd), config_path)
        if fmt == "markdown":
            assert rev is not None
            data = _markdown(abs_path, task_name or None, cwd, config, rev, detail)
        else:
            view = _view(abs_path, task_name or None, cwd, config, rev, detail)
    except (PathError, ConfigError) as e:
        fail(str(e))
    if fmt != "markdown":
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


def _markdown(abs_path: Path, task_name: str | None, cwd: Path, config: Config, rev: str,
              detail: str) -> bytes:
    from flytec.codegen.graph.markdown_diff import to_markdown
    from flytec.codegen.graph.review import review_changes

    return to_markdown(_drawn(
        lambda: review_changes(abs_path, task_name, cwd, config, rev, detail), cwd)).encode()


def _view(abs_path: Path, task_name: str | None, cwd: Path, config: Config, rev: str | None,
          detail: str = "summary") -> View:
    from flytec.codegen.graph.select import graph_view

    return _drawn(lambda: graph_view(abs_path, task_name, cwd, config, rev, detail), cwd).view


def _drawn(draw: Callable[[], D], cwd: Path) -> D:
    """``draw()``, with what its load said shown on standard error: the notes, the files that
    could not be read or parsed (not fatal); a GraphError ends the command."""
    from flytec.codegen.graph.select import GraphError
    from flytec.codegen.report import Report, render

    try:
        got = draw()
    except GraphError as e:
        print_notes(e.notes)
        fail(str(e))
    print_notes(got.notes)
    loaded = got.loaded
    if loaded is not None and loaded.errors:
        result = loaded.result
        report = Report(diagnostics=loaded.errors, files=result.files, root=result.project.root,
                        cwd=cwd)
        click.echo(render("text", report), err=True)
    return got
