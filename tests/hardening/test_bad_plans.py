"""Issue 20, items 8 and 9: a plan file is validated in full before anything runs. A wrong or
missing ``schema_version``, a schema failure, duplicate ids, dangling references, a cycle or
a document nested too deeply is refused with exit 2 and the reason; the task's body is
never run instead (it once was, exit 0, with a remark on the start line)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from flytec.model.plan_checks import MAX_DEPTH, PlanError, load_plan_text

REPO = Path(__file__).resolve().parents[2]

Edit = Callable[[dict[str, Any]], Any]


def _set(key: str, value: Any) -> Edit:
    return lambda p: p.__setitem__(key, value)


def _drop(key: str) -> Edit:
    return lambda p: p.pop(key)


def _node(i: int, key: str, value: Any) -> Edit:
    return lambda p: p["nodes"][i].__setitem__(key, value)


# (name, edit, the reason the error must give)
BAD: list[tuple[str, Edit, str]] = [
    ("no-version", _drop("schema_version"), "no `schema_version`"),
    ("old-version", _set("schema_version", "flytec.plan/v0"),
     "unknown schema_version 'flytec.plan/v0'"),
    ("version-number", _set("schema_version", 1), "unknown schema_version 1"),
    ("no-nodes-list", _set("nodes", 3), "nodes: Input should be a valid list"),
    ("node-not-object", _set("nodes", [3]), "nodes.0: Input should be"),
    ("no-static", _drop("static"), "static: Field required"),
    ("static-string", _set("static", "maybe"), "static: Input should be a valid boolean"),
    ("no-kind", _drop("kind"), "kind: Field required"),
    ("bad-kind", _set("kind", "dag"), "kind: Input should be 'leaf' or 'workflow'"),
    ("bad-node-kind", _node(0, "kind", "teleport"), "nodes.0.kind: Input should be"),
    ("unknown-field", _set("surprise", True), "surprise: Extra inputs are not permitted"),
    ("duplicate-id", lambda p: p["nodes"].append(copy.deepcopy(p["nodes"][0])),
     "duplicate node id"),
    ("cycle", lambda p: p["nodes"][0].__setitem__("after", [p["nodes"][-1]["id"]]),
     "its nodes wait for each other"),
    ("self-wait", lambda p: p["nodes"][1].__setitem__("after", [p["nodes"][0]["id"]])
     or p["nodes"][0].__setitem__("after", [p["nodes"][1]["id"]]), "wait for each other"),
    ("after-unknown", _node(0, "after", ["ghost"]), "runs after `ghost`, which is not a node"),
    ("parent-unknown", _node(0, "parent", "ghost"), "its parent `ghost` is not a node"),
    ("input-unknown", _node(1, "inputs", {"x": {"from": "node", "node": "ghost"}}),
     "reads `ghost`, which is not a node"),
]

# (name, the file's bytes, the reason)
BAD_TEXT = [
    ("array", b"[1, 2]", "expected a JSON object, got an array"),
    ("string", b'"plan"', "expected a JSON object, got a string"),
    ("not-json", b"{not json", "not JSON"),
    ("truncated", b'{"schema_version": "flytec.plan/v1", "nodes": [', "not JSON"),
    ("not-utf8", b"{\"task\": \"\xff\"}", "not UTF-8"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """hello_async.main's plan, as `flytec build` writes it (a static workflow)."""
    root = tmp_path_factory.mktemp("plans")
    shutil.copy(REPO / "examples" / "hello_async.py", root / "hello_async.py")
    (root / "pyproject.toml").write_text("[project]\nname = 'plans'\n")
    subprocess.run([sys.executable, "-m", "flytec", "build", "hello_async.py", "-o", "plans",
                    "-q"], cwd=root, capture_output=True, check=False, timeout=120)
    plan = json.loads((root / "plans" / "hello_async.main.plan.json").read_text())
    assert plan["static"] and len(plan["nodes"]) >= 2
    return root, plan


def _run(root: Path, plan_file: Path, *extra: str) -> tuple[int, str]:
    from flytec.cli import cli

    res = CliRunner().invoke(cli, ["run", "--store", str(root / "store"), "--no-progress",
                                   *extra, str(plan_file), "--names", '["Ada"]',
                                   "--greeting", "Hi"], catch_exceptions=False)
    return res.exit_code, res.stderr


