"""``flytec worker``: run one step of a plan inside a container (see docs/kubernetes.md)."""

from __future__ import annotations

import sys

import click


@click.command(
    "worker",
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def worker(args: tuple[str, ...]) -> None:
    """Run one node of a plan (the container entrypoint of `flytec build --target argo|jobs`).

    Options: --plan FILE (--task ENV.FN | --node ID) [--input NAME=VALUE]...
    [--value NODE.OUTPUT=JSON]... [--binding NAME]... [--inputs-file FILE] [--outputs DIR]
    [--artifact-input KEY=DIR]... [--artifact-output NAME=DIR]... [--root DIR].
    Exit 0 done, 1 the task failed, 2 bad usage.
    """
    from flytec.runtime.worker import main

    sys.exit(main(list(args)))
