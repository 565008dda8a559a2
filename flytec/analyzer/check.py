"""The library entry point of ``flytec check``: paths in, diagnostics out."""

from __future__ import annotations

import dataclasses
import gc
from dataclasses import dataclass, field
from pathlib import Path

from flytec.analyzer.engine import InternalError, run
from flytec.analyzer.selectors import check_config_codes
from flytec.analyzer.warm_state import WarmState
from flytec.cache_dir import project_cache
from flytec.compiler.project import SOURCE_SUFFIXES, Project, find_root, load
from flytec.compiler.recover import recover
from flytec.config import Config, load_config, requires_python
from flytec.model.diagnostic import Diagnostic
from flytec.model.program import Program
from flytec.model.progress import Progress


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic]
    files: int  # files the user asked about
    program: Program
    project: Project
    skipped: list[str] = field(default_factory=list)
    internal_errors: list[InternalError] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)  # display paths analysed
    types_ran: bool = False
    notes: list[str] = field(default_factory=list)  # one line each (notebooks skipped)


def project_for(paths: list[Path], cwd: Path | None = None) -> Path:
    """The project root for the given paths: that of the first one (or of the cwd)."""
    base = paths[0] if paths else (cwd or Path.cwd())
    if not base.exists():  # an editor's new buffer: the folder it will be saved in
        base = next((p for p in base.parents if p.is_dir()), cwd or Path.cwd())
    return find_root(base)


def check_paths(
    paths: list[Path],
    config: Config | None = None,
    *,
    config_path: Path | None = None,
    cwd: Path | None = None,
    incremental: bool = False,
    progress: Progress | None = None,
    overlay: dict[Path, bytes] | None = None,
    warm: WarmState | None = None,
) -> CheckResult:
    """Check files and directories. Raises ConfigError/PathError for bad input.

    With ``incremental`` (and the cache on, ``--types`` off), files whose results cannot
    have changed are not analysed again (:mod:`flytec.analyzer.incremental`); the
    diagnostics are the same, but ``program`` then holds only the modules analysed.
    ``overlay`` gives the contents of some files (by real path) instead of the disk's: the
    passes of ``--fix`` check the fixed text before anything is written, the language server
    and ``check -`` an editor's unsaved buffer. Overlaid files take the incremental path too,
    but nothing learnt from their text is stored (neither their IR nor their results, nor the
    results of the files that import them). ``warm`` keeps the project and the result index
    in memory from one call to the next (:mod:`flytec.analyzer.warm_state`)."""
    # The IR is millions of small objects that live until the end: the cyclic GC would
    # scan them again and again for nothing (about 40% of the run time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _check_paths(paths, config, config_path=config_path, cwd=cwd,
                            incremental=incremental, progress=progress,
                            overlay=overlay or {}, warm=warm)
    finally:
        if enabled:
            gc.enable()


def _check_paths(
    paths: list[Path],
    config: Config | None,
    *,
    config_path: Path | None,
    cwd: Path | None,
    incremental: bool,
    progress: Progress | None = None,
    overlay: dict[Path, bytes],
    warm: WarmState | None = None,
) -> CheckResult:
    cwd = cwd or Path.cwd()
    paths = [p if p.is_absolute() else cwd / p for p in paths] or [cwd]
    root = project_for(paths, cwd)
    if config is None:
        config = load_config(root, config_path)
    check_config_codes(config)
    if config.target_python is None:
        config = dataclasses.replace(config, target_python=requires_python(root))
    config = dataclasses.replace(config, root=root.resolve(), cwd=cwd.resolve())
    kept = None if warm is None else warm.take((root.resolve(), cwd.resolve(), config))
    if kept is not None:
        project = kept
        project.overlay, project.progress, project.queries = overlay, progress, {}
    else:
        project = Project(
            root=root,
            exclude=config.exclude,
            include=config.include,
            cache_dir=project_cache(root, config.cache, config.cache_dir),
            cwd=cwd,
            jobs=config.jobs,
            progress=progress,
            overlay=overlay,
            suffixes=SOURCE_SUFFIXES if config.notebooks else (".py",),
        )
        if warm is not None:
            warm.project = project
    if incremental and project.cache_dir is not None and not config.types:
        from flytec.analyzer.incremental import check_incremental

        inc = check_incremental(project, paths, config, warm)
        return CheckResult(
            diagnostics=inc.diagnostics,
            files=len(inc.requested) + len(inc.skipped),
            program=inc.program,
            project=project,
            skipped=inc.skipped,
            internal_errors=inc.internal_errors,
            requested=inc.requested,
            notes=skip_notes(project, inc.skipped),
        )
    loaded = load(project, paths)
    program = recover(loaded.modules)
    outcome = run(program, set(loaded.requested), config, read=project.read_shown)
    result = CheckResult(
        diagnostics=outcome.diagnostics,
        files=len(loaded.requested) + len(loaded.skipped),
        program=program,
        project=project,
        skipped=loaded.skipped,
        internal_errors=outcome.internal_errors,
        requested=loaded.requested,
        notes=skip_notes(project, loaded.skipped),
    )
    if config.types and loaded.requested:
        from flytec.analyzer.types_bridge import merge, type_diagnostics

        if progress is not None:
            n = len(loaded.requested)
            progress.step("type checking (mypy)", n, n)
        typed, errors = type_diagnostics(result, config)
        result.diagnostics = merge(result.diagnostics, typed)
        result.internal_errors.extend(errors)
        result.types_ran = True
    return result


def skip_notes(project: Project, skipped: list[str]) -> list[str]:
    """Notes for the skipped files that deserve one: notebooks whose kernel is not Python."""
    from flytec.compiler.frontend.notebook import is_notebook, skip_note

    notes: list[str] = []
    for shown in skipped:
        if is_notebook(shown):
            try:
                data = (project.cwd / shown).read_bytes()
            except OSError:
                continue
            note = skip_note(shown, data)
            if note is not None:
                notes.append(note)
    return notes
