"""``flytec rules``: list the rules, explain one, or regenerate their docs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from flytec.cli.common import fail

if TYPE_CHECKING:
    from flytec.analyzer.registry import Rule


@click.command("rules")
@click.argument("code", required=False)
@click.option("--write-docs", type=click.Path(path_type=Path), default=None,
              help="Write one Markdown page per rule into this directory.")
def rules(code: str | None, write_docs: Path | None) -> None:
    """List every rule, or explain CODE (e.g. FLY103 or unawaited-task-call)."""
    from flytec.analyzer.docs import render_rule
    from flytec.analyzer.docs import write_docs as write
    from flytec.analyzer.registry import all_rules, get_rule

    if write_docs is not None:
        for p in write(write_docs):
            click.echo(f"wrote {p}")
        return
    if code is not None:
        rule = get_rule(code.upper()) or get_rule(code)
        if rule is None:
            fail(f"no rule `{code}` (see `flytec rules`)")
        click.echo(render_rule(rule).split("\n", 1)[1])
        return
    for r in all_rules():
        click.echo(f"{r.code}  {r.name:<34} {r.category.value:<15} {r.severity.value:<8} "
                   f"{_fix_mark(r):<7} {r.summary}")


def _fix_mark(r: type[Rule]) -> str:
    """``fix``, ``fix?`` (sometimes), ``unsafe``/``unsafe?`` (only unsafe fixes), or
    nothing."""
    from flytec.model.fix import Applicability, Safety

    if not r.fixable():
        return ""
    mark = "fix" if Safety.SAFE in r.fix_safety else "unsafe"
    return mark + ("?" if r.fix_applicability is Applicability.SOMETIMES else "")
