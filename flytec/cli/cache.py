"""``flytec cache list|clear``: the persistent task cache shared by local runs."""

from __future__ import annotations

import datetime
import json

import click
from rich.console import Console
from rich.table import Table

from flytec.cli.runs import open_store

_store_option = click.option(
    "--store", metavar="DIR", help="Store directory (default: $FLYTEC_HOME or <project>/.flytec)."
)


@click.group("cache")
def cache() -> None:
    """List or clear the local task cache."""


@cache.command("list")
@_store_option
@click.option("--task", metavar="ENV.TASK", help="Only this task's entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_cache(store: str | None, task: str | None, as_json: bool) -> None:
    """Cached results: task, code version, age and size."""
    db = open_store(store)
    try:
        entries = db.cache_list(task)
    finally:
        db.close()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "key": e.key,
                        "task": e.task,
                        "version": e.version,
                        "created": e.created,
                        "bytes": e.size,
                    }
                    for e in entries
                ]
            )
        )
        return
    if not entries:
        click.echo("cache is empty")
        return
    table = Table(title=f"flytec cache ({len(entries)} entries)", title_justify="left")
    for col in ("task", "version", "key", "created", "bytes"):
        table.add_column(col)
    for e in entries:
        created = datetime.datetime.fromtimestamp(e.created).strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(e.task, e.version[:12], e.key[:12], created, str(e.size))
    Console(soft_wrap=True).print(table)


@cache.command("clear")
@_store_option
@click.option("--task", metavar="ENV.TASK", help="Only this task's entries.")
def clear_cache(store: str | None, task: str | None) -> None:
    """Delete cached results (all, or one task's)."""
    db = open_store(store)
    try:
        n = db.cache_clear(task)
    finally:
        db.close()
    click.echo(f"cleared {n} cache entr{'y' if n == 1 else 'ies'}")
