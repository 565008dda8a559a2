"""``--types``: the mypy-based checks at task boundaries (see docs/types.md), joined with
the other diagnostics: same paths, suppressions, selection and severity overrides."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from flytec.analyzer.engine import InternalError, keep
from flytec.config import Config
from flytec.model.diagnostic import Diagnostic

if TYPE_CHECKING:
    from flytec.analyzer.check import CheckResult

# Cheap call-site checks that mypy's FLY21x supersede at the same place.
SUPERSEDED = {"FLY204", "FLY205", "FLY206", "FLY207", "FLY209"}


def type_diagnostics(
    result: CheckResult, config: Config
) -> tuple[list[Diagnostic], list[InternalError]]:
    """Diagnostics from mypy for the checked files, or an internal error."""
    from flytec.analyzer.types import TypeCheckOptions, check_types

    project = result.project
    program = result.program
    files = [project.cwd / p for p in sorted(result.requested)
             if not p.endswith(".ipynb")]  # mypy reads no notebooks
    tasks = {f"{t.module}.{t.function.qualname}": t.fqn for t in program.tasks.values()}
    tasks.update({t.function.name: t.fqn for t in program.tasks.values()})
    options = TypeCheckOptions(
        show_other=config.show_mypy_errors,
        use_cache=config.cache,
        cache_root=project.cache_dir,
        tasks=tasks,
        stubs=config.types_stubs,  # type: ignore[arg-type]
    )
    try:
        checked = check_types(files, project.root, options)
    except Exception as e:  # mypy itself failing must not hide the other findings
        return [], [InternalError("--types (mypy)", f"{type(e).__name__}: {e}")]
    out: list[Diagnostic] = []
    for d in checked.diagnostics:
        p = Path(d.path)
        shown = project.display(p if p.is_absolute() else project.root / p)
        out.append(dataclasses.replace(d, path=shown))
    return keep(program, set(result.requested), config, out), []


def merge(cheap: list[Diagnostic], typed: list[Diagnostic]) -> list[Diagnostic]:
    """All diagnostics, minus cheap call-site checks that mypy reported at the same line."""
    lines = {(d.path, d.span.line) for d in typed}
    kept = [d for d in cheap if not (d.code in SUPERSEDED and (d.path, d.span.line) in lines)]
    return sorted([*kept, *typed], key=Diagnostic.sort_key)
