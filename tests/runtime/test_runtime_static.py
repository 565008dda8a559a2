"""Static workflows run by their plan: same results as running the body, nodes start when their
inputs are ready, limits, try/except arms, plan files, fallbacks, the cache's code hash."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from runtime_helpers import program, spawn
from test_runtime_repo_examples import CASES

ROOT = Path(__file__).resolve().parents[2]
CONSTRUCTS = ROOT / "tests" / "compiler" / "fixtures" / "constructs" / "workflows.py"
STATIC = program("static_plan.py")

# (file, task, inputs): every one must give the same outcome both ways
DIFFERENTIAL = [
    *[(str(path), task, args) for path, task, args, _ in CASES],
    (str(CONSTRUCTS), "task_group", ["--x", "3", "--y", "4"]),
    (str(CONSTRUCTS), "create_tasks", ["--x", "3"]),
    (str(CONSTRUCTS), "gather_pair", ["--x", "7"]),
    (str(CONSTRUCTS), "range_fanout", ["--n", "4"]),
    (str(CONSTRUCTS), "loop_append", ["--xs", "[1, 2, 3]", "--y", "10"]),
    (str(CONSTRUCTS), "coroutines_then_gather", ["--xs", "[1, 2, 3]"]),
    (str(CONSTRUCTS), "conditional_expression", ["--x", "6", "--big", "true"]),
    (str(CONSTRUCTS), "conditional_expression", ["--x", "3", "--big", "true"]),
    (str(CONSTRUCTS), "conditional_expression", ["--x", "3", "--big", "false"]),
    (str(CONSTRUCTS), "helpers", ["--x", "2", "--y", "3"]),
    (str(CONSTRUCTS), "partial_map", ["--xs", "[1, 2, 3]", "--factor", "2"]),
    (str(CONSTRUCTS), "glue_between", ["--x", "2", "--name", "n"]),
    (str(CONSTRUCTS), "overrides", ["--x", "4"]),
    (str(CONSTRUCTS), "gather_options", ["--xs", "[3, 1, 2]"]),
    (str(CONSTRUCTS), "reduce_loop", ["--xs", "[1, 2, 3]"]),
    (STATIC, "branches", ["--xs", "[1, 5, 2, 9]", "--limit", "3"]),
    (STATIC, "guarded", ["--x", "-3"]),
    (STATIC, "guarded", ["--x", "3"]),
    (STATIC, "unguarded", ["--x", "-1"]),
    (STATIC, "gathered", ["--n", "4"]),
]
# bodies that need a newer Python than the oldest flytec supports (3.10)
NEEDS_PYTHON = {
    "task_group": ("3.11", "the body uses asyncio.TaskGroup; on 3.10 it fails while the plan "
                   "runs, which is why FLY609 reports it for requires-python < 3.11"),
}
# workflows whose plan is dynamic: they run their body either way
DYNAMIC_PLANS = {"agent_loop.py::main"}


def _events(counters: Path) -> list[str]:
    path = counters / "events"
    return path.read_text().split() if path.exists() else []


def _peak(events: list[str], prefix: str) -> int:
    running = peak = 0
    for e in events:
        if e.startswith("+" + prefix):
            running += 1
            peak = max(peak, running)
        elif e.startswith("-" + prefix):
            running -= 1
    return peak


def _outcome(res: object) -> tuple[int, str]:
    code, stdout, stderr = res.code, res.stdout, res.stderr  # type: ignore[attr-defined]
    if code == 0:
        return code, stdout.strip().splitlines()[-1]
    failed = [ln for ln in stderr.splitlines() if " failed: " in ln]
    return code, re.sub(r"run \S+ failed", "run failed", failed[-1] if failed else stderr)


@pytest.mark.parametrize(
    ("path", "task", "args"),
    [pytest.param(p, t, a, id=f"{Path(p).name}::{t}{'-' + '_'.join(a[1::2]) if a else ''}"[:60],
                  marks=[pytest.mark.min_python(*NEEDS_PYTHON[t])] if t in NEEDS_PYTHON else [])
     for p, t, a in DIFFERENTIAL],
)
def test_static_execution_gives_the_same_outcome_as_the_body(
    flytec, counters: Path, path: str, task: str, args: list[str]
) -> None:
    static = flytec("run", f"{path}::{task}", *args)
    dynamic = flytec("run", "--dynamic", f"{path}::{task}", *args)
    assert "dynamic: --dynamic" in dynamic.stderr
    if f"{Path(path).name}::{task}" not in DYNAMIC_PLANS:
        assert "static: its plan's" in static.stderr, static.stderr
    assert _outcome(static) == _outcome(dynamic)


def test_a_node_starts_as_soon_as_its_inputs_are_ready(flytec, counters: Path) -> None:
    # `slow_until_marker` was started with create_task; it only finishes after `dependent`
    # (which needs `quick`) has run: the graph must not wait for it before starting them.
    res = flytec("run", f"{STATIC}::readiness", "--a", "1", "--b", "2")
    assert res.code == 0, res.stderr
    assert "static" in res.stderr and res.last_line == str(1 + (2 + 1) * 10)
    events = _events(counters)
    assert events.index("+dependent") < events.index("-slow")
    assert events.index("-quick-2") < events.index("+dependent")  # its input came first


def test_sequential_awaits_keep_their_order(flytec, counters: Path) -> None:
    # `y = await quick(b)` after `x = await quick(a)`: the plan says `after`, so a side effect
    # of the first (or its failure) is seen before the second starts, as in the body.
    res = flytec("run", f"{STATIC}::ordered", "--a", "1", "--b", "5")
    assert res.code == 0, res.stderr
    assert _events(counters) == ["+quick-1", "-quick-1", "+quick-5", "-quick-5"]


def test_map_runs_under_its_concurrency_limit(flytec, counters: Path) -> None:
    res = flytec("run", f"{STATIC}::limited_map", "--n", "6")
    assert res.code == 0, res.stderr
    assert res.json() == [i * i for i in range(6)]
    assert _peak(_events(counters), "busy") == 2


def test_fanout_runs_under_max_concurrency(flytec, counters: Path) -> None:
    res = flytec("run", "--max-concurrency", "2", f"{STATIC}::gathered", "--n", "6")
    assert res.code == 0, res.stderr
    assert "static" in res.stderr and res.last_line == str(sum(i * i for i in range(6)))
    assert _peak(_events(counters), "busy") == 2
    (counters / "events").unlink()
    assert flytec("run", f"{STATIC}::gathered", "--n", "6").code == 0
    assert _peak(_events(counters), "busy") > 2  # without the limit they overlap


def test_failing_node_in_try_takes_the_except_arm(flytec, store: Path) -> None:
    res = flytec("run", "--run-id", "tx", f"{STATIC}::guarded", "--x", "-3")
    assert res.code == 0, res.stderr
    assert res.last_line == "except:ValueError:300"
    assert flytec("run", f"{STATIC}::guarded", "--x", "3").last_line == "body:3"
    shown = flytec("runs", "show", "tx").stdout
    assert "static_plan.risky FAILED" in shown and "static_plan.fallback SUCCEEDED" in shown
    assert "execution static" in shown
    # A handler that does not match: the task fails with the child's error.
    res = flytec("run", f"{STATIC}::unguarded", "--x", "-1")
    assert res.code == 1 and "ValueError" in res.stderr and "negative: -1" in res.stderr


def test_plan_file_runs_as_a_graph(flytec, tmp_path: Path) -> None:
    out = tmp_path / "plans"
    build = subprocess.run(
        [sys.executable, "-m", "flytec", "build", str(ROOT / "examples" / "etl.py"), "-o",
         str(out), "-q"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert (out / "etl_driver.main.plan.json").is_file(), build.stdout + build.stderr
    days = '["2026-01-01", "2026-01-02", "2026-01-03"]'
    res = flytec("run", str(out / "etl_driver.main.plan.json"), "--days", days)
    assert res.code == 0, res.stderr
    assert "static: its plan's" in res.stderr
    assert res.json() == flytec("run", "--dynamic", str(out / "etl_driver.main.plan.json"),
                                "--days", days).json()
    assert res.json()["days_loaded"] == 2


def test_a_plan_whose_steps_wait_for_each_other_is_refused(flytec, tmp_path: Path) -> None:
    src = ROOT / "examples" / "hello_async.py"
    shutil.copy(src, tmp_path / "hello_async.py")
    out = tmp_path / "plans"
    subprocess.run([sys.executable, "-m", "flytec", "build", str(tmp_path / "hello_async.py"),
                    "-o", str(out), "-q"], capture_output=True, cwd=tmp_path, check=False)
    plan_file = out / "hello_async.main.plan.json"
    plan = json.loads(plan_file.read_text())
    first, last = plan["nodes"][0], plan["nodes"][-1]
    first["after"] = [last["id"]]  # hand-edited: now two nodes wait for each other
    plan_file.write_text(json.dumps(plan))
    res = flytec("run", str(plan_file), "--names", '["Ada"]', "--greeting", "Hi")
    assert res.code == 2, res.stderr
    assert "its nodes wait for each other" in res.stderr
    assert "started" not in res.stderr  # refused before anything runs, not run as the body


def test_changed_helper_invalidates_the_cache(store: Path, counters: Path, tmp_path: Path) -> None:
    src = tmp_path / "cached.py"
    text = (
        "import os\nfrom pathlib import Path\nimport flyte\n"
        "env = flyte.TaskEnvironment(name='cached')\n"
        "def helper(x: int) -> int:\n    return x + 1\n"
        "@env.task(cache='auto')\nasync def work(x: int) -> int:\n"
        "    p = Path(os.environ['COUNTER_DIR']) / 'work'\n"
        "    p.write_text(str(int(p.read_text()) + 1 if p.exists() else 1))\n"
        "    return helper(x)\n"
        "@env.task\nasync def main(x: int) -> int:\n    return await work(x)\n"
    )
    env = {"COUNTER_DIR": str(counters)}

    def run(*args: str) -> str:  # a fresh process each time: the edited file is imported
        proc = spawn(store, *args, f"{src}::main", "--x", "1", env=env)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        return out.strip().splitlines()[-1]

    src.write_text(text)
    assert [run(), run()] == ["2", "2"]
    assert (counters / "work").read_text() == "1"  # the second run was a cache hit
    src.write_text(text.replace("return x + 1", "return x + 2"))  # only the helper changes
    assert run() == "3"
    assert (counters / "work").read_text() == "2"
    assert run("--dynamic") == "3"  # the same code hash either way: a hit
    assert (counters / "work").read_text() == "2"


def _wait_for(path: Path, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while not path.exists():
        if time.time() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.05)


def _journaled(store: Path, run_id: str) -> int:
    db = sqlite3.connect(store / "flytec.db")
    try:
        return int(db.execute("SELECT count(*) FROM actions WHERE run_id=? AND "
                              "status='SUCCEEDED'", (run_id,)).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def test_static_run_resumes_after_sigkill(store: Path, counters: Path) -> None:
    env = {"COUNTER_DIR": str(counters)}
    proc = spawn(store, "--run-id", "skill", f"{STATIC}::resumable", "--n", "3", env=env)
    try:
        _wait_for(counters / "waiting")
        deadline = time.time() + 30
        while _journaled(store, "skill") < 3 and time.time() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert sorted(e for e in _events(counters) if e.startswith("+quick")) == [
        "+quick-0", "+quick-1", "+quick-2"]
    (counters / "go").write_text("1")
    resumed = spawn(store, "--resume", "skill", env=env)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    assert "static: its plan's" in err
    total = 1 + 2 + 3
    assert out.strip().splitlines()[-1] == str(total + total + 1)
    events = _events(counters)
    # The fan-out's finished items were replayed; the wait ran again; then the last call.
    assert sorted(e for e in events if e.startswith("+quick")) == [
        "+quick-0", "+quick-1", "+quick-2", f"+quick-{total}"]
    assert events.count("+wait") == 2
