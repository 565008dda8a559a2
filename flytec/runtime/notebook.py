"""``flytec run flow.ipynb::main``: a notebook's code cells as an importable module.

What runs is the module ``flytec check`` analyses (the code cells in order, IPython syntax
neutralised: ``%pip``, ``!ls`` and ``%%bash`` cells do nothing), minus the *driver* cells:
a cell that calls ``flyte.init...``, ``flyte.run``, ``flyte.with_runcontext`` or
``flyte.deploy`` is how the user runs the workflow from Jupyter, and ``flytec run`` is what
runs it here, so those cells are left out (docs/runtime.md). A cell with a syntax error stops
the load with the cell's location, as does code that needs IPython (top-level ``await``
outside a driver cell).
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType

from flytec.runtime.errors import RuntimeUsageError

DRIVER_CALLS = ("init", "run", "with_runcontext", "deploy")


def is_driver_cell(tree: ast.Module) -> bool:
    """Whether a cell calls ``flyte.init*``, ``flyte.run(.aio)``, ``flyte.with_runcontext``
    or ``flyte.deploy`` (the user's driver code)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr == "aio":
            f = f.value
        if (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                and f.value.id == "flyte"
                and (f.attr in DRIVER_CALLS or f.attr.startswith("init"))):
            return True
    return False


def exec_notebook(file: Path, module: ModuleType) -> None:
    """Run a notebook's code cells but the driver cells in ``module`` (its ``__dict__``)."""
    from flytec.compiler.frontend.notebook import (
        NotebookError,
        build_module,
        is_python,
        read_notebook,
    )

    shown = file.name
    try:
        nb = read_notebook(file.read_bytes())
    except OSError as e:
        raise RuntimeUsageError(f"cannot read {shown}: {e.strerror or e}") from e
    except NotebookError as e:
        raise RuntimeUsageError(f"cannot load {shown}:{e.line}: {e}") from e
    if not is_python(nb.language):
        raise RuntimeUsageError(f"cannot run {shown}: its kernel language is {nb.language}, "
                                "not Python")
    built = build_module(nb, drop=is_driver_cell)
    for prob in built.problems:
        got = built.cells.locate(prob.span.line)
        where = f"cell {got[0]}:{got[1]}" if got else str(prob.span.line)
        where += f":{prob.span.column}"
        raise RuntimeUsageError(f"cannot load {shown}:{where}: {prob.message}")
    try:
        code = compile(built.source, str(file), "exec", dont_inherit=True)
    except SyntaxError as e:
        got = built.cells.locate(e.lineno or 1)
        where = f"cell {got[0]}:{got[1]}" if got else str(e.lineno)
        raise RuntimeUsageError(f"cannot load {shown}:{where}: SyntaxError: {e.msg}") from e
    module.__file__ = str(file)
    exec(code, module.__dict__)
