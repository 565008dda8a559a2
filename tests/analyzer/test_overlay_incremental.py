"""Overlays (an editor's unsaved buffers, `check -`) on the incremental path, and the warm
state a language server keeps between checks: findings follow the buffer, nothing learnt from
it is stored (the next check of the disk is not misled), an unchanged buffer is served from
the result index, and a kept project sees new files once told."""

from __future__ import annotations

from pathlib import Path

import pytest

from flytec.analyzer.check import check_paths
from flytec.analyzer.incremental import check_incremental
from flytec.analyzer.warm_state import WarmState
from flytec.config import Config
from tests.conftest import write_project

ENVS = """\
import flyte

worker = flyte.TaskEnvironment(name="worker")
driver = flyte.TaskEnvironment(name="driver", depends_on=[worker])
"""
FLOW = """\
from pkg.envs import worker


@worker.task
async def double(x: int) -> int:
    return 2 * x
"""
SYNC_FLOW = FLOW.replace("async def double", "def double")
USER = """\
from pkg.envs import driver
from pkg.flow import double


@driver.task
async def main(x: int) -> int:
    return await double(x)
"""


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    write_project(tmp_path, {"pkg/__init__.py": "", "pkg/envs.py": ENVS, "pkg/flow.py": FLOW,
                             "pkg/user.py": USER})
    return tmp_path


def _codes(root: Path, overlay: dict[Path, bytes] | None = None,
           warm: WarmState | None = None, path: str = "pkg") -> dict[str, list[str]]:
    result = check_paths([root / path], Config(), cwd=root, incremental=True,
                         overlay=overlay, warm=warm)
    out: dict[str, list[str]] = {}
    for d in result.diagnostics:
        out.setdefault(d.path, []).append(d.code)
    return out


def test_an_overlay_reaches_importers_and_is_never_stored(root: Path) -> None:
    flow = (root / "pkg" / "flow.py").resolve()
    assert _codes(root) == {}  # fills the result index from the disk
    buffered = _codes(root, {flow: SYNC_FLOW.encode()})
    assert "pkg/user.py" in buffered, buffered  # the importer reads the buffer's sync task
    assert _codes(root) == {}  # the disk again: nothing of the buffer was remembered


def test_an_unchanged_buffer_is_served_from_the_index(root: Path) -> None:
    _codes(root)
    result = check_paths([root], Config(), cwd=root)  # a project to ask check_incremental
    project = result.project
    project.overlay = {(root / "pkg" / "flow.py").resolve(): FLOW.encode()}
    config = Config(root=root.resolve(), cwd=root.resolve(), target_python=None)
    again = check_incremental(project, [root / "pkg" / "flow.py"], config)
    assert again.reused == 1 and again.diagnostics == []
    project.overlay = {(root / "pkg" / "flow.py").resolve(): SYNC_FLOW.encode()}
    edited = check_incremental(project, [root / "pkg" / "flow.py"], config)
    assert edited.reused == 0  # analysed again


def test_warm_state_keeps_the_project_until_files_change(root: Path) -> None:
    warm = WarmState()
    user = (root / "pkg" / "user.py").resolve()
    assert _codes(root, warm=warm) == {}
    kept = warm.project
    assert kept is not None and warm.index is not None
    assert _codes(root, warm=warm) == {} and warm.project is kept  # walked once
    # a new module the buffer imports: unknown until the state is told files changed
    (root / "pkg" / "more.py").write_text(
        "from pkg.envs import worker\n\n\n@worker.task\nasync def one() -> int:\n"
        "    return 1\n")
    buffer = USER.replace("from pkg.flow import double",
                          "from pkg.flow import double\nfrom pkg.more import one") + \
        "\n\n@driver.task\nasync def other() -> int:\n    one()\n    return 1\n"
    before = _codes(root, {user: buffer.encode()}, warm, "pkg/user.py")
    warm.files_changed()
    after = _codes(root, {user: buffer.encode()}, warm, "pkg/user.py")
    assert warm.project is not kept
    assert "FLY103" not in before.get("pkg/user.py", []), before
    assert "FLY103" in after.get("pkg/user.py", []), after
