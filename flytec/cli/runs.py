"""``flytec runs list`` and ``flytec runs show RUN_ID``: the records of local runs."""

from __future__ import annotations

import json
import sqlite3
import sys

import click
from rich.console import Console
from rich.markup import escape

from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.logs import read_logs
from flytec.runtime.paths import store_dir
from flytec.runtime.report import (
    action_tree,
    duration,
    execution_text,
    run_status,
    runs_table,
)
from flytec.runtime.store import Store

_store_option = click.option(
    "--store", metavar="DIR", help="Store directory (default: $FLYTEC_HOME or <project>/.flytec)."
)


def open_store(store: str | None) -> Store:
    """The store, or a one-line error (exit 2) when it cannot be opened."""
    try:
        return Store(store_dir(store))
    except (RuntimeUsageError, sqlite3.Error, OSError) as exc:
        click.echo(f"flytec: error: cannot open the run store: {exc}", err=True)
        sys.exit(2)


@click.group("runs")
def runs() -> None:
    """List and show past local runs."""


@runs.command("list")
@_store_option
@click.option("-n", "--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_runs(store: str | None, limit: int, as_json: bool) -> None:
    """The most recent runs, newest first."""
    db = open_store(store)
    try:
        rows = db.list_runs(limit)
        aside = db.set_aside()
    finally:
        db.close()
    notes = [f"note: a corrupt run store was set aside: {path} (its runs are not listed)"
             for path in aside]  # said on every listing: those runs are not in the table
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "run_id": r.run_id,
                        "status": run_status(r),
                        "task": r.task,
                        "target": r.target,
                        "started": r.started,
                        "ended": r.ended,
                        "execution": r.options.get("execution", "dynamic"),
                    }
                    for r in rows
                ]
            )
        )
        for note in notes:
            click.echo(note, err=True)
        return
    if not rows:
        click.echo("no runs yet")
    else:
        Console(soft_wrap=True).print(runs_table(rows))
    for note in notes:
        click.echo(note)


@runs.command("show")
@click.argument("run_id")
@_store_option
@click.option("--logs", is_flag=True, help="Also print the captured logs of each action.")
def show_run(run_id: str, store: str | None, logs: bool) -> None:
    """A run: inputs, result, and its tree of actions with status and durations."""
    db = open_store(store)
    try:
        run = db.get_run(run_id)
        if run is None:
            click.echo(f"flytec runs: error: unknown run '{run_id}'", err=True)
            sys.exit(2)
        actions = db.actions(run_id)
        run_dir = db.run_dir(run_id)
    finally:
        db.close()
    console = Console(soft_wrap=True)
    console.print(
        f"[bold]run[/] {run.run_id}  [bold]status[/] {run_status(run)}  "
        f"[bold]duration[/] {duration(run.started, run.ended)}",
        highlight=False,
    )
    console.print(f"[bold]target[/] {run.target}  [bold]task[/] {run.task}", highlight=False)
    console.print(f"[bold]execution[/] {escape(execution_text(run.options))}", highlight=False)
    console.print(f"[bold]inputs[/] {escape(json.dumps(run.inputs))}", highlight=False)
    if run.output is not None:
        console.print(f"[bold]output[/] {escape(run.output)}", highlight=False)
    if run.error:
        console.print(f"[bold]error[/] {escape(run.error)}", highlight=False)
    console.print(f"[bold]run dir[/] {run_dir}", highlight=False)
    console.print(action_tree(run, actions))
    if logs:
        for aid, task, stream, text in read_logs(run_dir / "logs.txt"):
            console.print(f"[dim]{aid} {task} {stream}[/] {escape(text)}", highlight=False)
