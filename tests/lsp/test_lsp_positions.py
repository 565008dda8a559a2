"""Positions in the encoding the client and server agree on (UTF-16 by default, UTF-8 or
UTF-32 when the client prefers them): a finding after non-ASCII text on its line is located
in that encoding's units, and its quick fix, applied by the server's own document sync in the
same units, leaves a buffer without the finding."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp

from tests.conftest import write_project
from tests.lsp.test_lsp_stdio import Client, _open, run, send_edit

FLOW = """import flyte

env = flyte.TaskEnvironment(name="e")


@env.task
async def double(x: int) -> int:
    return 2 * x


@env.task
async def main(x: int) -> int:
    label = "é😀"; double(x)
    return x
"""
PREFIX = '    label = "é😀"; '
UNITS = {"utf-8": len(PREFIX.encode()), "utf-16": len(PREFIX) + 1, "utf-32": len(PREFIX)}


@pytest.mark.parametrize("encoding", sorted(UNITS))
def test_positions_follow_the_agreed_encoding(tmp_path: Path, encoding: str) -> None:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n", "flow.py": FLOW})
    flow = tmp_path / "flow.py"
    seen: dict[str, Any] = {}

    async def body(c: Client) -> None:
        first = c.next_diagnostics(flow.as_uri())
        _open(c, flow, FLOW)
        seen["open"] = diags = await asyncio.wait_for(first, 60)
        actions = await c.lc.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(flow.as_uri()), range=diags[0].range,
            context=lsp.CodeActionContext(diagnostics=diags)))
        (seen["edit"],) = actions[0].edit.changes[flow.as_uri()]
        after = c.next_diagnostics(flow.as_uri())
        send_edit(c, flow, seen["edit"], 2)
        seen["after"] = await asyncio.wait_for(after, 60)

    caps = lsp.ClientCapabilities(general=lsp.GeneralClientCapabilities(
        position_encodings=[encoding]))
    run(tmp_path, body, caps)
    (d,) = seen["open"]
    line = FLOW.splitlines().index(PREFIX + "double(x)")
    assert d.code == "FLY103"
    assert d.range.start == lsp.Position(line, UNITS[encoding]), d.range
    assert d.range.end == lsp.Position(line, UNITS[encoding] + len("double(x)")), d.range
    assert seen["edit"].range.start == d.range.start and seen["edit"].new_text == "await "
    assert list(seen["after"]) == []
