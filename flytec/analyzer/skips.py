"""Why a file the user named explicitly was not analysed ("no Flyte code", "not a Python
file"): it is reported as skipped with the reason, never as passed (the exit code stays 0,
since pre-commit passes every staged Python file and most are not Flyte code)."""

from __future__ import annotations

from pathlib import Path

from flytec.analyzer.check import CheckResult

NOT_PYTHON = "not a Python file"
NO_FLYTE = "no Flyte code (it neither mentions flyte nor defines tasks)"
EMPTY_INIT = "empty __init__.py"
NOT_PYTHON_NOTEBOOK = "its kernel is not Python"


def skip_reasons(paths: list[Path], result: CheckResult) -> dict[str, str]:
    """Displayed path -> reason, for each explicitly named file that was skipped (files found
    by walking a directory are skipped quietly: most of a project is not Flyte code)."""
    skipped = set(result.skipped)
    out: dict[str, str] = {}
    for p in paths:
        if p.is_dir():
            continue
        shown = result.project.display(p)
        if shown not in skipped:
            continue
        if p.suffix == ".ipynb":
            out[shown] = _notebook_reason(p)
        elif p.suffix != ".py":
            out[shown] = NOT_PYTHON
        elif p.name == "__init__.py" and p.stat().st_size == 0:
            out[shown] = EMPTY_INIT
        else:
            out[shown] = NO_FLYTE
    return out


def _notebook_reason(p: Path) -> str:
    from flytec.compiler.frontend.notebook import is_python, kernel_language

    try:
        language = kernel_language(p.read_bytes())
    except (OSError, ValueError):
        return NOT_PYTHON
    return NO_FLYTE if is_python(language) else NOT_PYTHON_NOTEBOOK
