"""Graphs a new user reviews (issue 23, item 11): "never awaited!" only where check reports
FLY103, environment labels with the image, resources and the number of packages (not the
list), and no `?` for a value known only at run time."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from flytec.cli import cli
from flytec.codegen.graph.view import env_label, plan_view
from tests.cli.test_first_ten import buggy
from tests.conftest import write_project


def _mermaid(cwd: Path, target: str) -> str:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        r = CliRunner().invoke(cli, ["graph", target, "-f", "mermaid"], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_never_awaited_label_follows_check(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    assert "never awaited!" in _mermaid(tmp_path, "flow.py::main")
    # check does not report FLY103 here (suppressed): the picture does not claim it either
    write_project(tmp_path, {"flow.py": buggy("  # noqa: FLY103")})
    assert "never awaited!" not in _mermaid(tmp_path, "flow.py::main")


def test_the_compilers_flag_alone_does_not_label_a_node(tmp_path: Path) -> None:
    from flytec.codegen.plan import PlanAssembler
    from flytec.codegen.plan.select import load_project
    from flytec.compiler.workflow import extract

    write_project(tmp_path, {"flow.py": buggy()})
    loaded = load_project([tmp_path / "flow.py"], tmp_path)
    program, project = loaded.result.program, loaded.result.project
    (key,) = [k for k in loaded.requested if k.endswith("main")]
    plan = PlanAssembler(program, project).plan(extract(program, key))
    assert any(n.unawaited for n in plan.nodes)  # what the compiler thinks
    lines = [ln for n in plan_view(plan).nodes for ln in n.lines]
    assert "never awaited!" not in lines  # no FLY103 positions given: no claim


IMAGE = {"layers": [
    {"call": "flyte.Image.from_debian_base", "kwargs": {"python_version": [3, 12]}},
    {"call": "with_pip_packages", "args": [f"package-{i}" for i in range(40)]},
    {"call": "with_requirements", "args": ["requirements.txt"]},
]}


def test_environment_label_counts_packages_and_shows_the_image() -> None:
    label = env_label("train", {"image": IMAGE, "resources": {"cpu": 4, "memory": "16Gi"}})
    assert label == ("train · debian base py3.12 · 40 packages + requirements.txt · "
                     "cpu 4, memory 16Gi")
    assert "package-1" not in label
    assert env_label("x", {"image": {"uri": "ghcr.io/o/i:1"}}) == "x · ghcr.io/o/i:1"
    one = {"layers": [IMAGE["layers"][0], {"call": "with_pip_packages", "args": ["torch"]}]}
    assert env_label("x", {"image": one}) == "x · debian base py3.12 · 1 package"


def test_run_time_resources_are_not_question_marks() -> None:
    dynamic_count = {"call": "flyte.GPU", "kwargs": {
        "device": "A100", "quantity": {"call": "builtins.int", "args": ["N"]}}}
    label = env_label("g", {"resources": {
        "gpu": dynamic_count, "memory": {"dynamic": "os.environ['MEM']"}}})
    assert "?" not in label
    assert label == "g · memory at run time, gpu A100 × count at run time"
    static = {"call": "flyte.GPU", "args": ["H100", 8]}
    assert env_label("g", {"resources": {"gpu": static}}) == "g · gpu H100:8"
    assert env_label("g", {"resources": {"gpu": "T4:1"}}) == "g · gpu T4:1"
