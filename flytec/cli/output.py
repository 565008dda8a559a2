"""Where and how ``flytec check`` writes its report: colour (``--color``, ``NO_COLOR``,
``FORCE_COLOR``) and the output file (a bad one is exit 2 with a message, never a traceback)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from flytec.cli.common import fail

COLOR_CHOICES = ("auto", "always", "never")


def use_color(choice: str, to_terminal: bool) -> bool:
    """``always``/``never`` win; with ``auto``, a non-empty ``NO_COLOR`` turns colour off
    (https://no-color.org), else a non-empty ``FORCE_COLOR`` turns it on even when piped or
    written to a file (https://force-color.org), else colour is on for a terminal only."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return to_terminal


def check_output_file(path: Path | None) -> None:
    """Fail before any work when ``-o FILE`` cannot be written (its folder is missing)."""
    if path is None:
        return
    if path.is_dir():
        fail(f"{path}: is a directory (-o takes a file name)")
    if not path.parent.is_dir():
        fail(f"{path}: cannot write (no such directory: {path.parent})")


def write_report(text: str, output_file: Path | None, color: bool, *,
                 to_stderr: bool = False) -> None:
    if output_file is not None:
        try:
            output_file.write_text(text + "\n", encoding="utf-8")
        except OSError as e:
            fail(f"{output_file}: cannot write ({e.strerror or e})")
    elif text:
        click.echo(text, color=color, err=to_stderr)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
