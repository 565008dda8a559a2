"""Run mypy in-process on some files and collect what flytec needs from the build.

mypy's own incremental cache (``--cache-dir``) keeps library modules (typeshed, the Flyte
stubs or the real SDK) warm between runs.  The files asked about are always re-checked: their
cache entries are removed first, so that mypy builds their symbol tables (for the task
signatures) instead of only replaying old errors.  flytec's result cache (see
``result_cache``) is what spares unchanged files a mypy run.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flytec.analyzer.types.mypy_output import MypyMessage, parse_mypy_output
from flytec.analyzer.types.signatures import TaskResolver, TaskSignature
from flytec.analyzer.types.stubs_path import mypy_stubs_dir, stubs_dir

if TYPE_CHECKING:
    from mypy.build import State

_INVOCATIONS = 0


def invocation_count() -> int:
    """How many times this process has run mypy (tests use it to see the cache work)."""
    return _INVOCATIONS


class MypyFailed(Exception):
    """mypy could not run at all; the message says why."""


@dataclass
class MypyRun:
    """What one mypy build gave: messages, module names, signatures and local dependencies.

    Paths are absolute.  ``unparsable`` are files mypy could not parse (left to flytec's
    syntax check); they have no results.
    """

    messages: list[MypyMessage] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)
    signatures: dict[str, list[TaskSignature]] = field(default_factory=dict)
    deps: dict[str, list[str]] = field(default_factory=dict)
    resolvers: dict[str, TaskResolver] = field(default_factory=dict)
    unparsable: list[str] = field(default_factory=list)


def mypy_args(
    files: Sequence[Path],
    cache_dir: Path,
    *,
    python_executable: str | None = None,
    mypy_config: Path | None = None,
) -> list[str]:
    """The mypy command line flytec uses (also printed by the benchmark)."""
    args = [
        "--cache-dir",
        str(cache_dir),
        "--show-error-codes",
        "--show-column-numbers",
        "--show-error-end",
        "--no-error-summary",
        "--hide-error-context",
        "--no-pretty",
        "--follow-imports=silent",
        "--check-untyped-defs",
        "--config-file",
        str(mypy_config) if mypy_config is not None else os.devnull,
    ]
    if python_executable is not None:
        args += ["--python-executable", python_executable]
    return [*args, "--", *(str(f) for f in files)]


def invoke_mypy(
    files: Sequence[Path],
    *,
    project_root: Path,
    cache_dir: Path,
    use_stubs: bool,
    python_executable: str | None = None,
    mypy_config: Path | None = None,
) -> MypyRun:
    """Type-check ``files`` (absolute paths) with mypy; raise :class:`MypyFailed` if it cannot.

    Files that mypy would name alike (two ``main.py`` in unrelated directories) go to separate
    builds, as mypy refuses duplicate module names in one build.
    """
    global _INVOCATIONS
    _INVOCATIONS += 1
    merged = MypyRun()
    for batch in _batches(files, cache_dir, python_executable, mypy_config):
        run = _build_parsable(
            batch, project_root, cache_dir, use_stubs, python_executable, mypy_config
        )
        merged.messages += run.messages
        merged.modules.update(run.modules)
        merged.signatures.update(run.signatures)
        merged.deps.update(run.deps)
        merged.resolvers.update(run.resolvers)
        merged.unparsable += run.unparsable
    return merged


def _batches(
    files: Sequence[Path],
    cache_dir: Path,
    python_executable: str | None,
    mypy_config: Path | None,
) -> list[list[Path]]:
    from mypy.main import process_options

    args = mypy_args(files, cache_dir, python_executable=python_executable, mypy_config=mypy_config)
    try:
        sources, _ = process_options(args, stdout=io.StringIO(), stderr=io.StringIO())
    except SystemExit:
        return [list(files)]
    batches: list[tuple[set[str], list[Path]]] = []
    for source in sources:
        if source.path is None:
            continue
        module = source.module or source.path
        batch = next((b for b in batches if module not in b[0]), None)
        if batch is None:
            batch = (set(), [])
            batches.append(batch)
        batch[0].add(module)
        batch[1].append(Path(source.path))
    return [paths for _, paths in batches] or [list(files)]


def _build_parsable(
    files: list[Path],
    project_root: Path,
    cache_dir: Path,
    use_stubs: bool,
    python_executable: str | None,
    mypy_config: Path | None,
) -> MypyRun:
    """One build; a file mypy cannot parse stops a build, so drop it and try again."""
    remaining = list(files)
    unparsable: list[str] = []
    for _attempt in range(3):
        if not remaining:
            return MypyRun(unparsable=unparsable)
        try:
            run = _build(
                remaining, project_root, cache_dir, use_stubs, python_executable, mypy_config
            )
        except _Unparsable as blocked:
            bad = {os.path.abspath(p) for p in blocked.paths}
            kept = [f for f in remaining if os.path.abspath(f) not in bad]
            if len(kept) == len(remaining):
                raise MypyFailed(blocked.text) from None
            unparsable += [str(f) for f in remaining if os.path.abspath(f) in bad]
            remaining = kept
            continue
        run.unparsable = unparsable
        return run
    raise MypyFailed("mypy could not parse the files")


class _Unparsable(Exception):
    def __init__(self, paths: list[str], text: str) -> None:
        super().__init__(text)
        self.paths = paths
        self.text = text


def _build(
    files: list[Path],
    project_root: Path,
    cache_dir: Path,
    use_stubs: bool,
    python_executable: str | None,
    mypy_config: Path | None,
) -> MypyRun:
    from mypy import build
    from mypy.errors import CompileError
    from mypy.main import process_options

    from flytec.analyzer.types.mypy_symbols import MypySymbols

    out, err = io.StringIO(), io.StringIO()
    args = mypy_args(files, cache_dir, python_executable=python_executable, mypy_config=mypy_config)
    try:
        sources, options = process_options(args, stdout=out, stderr=err)
    except SystemExit:
        raise MypyFailed(_first_line(err.getvalue() or out.getvalue())) from None
    options.sqlite_cache = False  # plain files, so that stale entries can be removed
    stubs = str(mypy_stubs_dir(cache_dir) if use_stubs else stubs_dir())
    if use_stubs:
        options.mypy_path = [stubs, *options.mypy_path]
    cache_dir.mkdir(parents=True, exist_ok=True)
    for source in sources:
        if source.module and source.path:
            _forget(cache_dir, source.module, source.path)
    try:
        result = build.build(sources, options, stdout=out, stderr=err)
    except CompileError as error:
        messages = parse_mypy_output(list(error.messages))
        paths = sorted({m.path for m in messages if m.severity == "error"})
        text = "\n".join(error.messages)
        if paths:
            raise _Unparsable(paths, text) from None
        raise MypyFailed(_first_line(text)) from None
    symbols = MypySymbols(result.files, options)
    run = MypyRun(messages=parse_mypy_output(result.errors))
    root = os.path.abspath(project_root)
    for source in sources:
        if not source.path or not source.module:
            continue
        path = os.path.abspath(source.path)
        run.modules[path] = source.module
        run.resolvers[path] = symbols
        run.signatures[path] = symbols.tasks_defined_in(source.module)
        run.deps[path] = _local_deps(result.graph, source.module, root, stubs)
    return run


def _forget(cache_dir: Path, module: str, path: str) -> None:
    """Remove mypy's cache entries for one module, so that mypy checks it again."""
    relative = module.replace(".", os.sep)
    if Path(path).name.startswith("__init__."):
        relative = os.path.join(relative, "__init__")
    for version_dir in cache_dir.glob("*"):
        if not version_dir.is_dir():
            continue
        base = version_dir / relative
        for entry in base.parent.glob(base.name + ".*"):
            kind = entry.name[len(base.name) + 1 :].split(".", 1)[0]
            if kind in ("meta", "data", "meta_ex", "deps"):
                try:
                    entry.unlink()
                except OSError:
                    pass


def _local_deps(graph: Mapping[str, State], module: str, root: str, stubs: str) -> list[str]:
    """Absolute paths of the project's own modules ``module`` imports, transitively."""
    seen = {module}
    todo = [module]
    found: set[str] = set()
    while todo:
        state = graph.get(todo.pop())
        if state is None:
            continue
        for dep in state.dependencies:
            if dep in seen:
                continue
            seen.add(dep)
            dep_state = graph.get(dep)
            if dep_state is None or not _is_local(dep_state.xpath, root, stubs):
                continue
            found.add(os.path.abspath(dep_state.xpath))
            todo.append(dep)
    return sorted(found)


def _is_local(path: str, root: str, stubs: str) -> bool:
    absolute = os.path.abspath(path)
    if not absolute.startswith(root + os.sep) or absolute.startswith(stubs + os.sep):
        return False
    parts = Path(absolute).parts
    return "site-packages" not in parts and "dist-packages" not in parts


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and "No [mypy] section" not in line:
            return line.strip()
    return "mypy failed"
