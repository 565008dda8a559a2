"""``flytec check``: report mistakes in Flyte 2 code without importing or running it."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from flytec.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    exit_fast,
    fail,
    paths_and_config,
    split_codes,
)
from flytec.config import FORMATS


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: text, or `format` in [tool.flytec]).")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rule codes or prefixes (comma-separated), e.g. FLY1,FLY301.")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip these rule codes or prefixes (comma-separated).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              default=None, help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Read settings from this TOML file instead of pyproject.toml.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .flytec_cache.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None, metavar="N",
              help="Processes that parse files on a cold run (default 0: one per core).")
@click.option("-o", "--output-file", type=click.Path(path_type=Path), default=None,
              help="Write the report to a file instead of standard output.")
@click.option("--types/--no-types", default=None,
              help="Also run mypy-based checks of task signatures (slower).")
def check(
    paths: tuple[Path, ...],
    fmt: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_path: Path | None,
    no_cache: bool,
    jobs: int | None,
    output_file: Path | None,
    types: bool | None,
) -> None:
    """Check Flyte 2 code in PATHS (files or directories; default: the current directory).

    Exit code 0 when clean, 1 when there are findings at or above the failing threshold,
    2 for usage or configuration errors. Never imports or runs the checked code.
    """
    from flytec.analyzer.check import check_paths
    from flytec.codegen.report import Report, render
    from flytec.compiler.project import PathError
    from flytec.config import ConfigError
    from flytec.model.diagnostic import Severity

    cwd, abs_paths, config = paths_and_config(paths, config_path)
    if select:
        config.select = split_codes(select)
    if ignore:
        config.ignore = [*config.ignore, *split_codes(ignore)]
    if no_cache:
        config.cache = False
    if jobs is not None:
        config.jobs = jobs
    if types is not None:
        config.types = types
    try:
        result = check_paths(abs_paths, config, cwd=cwd, incremental=True)
    except (PathError, ConfigError) as e:
        fail(str(e))
    gc.freeze()  # the IR lives until exit: later collections need not scan it
    diagnostics = result.diagnostics
    report = Report(
        diagnostics=diagnostics,
        files=result.files,
        root=result.project.root,
        cwd=cwd,
        color=output_file is None and sys.stdout.isatty(),
        skipped=result.skipped,
    )
    text = render(fmt or config.format, report)
    if output_file is not None:
        output_file.write_text(text + "\n", encoding="utf-8")
    elif text:
        click.echo(text)
    for note in result.notes:
        click.echo(f"flytec: note: {note}", err=True)
    for err in result.internal_errors:
        click.echo(
            f"flytec: internal error in {err.where}: {err.message} "
            "(the other rules still ran; please report this)",
            err=True,
        )
    threshold = fail_on or config.fail_on.value
    from flytec.analyzer.engine import fails

    code = EXIT_CLEAN
    if threshold != "never" and fails(diagnostics, Severity(threshold)):
        code = EXIT_FINDINGS
    exit_fast(code)  # mypy (with --types) and a large IR leave a heap that is slow to free
