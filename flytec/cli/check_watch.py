"""``flytec check --watch``: check, then check again whenever a source file of the project
changes (a ``.py`` or ``.ipynb`` file, ``pyproject.toml`` or the ``--config`` file), for a
terminal. Change notification comes from watchfiles (the operating system's file events);
each re-check is the incremental check, so only what the change can affect is analysed.
Ctrl-C stops it with exit code 0."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from watchfiles import Change

SOURCES = (".py", ".ipynb")
IGNORED_DIRS = (".flytec_cache", ".flytec", ".ruff_cache", "build", "dist")


def watched(paths: tuple[Path, ...], cwd: Path) -> list[Path]:
    """The project root of the paths, and any path outside it (findings read the modules a
    file imports, so the whole project is watched)."""
    from flytec.analyzer.check import project_for

    abs_paths = [p if p.is_absolute() else cwd / p for p in paths] or [cwd]
    root = project_for(abs_paths, cwd)
    out = [root]
    for p in abs_paths:
        p = p.resolve()
        if p != root and root not in p.parents:
            out.append(p if p.is_dir() else p.parent)
    return list(dict.fromkeys(out))


def make_filter(config_path: Path | None) -> Callable[[Change, str], bool]:
    from watchfiles import DefaultFilter

    extra = {str(config_path.resolve())} if config_path is not None else set()

    class Sources(DefaultFilter):
        def __call__(self, change: Change, path: str) -> bool:
            name = os.path.basename(path)
            wanted = name.endswith(SOURCES) or name == "pyproject.toml" or path in extra
            return wanted and super().__call__(change, path)

    return Sources(ignore_dirs=(*DefaultFilter.ignore_dirs, *IGNORED_DIRS))


def _shown(changes: Iterable[tuple[Change, str]], cwd: Path) -> str:
    names = sorted({os.path.relpath(p, cwd) for _, p in changes})
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return ", ".join(names[:3]) + more


def _once(run: Callable[[], int], header: str) -> None:
    if sys.stdout.isatty():
        click.clear()
    click.echo(f"flytec: [{time.strftime('%H:%M:%S')}] {header}", err=True)
    try:
        run()
    except SystemExit:  # bad usage or configuration: said on stderr; fix it and save
        pass
    gc.unfreeze()  # (a check freezes its IR for a fast exit; here the next one replaces it)
    gc.collect()
    click.echo("flytec: watching for changes (Ctrl-C stops)", err=True)
    sys.stdout.flush()
    sys.stderr.flush()


def watch_checks(paths: tuple[Path, ...], config_path: Path | None,
                 run: Callable[[], int]) -> int:
    """Check with ``run``, then again after each change; 0 when stopped with Ctrl-C."""
    from watchfiles import watch

    cwd = Path.cwd()
    try:
        _once(run, "checking")
        for changes in watch(*watched(paths, cwd), watch_filter=make_filter(config_path),
                             debounce=1600, step=100):
            _once(run, f"{_shown(changes, cwd)} changed; checking again")
    except KeyboardInterrupt:
        click.echo("flytec: stopped watching", err=True)
    return 0
