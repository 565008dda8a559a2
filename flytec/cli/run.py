"""``flytec run``: execute a task locally with the bundled runtime.

    flytec run [OPTIONS] FILE.py::TASK --input value ...
    flytec run [OPTIONS] FILE.py TASK --input value ...     (also: flytec run --local FILE TASK)
    flytec run [OPTIONS] PLAN.plan.json --input value ...
    flytec run --resume RUN_ID

A task whose plan is a static workflow runs as its plan's graph (every node as soon as its
inputs are ready); leaf tasks, dynamic workflows and ``--dynamic`` run the task's body.

Runtime options come before the target; everything after it are the task's inputs. The
result is the last line of standard output (JSON for structured values); progress and
messages go to standard error. Exit codes: 0 succeeded, 1 the task failed, 2 bad input,
130 interrupted.
"""

from __future__ import annotations

import os
import sys

import click

from flytec.model.safe_text import printable
from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.outputs import render
from flytec.runtime.plan import is_plan_path
from flytec.runtime.runner import RunOptions, execute

_RUN_OPTIONS = (
    "--resume",
    "--store",
    "--run-id",
    "--processes",
    "--threads",
    "--max-concurrency",
    "--no-cache",
    "--overwrite-cache",
    "--no-progress",
    "--dynamic",
    "--local",
)


def _fail_usage(message: str) -> None:
    click.echo(f"flytec run: error: {printable(message)}", err=True)
    sys.exit(2)


@click.command(
    "run",
    context_settings={
        "ignore_unknown_options": True,
        "allow_interspersed_args": False,
        "help_option_names": ["-h", "--help"],
    },
)
@click.argument("target", required=False)
@click.argument("inputs", nargs=-1, type=click.UNPROCESSED)
@click.option(
    "--resume",
    "resume",
    metavar="RUN_ID",
    help="Resume an interrupted run: finished actions are replayed, not re-executed.",
)
@click.option(
    "--store",
    metavar="DIR",
    help="Store directory (default: $FLYTEC_HOME or <project root>/.flytec).",
)
@click.option("--run-id", metavar="ID", help="Name the run (default: generated).")
@click.option(
    "--processes",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Run sync leaf tasks in N worker processes (real parallelism).",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    help="Threads for sync task bodies.",
)
@click.option(
    "--max-concurrency",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="At most N task bodies working at once (0: no limit; tasks waiting on "
    "sub-tasks do not count).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the task cache.")
@click.option("--overwrite-cache", is_flag=True, help="Execute cached tasks and refresh the cache.")
@click.option("--no-progress", is_flag=True, help="Do not show live progress.")
@click.option(
    "--dynamic",
    is_flag=True,
    help="Run the task's Python body even when its plan is static (by default a static "
    "workflow runs as its plan's graph).",
)
@click.option(
    "--local",
    is_flag=True,
    help="Accepted for the flyte CLI's spelling (`flyte run --local FILE TASK`): flytec "
    "always runs locally.",
)
def run(
    target: str | None,
    inputs: tuple[str, ...],
    resume: str | None,
    store: str | None,
    run_id: str | None,
    processes: int,
    threads: int,
    max_concurrency: int,
    no_cache: bool,
    overwrite_cache: bool,
    no_progress: bool,
    dynamic: bool,
    local: bool,
) -> None:
    """Run a task locally: FILE.py::TASK (or FILE.py TASK, or a plan file) --input value ..."""
    tokens = list(inputs)
    task: str | None = None
    if resume is None:
        if not target:
            _fail_usage("missing target: FILE.py::TASK, FILE.py TASK or PLAN.plan.json")
        assert target is not None
        if "::" not in target and not is_plan_path(target):
            if not tokens or tokens[0].startswith("--"):
                _fail_usage(f"no task given: use {target}::TASK or {target} TASK")
            task = tokens.pop(0)
    elif target:
        _fail_usage("--resume takes no target or inputs (they come from the run record)")
    opts = RunOptions(
        target=target or "",
        task=task,
        input_tokens=tokens,
        store=store,
        resume=resume,
        run_id=run_id,
        cache_mode="off" if no_cache else ("overwrite" if overwrite_cache else "use"),
        max_concurrency=max_concurrency,
        threads=threads,
        processes=processes,
        progress=not no_progress,
        dynamic=dynamic,
    )
    try:
        outcome = execute(opts)
    except RuntimeUsageError as exc:
        message = str(exc)
        if any(message.startswith(f"unknown input {o}") for o in _RUN_OPTIONS):
            message += " (flytec run's own options go before the target)"
        _fail_usage(message)
        return
    seconds = f"{outcome.duration:.2f}s"
    if outcome.status == "SUCCEEDED":
        click.echo(f"flytec: run {outcome.run_id} succeeded in {seconds}", err=True)
        sys.stderr.flush()
        click.echo(render(outcome.result))
        sys.exit(0)
    if outcome.status == "ABORTED":
        click.echo(
            f"flytec: run {outcome.run_id} aborted after {seconds} "
            f"(resume with: flytec run --resume {outcome.run_id})",
            err=True,
        )
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)  # threads still running sync task bodies must not keep us alive
    # `Code: message (class)`, e.g. `ValueError: bad input (flyte.errors.RuntimeUserError)`:
    # the class is what the SDK's local mode raises for this failure
    suffix = f" ({outcome.error_class})" if outcome.error_class else ""
    click.echo(f"flytec: run {outcome.run_id} failed: {outcome.error}{suffix}", err=True)
    sys.exit(1)
