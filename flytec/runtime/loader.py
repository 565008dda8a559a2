"""Loading user code with the shim in place of ``flyte``, and finding the task to run.

A finder placed first on ``sys.meta_path`` resolves ``flyte`` and ``flyte.*`` to the shim package
(``flytec/runtime/shim/flyte``) even when the real SDK is installed. Submodules the shim does not
implement resolve to stand-in modules whose attributes accept anything, so imports of rarely
used parts of the SDK do not crash.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.paths import project_root

SHIM_ROOT = Path(__file__).parent / "shim"


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        module_getattr = importlib.import_module("flyte._standin").module_getattr

        module.__path__ = []  # a package, so deeper imports resolve too
        module.__getattr__ = module_getattr(module.__name__)  # type: ignore[method-assign]


class ShimFinder(importlib.abc.MetaPathFinder):
    """Resolves ``flyte`` / ``flyte.*`` to the shim, or to stand-ins for unknown submodules."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "flyte" and not fullname.startswith("flyte."):
            return None
        parts = fullname.split(".")
        search = [str(SHIM_ROOT.joinpath(*parts[:-1]))]
        spec = importlib.machinery.PathFinder.find_spec(fullname, search)
        if spec is not None:
            return spec
        if fullname == "flyte":
            return None
        return importlib.util.spec_from_loader(fullname, _StandInLoader(), is_package=True)


_FINDER = ShimFinder()


def install_shim() -> None:
    """Make ``import flyte`` resolve to the shim in this process (idempotent)."""
    if _FINDER in sys.meta_path:
        return
    for name in list(sys.modules):
        if name == "flyte" or name.startswith("flyte."):
            mod = sys.modules[name]
            if not str(getattr(mod, "__file__", "") or "").startswith(str(SHIM_ROOT)):
                del sys.modules[name]
    sys.meta_path.insert(0, _FINDER)


def module_name_for(path: Path) -> tuple[str, Path]:
    """The dotted module name of a source file and the directory to put on ``sys.path``."""
    path = path.resolve()
    parts = [path.stem]
    if path.suffix == ".ipynb" and path.with_suffix(".py").exists():
        parts[0] += "_ipynb"  # a notebook next to its .py twin, named as flytec check names it
    parent = path.parent
    while (parent / "__init__.py").exists():
        parts.insert(0, parent.name)
        parent = parent.parent
    return ".".join(parts), parent


def extend_import_path(file: Path) -> None:
    """As ``flyte run --local``: the file's folder and the root directory (the current
    directory) go at the end of ``sys.path``, and so does the file's project root (nearest
    ``pyproject.toml`` / ``.git``), so sibling and project-level packages import."""
    folder = file.resolve().parent
    for extra in (folder, Path.cwd().resolve(), project_root(folder)):
        if str(extra) not in sys.path:
            sys.path.append(str(extra))


def load_module(path: str | Path, name: str | None = None) -> ModuleType:
    """Import a user file (with the shim installed); errors become one-line usage errors."""
    install_shim()
    file = Path(path)
    if not file.is_file():
        from flytec.compiler.project import path_problem

        problem = path_problem(file, directory_ok=False)
        if problem is None or "no such" in problem:
            raise RuntimeUsageError(f"file not found: {path}")
        raise RuntimeUsageError(f"cannot load {path}: {problem}")  # a FIFO is never opened
    modname, root = module_name_for(file)
    modname = name or modname
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    extend_import_path(file)
    existing = sys.modules.get(modname)
    if existing is not None and getattr(existing, "__file__", None) == str(file.resolve()):
        return existing
    if file.suffix == ".ipynb":  # a notebook: its code cells but the driver's (notebook.py)
        return _load_notebook(file, modname, path)
    if "." in modname and name is None:
        # A module inside a package: import it the normal way, so the package's __init__
        # (which may import this very module) runs first, as under `python -m`.
        try:
            return importlib.import_module(modname)
        except SyntaxError as exc:
            raise RuntimeUsageError(
                f"cannot load {path}: SyntaxError: {exc.msg} (line {exc.lineno})"
            ) from exc
        except Exception as exc:
            raise RuntimeUsageError(
                f"cannot load {path}: {type(exc).__name__}: {exc}".splitlines()[0]
            ) from exc
    spec = importlib.util.spec_from_file_location(modname, file.resolve())
    if spec is None or spec.loader is None:
        raise RuntimeUsageError(f"cannot load {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[modname] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        del sys.modules[modname]
        raise RuntimeUsageError(
            f"cannot load {path}: SyntaxError: {exc.msg} (line {exc.lineno})"
        ) from exc
    except Exception as exc:
        del sys.modules[modname]
        raise RuntimeUsageError(
            f"cannot load {path}: {type(exc).__name__}: {exc}".splitlines()[0]
        ) from exc
    return module


def _load_notebook(file: Path, modname: str, path: str | Path) -> ModuleType:
    from flytec.runtime.notebook import exec_notebook

    module = ModuleType(modname)
    sys.modules[modname] = module
    try:
        exec_notebook(file.resolve(), module)
    except RuntimeUsageError:
        del sys.modules[modname]
        raise
    except Exception as exc:
        del sys.modules[modname]
        raise RuntimeUsageError(
            f"cannot load {path}: {type(exc).__name__}: {exc}".splitlines()[0]
        ) from exc
    return module


def module_tasks(module: ModuleType) -> dict[str, Any]:
    """Tasks defined or imported in a module, by attribute name."""
    return {k: v for k, v in vars(module).items() if getattr(v, "_flytec_is_task", False)}


def find_task(module: ModuleType, name: str, path: str) -> Any:
    """A task by function name (``main``) or identity (``env.main``)."""
    tasks = module_tasks(module)
    if name in tasks:
        return tasks[name]
    for task in tasks.values():
        if task.name == name:
            return task
    registry = importlib.import_module("flyte")._task_registry()  # the shim's
    if name in registry:
        return registry[name]
    known = ", ".join(sorted(tasks)) or "none"
    raise RuntimeUsageError(f"unknown task '{name}' in {path} (tasks: {known})")
