"""``flytec lsp``: the language server, over stdin/stdout (see docs/editors.md)."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default; accepted "
              "because editors pass it).")
def lsp(stdio: bool) -> None:
    """Serve flytec's diagnostics, hovers, definitions and fixes to an editor over the
    Language Server Protocol. Editors start it; see docs/editors.md."""
    from flytec.lsp.server import serve

    serve()
