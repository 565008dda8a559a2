"""The static review site of ``flytec report PATH -o DIR``: an index of a project's
environments, tasks and workflows with their static/dynamic verdicts, a page per task (a
workflow's with its picture, nodes linked to the source and to the called tasks' pages),
the findings by file and by rule with code excerpts, and the source they point at.

Self-contained: plain HTML, one stylesheet and a few lines of script, no network, so it
opens from ``file://`` and can be published or attached to CI as it is. Byte-stable: the
same input gives the same files. Nothing of the project is imported or run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flytec.codegen.site.write import SiteError

if TYPE_CHECKING:
    from flytec.codegen.site.model import Site
    from flytec.config import Config
    from flytec.model.diagnostic import Diagnostic
    from flytec.model.progress import Progress


@dataclass
class SiteResult:
    out_dir: Path
    site: Site
    pages: list[str]  # written, relative to out_dir
    notes: list[str] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)  # files that could not be read


def build_site(paths: list[Path], cwd: Path, config: Config, out_dir: Path,
               detail: str = "summary", progress: Progress | None = None) -> SiteResult:
    """Write the report of ``paths`` into ``out_dir``. Raises SiteError (the directory),
    PathError and ConfigError (the input)."""
    import gc

    # The program's model is millions of small objects that live until the end: the cyclic
    # GC, woken by the pages' many small objects, would scan them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(paths, cwd, config, out_dir, detail, progress)
    finally:
        if enabled:
            gc.enable()


def _build(paths: list[Path], cwd: Path, config: Config, out_dir: Path, detail: str,
           progress: Progress | None) -> SiteResult:
    from flytec.codegen.graph.select import plans_of
    from flytec.codegen.plan.select import load_project
    from flytec.codegen.site.collect import collect
    from flytec.codegen.site.pages import render_pages
    from flytec.codegen.site.write import make_dir, previous_files, write_site

    previous = previous_files(out_dir)  # a bad directory fails before the long part
    make_dir(out_dir)
    loaded = load_project(paths, cwd, config, progress)
    project = loaded.result.project
    shown = [project.display(p) for p in paths]
    title = ", ".join(s for s in shown if s != ".") if shown != ["."] else ""
    if progress is not None:
        progress.step("compiling plans", 0, None)
    site = collect(loaded, plans_of(loaded), cwd, detail, progress, title)
    written = write_site(out_dir, render_pages(site, progress), previous)
    return SiteResult(out_dir=out_dir, site=site, pages=written, notes=site.notes,
                      errors=list(loaded.errors))


__all__ = ["SiteError", "SiteResult", "build_site"]
