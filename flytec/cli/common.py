"""Helpers shared by the CLI commands: error reporting and exit codes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from flytec.model.safe_text import printable

if TYPE_CHECKING:
    from flytec.config import Config

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

# Set by the console entry point (not when a command is invoked in-process, e.g. by tests).
STANDALONE = False


def exit_fast(code: int) -> NoReturn:
    """Exit with ``code``. From the console, skip the interpreter's tear-down: freeing the IR
    of a large project object by object costs longer than checking it warm."""
    sys.stdout.flush()
    sys.stderr.flush()
    if STANDALONE:
        os._exit(code)
    sys.exit(code)


def fail(message: str) -> NoReturn:
    """Print a one-line error and exit 2 (usage or configuration error)."""
    click.echo(f"flytec: error: {printable(message)}", err=True)
    sys.exit(EXIT_USAGE)


def split_codes(values: tuple[str, ...], option: str = "--select") -> list[str]:
    """Comma-separated rule selectors; exit 2 for one that names no rule (with the closest)."""
    from flytec.analyzer.selectors import is_known_selector, unknown_selector_message

    out: list[str] = []
    for v in values:
        out.extend(c.strip().upper() for c in v.split(",") if c.strip())
    for c in out:
        if not c.startswith("FLY"):
            fail(f"{option}: `{c}` is not a flytec rule code (codes look like FLY101)")
        if not is_known_selector(c):
            fail(f"{option}: {unknown_selector_message(c)}")
    return out


def paths_and_config(
    paths: tuple[Path, ...], config_path: Path | None, *, buffered: bool = False
) -> tuple[Path, list[Path], Config]:
    """The working directory, the given paths made absolute (default: the working
    directory), and the project's configuration; exit 2 for a missing path or a bad config.
    ``buffered``: the paths are files whose text flytec was given (standard input), which
    need not exist."""
    from flytec.analyzer.check import project_for
    from flytec.compiler.project import NOT_REGULAR, path_problem
    from flytec.config import ConfigError, load_config

    cwd = Path.cwd()
    abs_paths = [p if p.is_absolute() else cwd / p for p in paths] or [cwd]
    for p in [] if buffered else abs_paths:
        problem = path_problem(p)
        if problem is not None and NOT_REGULAR not in problem:  # a FIFO: skipped, with a note
            fail(f"{p}: {problem}")
    try:
        config = load_config(project_for(abs_paths, cwd), config_path)
    except ConfigError as e:
        fail(str(e))
    return cwd, abs_paths, config


def print_notes(notes: list[str]) -> None:
    """The project's notes (files left out: FIFOs, broken links...), on standard error."""
    for note in notes:
        click.echo(f"flytec: note: {printable(note)}", err=True)
