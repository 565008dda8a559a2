"""Name resolution across modules: aliases, relative imports, re-exports."""

from __future__ import annotations

from pathlib import Path

from flytec.compiler.project import Project, load
from flytec.compiler.recover import recover
from flytec.model.program import Program
from tests.conftest import EXAMPLES, write_project

ENVS = """
import flyte
worker = flyte.TaskEnvironment(name="worker")
driver = flyte.TaskEnvironment(name="driver", depends_on=[worker])
"""
TASKS = """
from pkg.envs import worker

@worker.task
async def clean(x: str) -> str:
    return x.strip()

@worker.task
def count(xs: list[str]) -> int:
    return len(xs)
"""


def program_of(root: Path, files: dict[str, str], entry: str) -> Program:
    write_project(root, files)
    project = Project(root)
    return recover(load(project, [root / entry]).modules)


def sites(program: Program, caller: str) -> list[tuple[str | None, tuple[str, ...]]]:
    return [(s.target, s.via) for s in program.calls[caller] if s.target_kind == "task"]


def test_aliases_relative_imports_and_reexports(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "from .tasks import clean as clean_reexported\n",
        "pkg/envs.py": ENVS,
        "pkg/tasks.py": TASKS,
        "pkg/flow.py": """
import asyncio
import flyte as fl
from . import tasks
from .envs import driver as d
from .tasks import clean as c
from pkg import clean_reexported
import pkg.tasks

@d.task
async def main(xs: list[str]) -> int:
    a = await c(x="1")
    b = await tasks.clean(x="2")
    e = await clean_reexported(x="3")
    f = await pkg.tasks.clean(x="4")
    n = await tasks.count.aio(xs=xs)
    m = await tasks.count.override(retries=2).aio(xs=xs)
    return n + m
""",
    }
    program = program_of(tmp_path, files, "pkg/flow.py")
    assert set(program.modules) == {"pkg", "pkg.envs", "pkg.tasks", "pkg.flow"}
    assert program.tasks["pkg.flow:main"].fqn == "driver.main"
    assert program.tasks["pkg.tasks:clean"].fqn == "worker.clean"
    assert sites(program, "pkg.flow:main") == [
        ("pkg.tasks:clean", ()),
        ("pkg.tasks:clean", ()),
        ("pkg.tasks:clean", ()),
        ("pkg.tasks:clean", ()),
        ("pkg.tasks:count", ("aio",)),
        ("pkg.tasks:count", ("override", "aio")),
    ]
    over = [s for s in program.calls["pkg.flow:main"] if "override" in s.via][0]
    assert over.override == {"retries": 2}
    assert program.environments["pkg.envs:driver"].depends_on == ["pkg.envs:worker"]


def test_import_forms_of_flyte(tmp_path: Path) -> None:
    files = {
        "a.py": """
from flyte import TaskEnvironment as TE
import flyte.io
from flyte.io import File
env = TE(name="a", image="python:3.12", env_vars={"K": "v"}, queue="q")

@env.task(retries=3, timeout=60, short_name="t", max_inline_io_bytes=1024)
def t(f: File, d: flyte.io.Dir) -> None:
    pass
""",
    }
    program = program_of(tmp_path, files, "a.py")
    env = program.environments["a:env"]
    assert env.name == "a"
    assert env.config == {"image": "python:3.12", "env_vars": {"K": "v"}, "queue": "q"}
    task = program.tasks["a:t"]
    assert task.options == {"retries": 3, "timeout": 60, "short_name": "t",
                            "max_inline_io_bytes": 1024}


def test_src_layout_and_namespace_packages(tmp_path: Path) -> None:
    files = {
        "src/app/envs.py": ENVS.replace("pkg", "app"),
        "src/app/flow.py": """
from app.envs import driver
from app.sub.more import helper_task

@driver.task
async def main() -> int:
    return await helper_task()
""",
        "src/app/sub/more.py": """
from app.envs import worker

@worker.task
async def helper_task() -> int:
    return 1
""",
    }
    program = program_of(tmp_path, files, "src/app/flow.py")
    assert "app.sub.more" in program.modules  # namespace package, no __init__.py
    assert sites(program, "app.flow:main") == [("app.sub.more:helper_task", ())]


def test_clone_with_and_add_dependency(tmp_path: Path) -> None:
    files = {
        "m.py": """
import flyte
base = flyte.TaskEnvironment(name="base", resources=flyte.Resources(cpu=1))
big = base.clone_with(name="big", resources=flyte.Resources(cpu=8))
other = flyte.TaskEnvironment(name="other")
big.add_dependency(other)
""",
    }
    program = program_of(tmp_path, files, "m.py")
    big = program.environments["m:big"]
    assert big.kind == "clone_with" and big.clone_of == "m:base"
    assert big.depends_on == ["m:other"]


def test_pipelines_example_resolves_across_modules() -> None:
    project = Project(EXAMPLES)
    program = recover(load(project, [EXAMPLES / "pipelines" / "workflow.py"]).modules)
    calls = [s for s in program.calls["pipelines.workflow:main"] if s.target_kind == "task"]
    assert calls and all(s.target and s.target.startswith("pipelines.tasks:") for s in calls)


def test_only_flyte_files_and_their_imports_are_parsed(tmp_path: Path) -> None:
    files = {
        "flow.py": "import flyte\nfrom util import stamp\n",
        "util.py": "import time\ndef stamp() -> float:\n    return time.time()\n",
        "unrelated.py": "x = 1\n",
    }
    write_project(tmp_path, files)
    loaded = load(Project(tmp_path, cwd=tmp_path), [tmp_path])
    assert set(loaded.modules) == {"flow", "util"}
    assert loaded.skipped == ["unrelated.py"]


def test_module_level_code_sees_only_earlier_bindings(tmp_path: Path) -> None:
    # `env = TaskEnvironment(depends_on=[env])`: the inner `env` is the imported one
    files = {
        "lib.py": "import flyte\nenv = flyte.TaskEnvironment(name='lib')\n",
        "flow.py": "import flyte\nfrom lib import env\n\n"
        "env = flyte.TaskEnvironment(name='flow', depends_on=[env])\n",
    }
    program = program_of(tmp_path, files, "flow.py")
    assert program.environments["flow:env"].depends_on == ["lib:env"]


def test_paths_are_shown_relative_to_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    f = tmp_path / "sub" / "deep" / "m.py"
    f.write_text("x = 1\n")
    outside = tmp_path.parent / "elsewhere.py"
    shown = Project(tmp_path, cwd=tmp_path / "sub").display
    assert shown(f) == "deep/m.py"
    assert shown(tmp_path / "sub") == "."
    assert shown(outside) == str(outside)  # outside the working directory: as given
    assert Project(tmp_path, cwd=Path("/")).display(f) == str(f)[1:]
    # a folder that is a prefix of the working directory's name is not inside it
    assert Project(tmp_path, cwd=tmp_path / "su").display(f) == str(f)
    link = tmp_path / "sub" / "link.py"
    link.symlink_to(f)
    assert Project(tmp_path, cwd=tmp_path).display(link) == "sub/deep/m.py"  # the real file
