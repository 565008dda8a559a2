"""Helpers shared by the CLI commands: error reporting and exit codes."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def fail(message: str) -> NoReturn:
    """Print a one-line error and exit 2 (usage or configuration error)."""
    click.echo(f"flytec: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def split_codes(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(c.strip().upper() for c in v.split(",") if c.strip())
    for c in out:
        if not c.startswith("FLY"):
            fail(f"`{c}` is not a flytec rule code (codes look like FLY101)")
    return out
