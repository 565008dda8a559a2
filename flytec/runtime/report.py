"""Rendering run records for ``flytec runs``: a table of runs and a tree of actions."""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from flytec.runtime.store import ActionInfo, RunRow

_STYLE = {
    "SUCCEEDED": "green",
    "FAILED": "red",
    "ABORTED": "yellow",
    "RUNNING": "cyan",
    "INTERRUPTED": "magenta",
}


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed process nobody reaped yet is a zombie: dead
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def run_status(run: RunRow) -> str:
    """RUNNING runs whose process is gone (killed, crashed) are INTERRUPTED."""
    if run.status == "RUNNING" and not _alive(run.pid):
        return "INTERRUPTED"
    return run.status


def execution_text(options: dict[str, Any]) -> str:
    """How the root task ran: ``static (plan graph)`` or ``dynamic (why)``."""
    mode = options.get("execution")
    if mode == "static":
        return "static (the plan's nodes ran as a graph)"
    note = options.get("execution_note")
    if mode is None:
        return "dynamic"
    return f"dynamic ({note})" if note else "dynamic"


def duration(started: float | None, ended: float | None) -> str:
    if started is None or ended is None:
        return "-"
    secs = ended - started
    if secs < 1:
        return f"{secs * 1000:.1f}ms"
    if secs < 120:
        return f"{secs:.2f}s"
    return str(datetime.timedelta(seconds=round(secs)))


def runs_table(runs: list[RunRow]) -> Table:
    table = Table(title="flytec runs", title_justify="left")
    for col in ("run", "status", "task", "started", "duration"):
        table.add_column(col)
    for r in runs:
        status = run_status(r)
        started = datetime.datetime.fromtimestamp(r.started).strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(
            r.run_id,
            f"[{_STYLE.get(status, '')}]{status}[/]",
            r.task,
            started,
            duration(r.started, r.ended),
        )
    return table


def _label(a: ActionInfo) -> str:
    status = f"[{_STYLE.get(a.status, '')}]{a.status}[/]"
    extra = []
    if a.origin != "run":
        extra.append(f"from {a.origin}")
    if a.attempts > 1:
        extra.append(f"{a.attempts} attempts")
    if a.group:
        extra.append(f"group {a.group}")
    if a.error:
        extra.append(escape(a.error))
    tail = f" ({'; '.join(extra)})" if extra else ""
    kind = "trace " if a.kind == "trace" else ""
    name = a.task.split(":")[1] if a.kind == "trace" and a.task.count(":") == 2 else a.task
    took = duration(a.started, a.ended)
    return f"{kind}[bold]{name}[/] {status} {took}{tail} [dim]{a.action_id}[/]"


def action_tree(run: RunRow, actions: list[ActionInfo], max_children: int = 25) -> Tree:
    """The actions of a run as a tree under the root action (``a0``)."""
    children: dict[str | None, list[ActionInfo]] = defaultdict(list)
    by_id = {a.action_id: a for a in actions}
    for a in actions:
        parent = a.parent_id if a.parent_id in by_id or a.parent_id is None else "a0"
        children[parent].append(a)
    status = run_status(run)
    tree = Tree(
        f"run [bold]{run.run_id}[/] [{_STYLE.get(status, '')}]{status}[/] "
        f"{duration(run.started, run.ended)}  {run.target}"
    )

    def add(node: Tree, parent: str | None) -> None:
        kids = children.get(parent, [])
        for a in kids[:max_children]:
            add(node.add(_label(a)), a.action_id)
        if len(kids) > max_children:
            more = kids[max_children:]
            failed = sum(1 for k in more if k.status == "FAILED")
            node.add(f"[dim]... {len(more)} more ({failed} failed)[/]")

    roots = children.get(None, [])
    if not roots and "a0" not in by_id:
        add(tree, "a0")  # the root never finished: show its finished children
    for r in roots:
        add(tree.add(_label(r)), r.action_id)
    return tree
