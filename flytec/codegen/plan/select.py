"""Loading a project for ``build``/``graph`` and selecting tasks by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flytec.analyzer.check import CheckResult, check_paths
from flytec.config import Config
from flytec.model.diagnostic import Diagnostic, Severity
from flytec.model.program import Task
from flytec.model.progress import Progress


@dataclass
class Loaded:
    result: CheckResult
    requested: list[str]  # task keys defined in the requested files, sorted
    errors: list[Diagnostic] = field(default_factory=list)


def load_project(paths: list[Path], cwd: Path, config: Config | None = None,
                 progress: Progress | None = None) -> Loaded:
    """Check the paths (diagnostics as ``check`` reports them) and find their tasks;
    ``progress`` is told how the parse goes."""
    result = check_paths(paths, config, cwd=cwd, progress=progress)
    files = {p.resolve() for p in result.project.expand(paths)}
    requested = sorted(
        k for k, t in result.program.tasks.items() if _abs(t.path, cwd) in files
    )
    errors = [d for d in result.diagnostics if d.severity == Severity.ERROR]
    return Loaded(result, requested, errors)


def _abs(path: str, cwd: Path) -> Path:
    p = Path(path)
    return (p if p.is_absolute() else cwd / p).resolve()


def match_task(tasks: dict[str, Task], keys: list[str], name: str) -> list[str]:
    """Task keys matching ``name``: an fqn ("env.fn"), a function name, or a key."""
    exact = [k for k in keys if k == name or tasks[k].fqn == name]
    if exact:
        return exact
    return [k for k in keys if tasks[k].function.name == name]
