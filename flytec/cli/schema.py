"""``flytec schema``: print the JSON Schema of flytec's file formats."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flytec.cli.common import fail

_FORMATS = ("plan",)


@click.command("schema")
@click.argument("name", required=False, default="plan", metavar="[plan]")
@click.option("-o", "--output-file", type=click.Path(path_type=Path), default=None,
              help="Write the schema to a file instead of standard output.")
def schema(name: str, output_file: Path | None) -> None:
    """Print the JSON Schema of a file format (default: plan, what `flytec build` writes)."""
    if name not in _FORMATS:
        fail(f"unknown schema `{name}` (known: {', '.join(_FORMATS)})")
    from flytec.model.plan import plan_json_schema

    text = json.dumps(plan_json_schema(), indent=2) + "\n"
    if output_file is not None:
        try:
            output_file.write_text(text, encoding="utf-8")
        except OSError as e:
            fail(f"{output_file}: cannot write ({e.strerror or e})")
    else:
        click.echo(text, nl=False)
