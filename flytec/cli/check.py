"""``flytec check``: report mistakes in Flyte 2 code without importing or running it."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

import click

from flytec.cli.check_fix import FixOptions, fix_options
from flytec.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    exit_fast,
    fail,
    paths_and_config,
    print_notes,
    split_codes,
)
from flytec.cli.output import (
    COLOR_CHOICES,
    check_output_file,
    stdout_is_terminal,
    use_color,
    write_report,
)
from flytec.cli.progress import progress_for
from flytec.config import FAIL_ON, FORMATS


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: text, or `format` in [tool.flytec]).")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rule codes or prefixes (comma-separated), e.g. FLY1,FLY301.")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip these rule codes or prefixes (comma-separated).")
@click.option("--fail-on", type=click.Choice(FAIL_ON, case_sensitive=False),
              default=None, help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Read settings from this TOML file instead of pyproject.toml.")
@click.option("--no-cache", is_flag=True,
              help="Use no cache: read none, write nothing to disk (mypy's cache included).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None, metavar="N",
              help="Processes that parse files on a cold run (default 0: one per core).")
@click.option("-o", "--output-file", type=click.Path(path_type=Path), default=None,
              help="Write the report to a file instead of standard output.")
@click.option("--types/--no-types", default=None,
              help="Also run mypy-based checks of task signatures (slower).")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress, and no summary when there are no findings.")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto",
              help="Colour the text report: auto (a terminal, unless NO_COLOR; FORCE_COLOR "
                   "forces it), always or never.")
@click.option("--stdin-filename", type=click.Path(path_type=Path), default=None,
              metavar="PATH", help="With `-` as the path: the file the text on standard input "
              "is (reported as it, with its project's configuration; nothing is written).")
@click.option("--watch", is_flag=True,
              help="Check again whenever a source file of the project changes, for a "
                   "terminal (Ctrl-C stops).")
@fix_options
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
    color: str,
    quiet: bool,
    stdin_filename: Path | None,
    watch: bool,
    **fixing: Any,
) -> None:
    """Check Flyte 2 code in PATHS (files or directories; default: the current directory;
    `-` with --stdin-filename: the text on standard input).

    Exit code 0 when clean, 1 when there are findings at or above the failing threshold,
    2 for usage or configuration errors. Never imports or runs the checked code.
    """
    check_output_file(output_file)
    stdin = read_stdin(paths, stdin_filename)
    options: dict[str, Any] = dict(
        fmt=fmt, select=select, ignore=ignore, fail_on=fail_on, config_path=config_path,
        no_cache=no_cache, jobs=jobs, output_file=output_file, types=types, color=color,
        quiet=quiet, **fixing)
    if watch:
        from flytec.cli.check_watch import watch_checks

        refuse_with_watch(stdin is not None, output_file, fixing)
        exit_fast(watch_checks(paths, config_path, lambda: check_once(paths, None, **options)))
    # mypy (with --types) and a large IR leave a heap that is slow to free: exit_fast
    exit_fast(check_once(paths, stdin, **options))


def check_once(
    paths: tuple[Path, ...],
    stdin: tuple[Path, bytes] | None,
    *,
    fmt: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_path: Path | None,
    no_cache: bool,
    jobs: int | None,
    output_file: Path | None,
    types: bool | None,
    color: str,
    quiet: bool,
    **fixing: Any,
) -> int:
    """One check, its report printed; returns the exit code (exits 2 itself for bad usage
    or configuration). ``stdin``: the file standard input stands for, and its text."""
    from flytec.analyzer.check import check_paths
    from flytec.analyzer.skips import skip_reasons
    from flytec.codegen.report import Report, render
    from flytec.compiler.project import PathError
    from flytec.config import ConfigError
    from flytec.model.diagnostic import Severity

    overlay: dict[Path, bytes] = {}
    if stdin is not None:
        paths = (stdin[0],)
    cwd, abs_paths, config = paths_and_config(paths, config_path, buffered=stdin is not None)
    if stdin is not None:
        overlay = {abs_paths[0].resolve(): stdin[1]}
    if select:
        config.select = split_codes(select, "--select")
    if ignore:
        config.ignore = [*config.ignore, *split_codes(ignore, "--ignore")]
    if no_cache:
        config.cache = False
    if jobs is not None:
        config.jobs = jobs
    if types is not None:
        config.types = types
    fixes = FixOptions(**fixing)
    fixes.configure(config)
    # --diff exits here; --fix writes (prints the fixed standard input), then we re-check
    fixes.apply(abs_paths, config, cwd, overlay or None)
    try:
        if fixes.result is not None:
            result = fixes.result
        else:
            with progress_for(quiet) as progress:
                result = check_paths(abs_paths, config, cwd=cwd, incremental=True,
                                     progress=progress, overlay=overlay)
    except (PathError, ConfigError) as e:
        fail(str(e))
    gc.freeze()  # the IR lives until exit: later collections need not scan it
    print_notes(result.project.notes)
    diagnostics = result.diagnostics
    report = Report(
        diagnostics=diagnostics,
        files=result.files,
        root=result.project.root,
        cwd=cwd,
        color=use_color(color, output_file is None and stdout_is_terminal()),
        skipped=result.skipped,
        skip_reasons=skip_reasons(abs_paths, result),
        quiet=quiet,
        sources={result.project.display(p): data for p, data in
                 (fixes.stdin_text(overlay) if fixes.fix else overlay).items()},
    )
    text = (fixes.statistics_text(fmt or config.format, diagnostics) if fixes.statistics
            else render(fmt or config.format, report))
    write_report(text, output_file, report.color, to_stderr=fixes.fix and stdin is not None)
    for note in result.notes:
        click.echo(f"flytec: note: {note}", err=True)
    for err in result.internal_errors:
        click.echo(
            f"flytec: internal error in {err.where}: {err.message} "
            "(the other rules still ran; please report this)",
            err=True,
        )
    threshold = (fail_on or config.fail_on).lower()
    from flytec.analyzer.engine import fails

    code = EXIT_CLEAN
    if threshold != "never" and fails(diagnostics, Severity(threshold)):
        code = EXIT_FINDINGS
    fixes.report(diagnostics, fmt or config.format)
    return fixes.exit_code(code)


def read_stdin(paths: tuple[Path, ...], stdin_filename: Path | None) -> tuple[Path, bytes] | None:
    """``-`` as the only path: the file named by --stdin-filename and the bytes on standard
    input; None without ``-``. Exits 2 for ``-`` with other paths or without a file name."""
    if Path("-") not in paths:
        if stdin_filename is not None:
            fail("--stdin-filename is for `-` as the path (the text on standard input)")
        return None
    if len(paths) > 1:
        fail("`-` (standard input) must be the only path")
    if stdin_filename is None:
        fail("`-` needs --stdin-filename PATH: the file the text on standard input is")
    if str(stdin_filename) == "-" or stdin_filename.is_dir():
        fail(f"--stdin-filename {stdin_filename}: not a file name")
    return stdin_filename, sys.stdin.buffer.read()


def refuse_with_watch(stdin: bool, output_file: Path | None, fixing: dict[str, Any]) -> None:
    """--watch reports on the terminal, again and again: nothing that writes or exits."""
    if stdin:
        fail("--watch cannot read standard input (`-`); give files or directories")
    if output_file is not None:
        fail("--watch prints to the terminal; -o is for one report")
    for flag in ("fix", "diff", "statistics"):
        if fixing.get(flag):
            fail(f"--watch and --{flag} cannot be combined")
