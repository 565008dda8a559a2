"""The `flytec` command line: a thin shell over the library.

Subcommands live in their own modules and are imported only when used, so that
``flytec --version`` stays fast.  To add one, add an entry to ``_COMMANDS``:
``"name": ("flytec.cli.module", "attribute")`` where the attribute is a
``click.Command``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

from flytec import __version__

_COMMANDS: dict[str, tuple[str, str, str]] = {
    # name: (module, attribute, one-line help)
    "check": ("flytec.cli.check", "check", "Check Flyte 2 code for mistakes (never runs it)."),
    "build": ("flytec.cli.build", "build", "Compile tasks into versioned plan files."),
    "graph": ("flytec.cli.graph", "graph", "Draw a task's workflow or the project's call graph."),
    "report": ("flytec.cli.report", "report", "Write a static review site of a project."),
    "schema": ("flytec.cli.schema", "schema", "Print the JSON Schema of flytec's file formats."),
    "rules": ("flytec.cli.rules", "rules", "List the rules, or explain one."),
    "run": ("flytec.cli.run", "run", "Run a task locally with the bundled runtime."),
    "runs": ("flytec.cli.runs", "runs", "List and show past local runs."),
    "cache": ("flytec.cli.cache", "cache", "List or clear the local task cache."),
    "lsp": ("flytec.cli.lsp", "lsp", "Serve diagnostics, hovers and fixes to an editor (LSP)."),
    "worker": ("flytec.cli.worker", "worker", "Run one node of a plan (container entrypoint)."),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, spec in _COMMANDS.items() if _available(spec[0]))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _COMMANDS.get(cmd_name)
        if spec is None or not _available(spec[0]):
            return None
        module = importlib.import_module(spec[0])
        command = getattr(module, spec[1])
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, _COMMANDS[n][2]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="flytec")
def cli() -> None:
    """flytec: a workflow compiler and static analyzer for Flyte 2 code."""


def main(argv: list[str] | None = None) -> Any:
    """Console entry point; exit code 2 on usage errors, never a traceback."""
    from flytec.cli import common

    common.STANDALONE = True
    try:
        return cli.main(args=argv, prog_name="flytec", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        click.echo("flytec: interrupted", err=True)
        sys.exit(130)
