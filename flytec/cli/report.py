"""``flytec report``: write a static review site of a project (flytec.codegen.site)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from flytec.cli.common import EXIT_CLEAN, fail, paths_and_config, print_notes
from flytec.cli.progress import progress_for
from flytec.model.safe_text import printable


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", "output_dir", type=click.Path(path_type=Path), default=None,
              help="Where to write the site (default: build/flytec-report/ under the project "
                   "root). A new or empty directory, or an earlier report's.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Read settings from this TOML file instead of pyproject.toml.")
@click.option("--detail", default="summary", type=click.Choice(["summary", "full"]),
              help="Workflow pictures: `summary` (default) folds glue into labelled edges; "
                   "`full` draws every node of the plan.")
@click.option("--no-cache", is_flag=True, help="Use no cache: read none, write nothing to disk.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, only the last line.")
def report(paths: tuple[Path, ...], output_dir: Path | None, config_path: Path | None,
           detail: str, no_cache: bool, quiet: bool) -> None:
    """Write a static review site of PATHS (default: the current directory) to a directory.

    An index of the environments, tasks and workflows with their static/dynamic verdicts
    and reasons, a page per workflow with its picture, the findings by file and by rule
    with code excerpts, and the source they point at. Self-contained: open index.html from
    disk, publish it, or keep it as a CI artifact. Never imports or runs the code; files
    that cannot be read or parsed are findings in the report.
    """
    from flytec.codegen.site import SiteError, build_site
    from flytec.compiler.project import PathError
    from flytec.config import ConfigError

    cwd, abs_paths, config = paths_and_config(paths, config_path)
    if no_cache:
        config.cache = False
    if output_dir is None:
        from flytec.analyzer.check import project_for

        out_dir = project_for(abs_paths, cwd) / "build" / "flytec-report"
    else:
        out_dir = output_dir if output_dir.is_absolute() else cwd / output_dir
    try:
        with progress_for(quiet) as progress:
            got = build_site(abs_paths, cwd, config, out_dir, detail, progress)
    except SiteError as e:
        fail(str(e))
    except (PathError, ConfigError) as e:
        fail(str(e))
    print_notes(got.notes)
    site = got.site
    counts = site.counts
    findings = counts["error"] + counts["warning"] + counts["info"]
    shown = _shown(out_dir, cwd)
    click.echo(printable(
        f"Wrote the report of {_n(site.files, 'file')} to {shown}/index.html: "
        f"{_n(len(site.workflows), 'workflow')} ({counts['static']} static, "
        f"{counts['dynamic']} dynamic), {_n(len(site.leaves), 'leaf task')}, "
        f"{_n(len(site.environments), 'environment')}, {_n(findings, 'finding')}."))
    sys.exit(EXIT_CLEAN)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _shown(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return str(path)
