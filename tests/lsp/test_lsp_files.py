"""The server keeps a project's file list between requests; it asks the client to watch the
project's files and walks the project again when one is created: a buffer importing a module
that did not exist gets that module's facts once the client reports the new file."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from tests.conftest import write_project
from tests.lsp.test_lsp_stdio import Client, _open, run

ENVS = 'import flyte\n\nworker = flyte.TaskEnvironment(name="worker")\n'
FLOW = """from pkg.envs import worker
from pkg.more import one


@worker.task
async def main() -> int:
    one()
    return 1
"""
MORE = """from pkg.envs import worker


@worker.task
async def one() -> int:
    return 1
"""
CAPABILITIES = lsp.ClientCapabilities(workspace=lsp.WorkspaceClientCapabilities(
    did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(
        dynamic_registration=True)))


def test_a_created_file_is_seen_once_reported(tmp_path: Path) -> None:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n",
                             "pkg/__init__.py": "", "pkg/envs.py": ENVS})
    flow = tmp_path / "pkg" / "flow.py"
    seen: dict[str, Any] = {"registrations": []}

    async def body(c: Client) -> None:
        @c.lc.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register(_: LanguageClient, params: lsp.RegistrationParams) -> None:
            seen["registrations"].extend(params.registrations)

        first = c.next_diagnostics(flow.as_uri())
        _open(c, flow, FLOW)  # a new buffer, importing a module that does not exist yet
        seen["before"] = await asyncio.wait_for(first, 60)
        (tmp_path / "pkg" / "more.py").write_text(MORE)
        again = c.next_diagnostics(flow.as_uri())
        c.lc.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
            lsp.FileEvent(uri=(tmp_path / "pkg" / "more.py").as_uri(),
                          type=lsp.FileChangeType.Created)]))
        seen["after"] = await asyncio.wait_for(again, 60)

    c = run(tmp_path, body, CAPABILITIES)
    (reg,) = seen["registrations"]
    assert reg.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = [w["globPattern"] for w in reg.register_options["watchers"]]  # (plain JSON)
    assert "**/*.py" in globs and "**/pyproject.toml" in globs, globs
    assert "FLY103" not in [d.code for d in seen["before"]]  # `one` was unknown
    assert [d.code for d in seen["after"]] == ["FLY103"]  # the new module's task
    assert not [m for m in c.logs if "failed" in m], c.logs