@pytest.mark.parametrize(("name", "edit", "reason"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_plan_is_refused_before_it_runs(built: tuple[Path, dict[str, Any]], name: str,
                                              edit: Edit, reason: str) -> None:
    root, plan = built
    bad = copy.deepcopy(plan)
    edit(bad)
    path = root / "plans" / f"{name}.plan.json"
    path.write_text(json.dumps(bad))
    _assert_refused(root, path, reason)


@pytest.mark.parametrize(("name", "data", "reason"), BAD_TEXT, ids=[b[0] for b in BAD_TEXT])
def test_a_file_that_is_no_plan_is_refused(built: tuple[Path, dict[str, Any]], name: str,
                                           data: bytes, reason: str) -> None:
    root, _ = built
    path = root / "plans" / f"{name}.plan.json"
    path.write_bytes(data)
    _assert_refused(root, path, reason)


def _assert_refused(root: Path, path: Path, reason: str) -> None:
    for extra in ((), ("--dynamic",)):  # --dynamic runs the body, but only of a valid plan
        code, err = _run(root, path, *extra)
        assert code == 2, err
        assert reason in err, err
        assert "started" not in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("depth", [MAX_DEPTH + 10, 5_000, 200_000])
def test_a_deeply_nested_plan_is_a_clear_error(built: tuple[Path, dict[str, Any]],
                                               depth: int) -> None:
    root, plan = built
    text = json.dumps(plan)[:-1] + ', "deep": ' + "[" * depth + "1" + "]" * depth + "}"
    path = root / "plans" / f"deep-{depth}.plan.json"
    path.write_text(text)
    code, err = _run(root, path)  # once: a RecursionError traceback
    assert code == 2, err
    assert f"nested too deeply (more than {MAX_DEPTH} levels)" in err
    worker = subprocess.run([sys.executable, "-m", "flytec", "worker", "--plan", str(path),
                             "--task", plan["task"]], capture_output=True, text=True,
                            check=False, timeout=120)
    assert worker.returncode == 2 and "nested too deeply" in worker.stderr, worker.stderr


def test_the_good_plan_still_runs_as_a_graph(built: tuple[Path, dict[str, Any]]) -> None:
    root, _ = built
    code, err = _run(root, root / "plans" / "hello_async.main.plan.json")
    assert code == 0, err
    assert "static: its plan's" in err


def test_a_valid_plan_that_cannot_run_as_a_graph_says_so(
        built: tuple[Path, dict[str, Any]]) -> None:
    """Valid, but a name it uses does not exist at run time: the body runs, and stderr says
    why instead of a remark on the start line alone."""
    root, plan = built
    edited = copy.deepcopy(plan)
    task_node = next(n for n in edited["nodes"] if n["kind"] == "task")
    task_node["task"], task_node["function"] = "hello.renamed", "hello_async:renamed"
    path = root / "plans" / "renamed.plan.json"
    path.write_text(json.dumps(edited))
    code, err = _run(root, path)
    assert code == 0, err
    assert "warning: the plan" in err and "cannot run as a graph here" in err
    assert "running the task's Python body instead" in err


def test_every_plan_flytec_builds_passes_the_checks(tmp_path: Path) -> None:
    """The checks refuse nothing `flytec build` writes (examples and the test programs)."""
    dirs = [REPO / "examples", REPO / "tests" / "runtime" / "programs",
            REPO / "tests" / "compiler" / "fixtures"]
    plans: list[Path] = []
    for i, d in enumerate(dirs):
        out = tmp_path / str(i)
        subprocess.run([sys.executable, "-m", "flytec", "build", str(d), "-o", str(out), "-q"],
                       cwd=REPO, capture_output=True, check=False, timeout=300)
        plans += sorted(out.glob("*.plan.json"))
    assert len(plans) > 100
    refused = {}
    for p in plans:
        try:
            load_plan_text(p.read_text(encoding="utf-8"))
        except PlanError as exc:
            refused[p.name] = str(exc)
    assert refused == {}
