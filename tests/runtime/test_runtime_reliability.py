"""Retries, timeouts, the cache, recovery after SIGKILL, concurrent runs, Ctrl-C."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from pathlib import Path

from runtime_helpers import count, program, spawn


def _wait_for(path: Path, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while not path.exists():
        if time.time() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.05)


def _wait_for_journal(store: Path, run_id: str, rows: int, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        db = sqlite3.connect(store / "flytec.db")
        try:
            n = db.execute(
                "SELECT count(*) FROM actions WHERE run_id=? AND status='SUCCEEDED'", (run_id,)
            ).fetchone()[0]
        except sqlite3.OperationalError:
            n = 0
        finally:
            db.close()
        if n >= rows:
            return
        time.sleep(0.05)
    raise AssertionError(f"journal of {run_id} never reached {rows} rows")


def test_flaky_task_is_retried_until_it_succeeds(flytec, counters: Path) -> None:
    res = flytec("run", program("flaky.py") + "::main", "--fail-times", "2")
    assert res.code == 0, res.stderr
    assert res.last_line == "3"
    assert count(counters, "flaky") == 3


def test_retries_exhausted_fails_the_run(flytec, counters: Path) -> None:
    res = flytec("run", program("flaky.py") + "::main", "--fail-times", "9")
    assert res.code == 1
    assert "ConnectionError: attempt 4 failed" in res.stderr
    assert count(counters, "flaky") == 4  # 1 + 3 retries


def test_non_recoverable_error_skips_retries(flytec, counters: Path) -> None:
    res = flytec("run", program("flaky.py") + "::main_doomed")
    assert res.code == 0, res.stderr
    # as in the SDK, the parent sees RuntimeUserError with the code NonRecoverableError
    assert res.last_line == "RuntimeUserError:NonRecoverableError"
    assert count(counters, "doomed") == 1


def test_timeout_raises_task_timeout_error_after_retries(flytec, counters: Path) -> None:
    started = time.time()
    res = flytec("run", program("flaky.py") + "::main_slow")
    assert res.code == 0, res.stderr
    assert res.last_line == "timeout:TaskTimeoutError"
    assert count(counters, "slow") == 2
    assert time.time() - started < 4


def test_cache_hit_and_miss_across_runs(flytec, counters: Path) -> None:
    first = flytec("run", program("traced.py") + "::main", "--x", "3", "--note", "a")
    assert first.code == 0, first.stderr
    # Same inputs except an ignored one: a hit, the task body does not run again.
    second = flytec("run", program("traced.py") + "::main", "--x", "3", "--note", "b")
    assert second.code == 0, second.stderr
    assert second.json() == first.json()
    assert count(counters, "expensive-3") == 1
    # behavior="override" is written, never read: it runs again (as the SDK's local mode)
    assert count(counters, "pinned-3") == 2
    # Different input: a miss.
    third = flytec("run", program("traced.py") + "::main", "--x", "5")
    assert third.code == 0
    assert count(counters, "expensive-5") == 1
    # --overwrite-cache executes again; --no-cache too.
    flytec("run", "--overwrite-cache", program("traced.py") + "::main", "--x", "3")
    assert count(counters, "expensive-3") == 2
    flytec("run", "--no-cache", program("traced.py") + "::main", "--x", "3")
    assert count(counters, "expensive-3") == 3


def test_cache_list_and_clear(flytec, counters: Path) -> None:
    flytec("run", program("traced.py") + "::main", "--x", "2")
    listed = flytec("cache", "list", "--json")
    tasks = sorted(e["task"] for e in json.loads(listed.stdout))
    assert tasks == ["traced.expensive", "traced.pinned"]
    cleared = flytec("cache", "clear", "--task", "traced.pinned")
    assert "cleared 1 cache entry" in cleared.stdout
    assert [e["task"] for e in json.loads(flytec("cache", "list", "--json").stdout)] == [
        "traced.expensive"
    ]
    flytec("cache", "clear")
    assert json.loads(flytec("cache", "list", "--json").stdout) == []


def test_resume_after_sigkill_replays_finished_work(store: Path, counters: Path) -> None:
    env = {"COUNTER_DIR": str(counters)}
    proc = spawn(
        store, "--run-id", "crashme", program("resumable.py") + "::main", "--n", "3", env=env
    )
    try:
        _wait_for(counters / "waiting")
        _wait_for_journal(store, "crashme", 4)  # 3 steps + 1 trace, committed by the writer
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [count(counters, f"step-{i}") for i in range(3)] == [1, 1, 1]
    assert count(counters, "trace-start") == 1

    (counters / "go").write_text("1")
    resumed = spawn(store, "--resume", "crashme", env=env)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1]) == {
        "label": "stamped-start",
        "values": [0, 10, 20],
        "released": "released",
    }
    # Finished sub-tasks and the trace were replayed, not executed again.
    assert [count(counters, f"step-{i}") for i in range(3)] == [1, 1, 1]
    assert count(counters, "trace-start") == 1
    assert count(counters, "wait") == 2  # it never finished, so it ran again
    db = sqlite3.connect(store / "flytec.db")
    assert db.execute("SELECT status FROM runs WHERE run_id='crashme'").fetchone()[0] == (
        "SUCCEEDED"
    )


def test_two_concurrent_runs_share_one_cache(store: Path, counters: Path) -> None:
    env = {"COUNTER_DIR": str(counters)}
    procs = [
        spawn(store, program("traced.py") + "::main", "--x", str(x), env=env) for x in (11, 12)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    assert [json.loads(o[0].strip().splitlines()[-1])["square"] for o in outs] == [121, 144]
    # Both runs and both cache entries are recorded; a third run hits the cache.
    again = spawn(store, program("traced.py") + "::main", "--x", "12", env=env)
    again.communicate(timeout=60)
    assert count(counters, "expensive-12") == 1
    db = sqlite3.connect(store / "flytec.db")
    assert db.execute("SELECT count(*) FROM runs WHERE status='SUCCEEDED'").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM cache").fetchone()[0] == 4


def test_ctrl_c_aborts_cleanly_and_records_the_run(store: Path, counters: Path) -> None:
    env = {"COUNTER_DIR": str(counters)}
    proc = spawn(
        store, "--run-id", "stopme", program("resumable.py") + "::main", "--n", "2", env=env
    )
    try:
        _wait_for(counters / "waiting")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "aborted" in err and "Traceback" not in err
    db = sqlite3.connect(store / "flytec.db")
    assert db.execute("SELECT status FROM runs WHERE run_id='stopme'").fetchone()[0] == "ABORTED"
    statuses = dict(
        db.execute(
            "SELECT task, status FROM actions WHERE run_id='stopme' AND task LIKE 'resumable.wait%'"
        ).fetchall()
    )
    assert statuses == {"resumable.wait_for_marker": "ABORTED"}


def test_processes_run_sync_leaves_in_worker_processes(flytec) -> None:
    res = flytec(
        "run", "--processes", "2", program("cpu.py") + "::main", "--k", "6", "--n", "200000"
    )
    assert res.code == 0, res.stderr
    data = res.json()
    assert data["parent_pid_used"] is False
    assert 1 <= data["distinct_pids"] <= 2


def test_without_processes_sync_tasks_stay_in_process(flytec) -> None:
    res = flytec("run", program("cpu.py") + "::main", "--k", "3", "--n", "10")
    assert res.code == 0, res.stderr
    assert res.json() == {"distinct_pids": 1, "parent_pid_used": True}


def test_ten_thousand_tasks_are_recorded(flytec, store: Path) -> None:
    res = flytec("run", program("fanout.py") + "::main", "--n", "10000")
    assert res.code == 0, res.stderr
    assert res.last_line == str(sum(range(10000)))
    db = sqlite3.connect(store / "flytec.db")
    assert db.execute("SELECT count(*) FROM actions WHERE status='SUCCEEDED'").fetchone()[0] == (
        10001
    )


def test_max_concurrency_limits_leaf_bodies_without_deadlock(flytec) -> None:
    limited = flytec(
        "run",
        "--max-concurrency",
        "2",
        program("concurrency.py") + "::main",
        "--groups",
        "4",
        "--width",
        "5",
    )
    assert limited.code == 0, limited.stderr
    assert limited.json() == {"done": 20, "peak": 2}
    free = flytec("run", program("concurrency.py") + "::main", "--groups", "4", "--width", "5")
    assert free.json() == {"done": 20, "peak": 20}


def test_killed_run_is_listed_as_interrupted(store: Path, counters: Path, flytec) -> None:
    proc = spawn(store, "--run-id", "killed", program("resumable.py") + "::main", "--n", "1",
                 env={"COUNTER_DIR": str(counters)})
    try:
        _wait_for(counters / "waiting")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    listed = json.loads(flytec("runs", "list", "--json").stdout)
    assert [(r["run_id"], r["status"]) for r in listed] == [("killed", "INTERRUPTED")]
    shown = flytec("runs", "show", "killed").stdout
    assert "trace resumable.stamp SUCCEEDED" in shown and "resumable.step SUCCEEDED" in shown
