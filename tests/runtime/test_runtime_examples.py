"""Every test program runs end to end through `flytec run` with the right result."""

from __future__ import annotations

from pathlib import Path

from runtime_helpers import count, program


def _expected_total(day: str) -> float:
    seed = sum(ord(c) for c in day)
    return round(sum(float((seed * i) % 97) for i in range(1, 11)), 2)


def test_etl_fanout_result_is_last_stdout_line_as_json(flytec, store: Path) -> None:
    expected = {
        "2026-01-01": _expected_total("2026-01-01"),
        "2026-01-02": _expected_total("2026-01-02"),
    }
    res = flytec("run", program("etl.py") + "::main", "--days", '["2026-01-01","2026-01-02"]')
    assert res.code == 0, res.stderr
    assert res.json() == expected
    # The driver's own print() is not a node of its static plan; its body prints it.
    res = flytec(
        "run", "--dynamic", program("etl.py") + "::main", "--days", '["2026-01-01","2026-01-02"]'
    )
    assert res.json() == expected
    assert "processed 2 days" in res.stdout


def test_flyte_cli_form_file_then_task(flytec) -> None:
    res = flytec("run", program("etl.py"), "main", "--days", '["2026-01-03"]')
    assert res.code == 0, res.stderr
    assert list(res.json()) == ["2026-01-03"]


def test_map_yields_exceptions_as_runtime_user_errors(flytec) -> None:
    res = flytec("run", program("mapping.py") + "::main", "--n", "7")
    assert res.code == 0, res.stderr
    assert res.json() == {
        "ok": [10, 20, 40, 50],
        "failed": 3,
        "codes": ["RuntimeUserError:ValueError"],
    }


def test_map_return_exceptions_false_raises_first_failure(flytec) -> None:
    res = flytec("run", program("mapping.py") + "::strict", "--n", "5")
    assert res.code == 1
    assert "ValueError: multiple of three: 0" in res.stderr


def test_sync_map_with_partial_from_sync_task(flytec) -> None:
    res = flytec("run", program("mapping.py") + "::sync_main", "--n", "4")
    assert res.code == 0, res.stderr
    assert res.json() == [100, 101, 102, 103]


def test_sync_map_in_async_code_misbehaves_like_the_sdk(flytec) -> None:
    res = flytec("run", program("mapping.py") + "::misuse", "--n", "3")
    assert res.code == 0, res.stderr
    assert res.json() == ["AssertionError"] * 3


def test_sync_tasks_call_sync_tasks_and_aio_from_async(flytec) -> None:
    res = flytec("run", program("sync_tasks.py") + "::main", "--x", "3")
    assert res.code == 0, res.stderr
    assert res.json() == [13, 6]


def test_sync_task_called_directly_from_async_raises(flytec) -> None:
    res = flytec("run", program("sync_tasks.py") + "::wrong", "--x", "3")
    assert res.code == 0, res.stderr
    assert res.last_line == "SyncTaskCallInAsyncContextError"


def test_inputs_and_outputs_are_copies(flytec) -> None:
    res = flytec("run", program("sync_tasks.py") + "::copies")
    assert res.code == 0, res.stderr
    assert res.json() == {"mine": [1, 2], "out": [1, 2, 99, 100]}


def test_child_exception_arrives_as_runtime_user_error_with_code(flytec) -> None:
    res = flytec("run", program("flaky.py") + "::main_catch")
    assert res.code == 0, res.stderr
    assert res.json() == {"caught": "RuntimeUserError", "code": "KeyError"}


def test_failed_run_exits_1_with_one_line_error(flytec) -> None:
    res = flytec("run", program("flaky.py") + "::main_fail")
    assert res.code == 1
    assert "failed: KeyError" in res.stderr
    assert "Traceback" not in res.stderr


def test_dataclass_inputs_remote_ref_group_override_durable(flytec) -> None:
    res = flytec(
        "run",
        program("features.py") + "::main",
        "--points",
        '[{"x": 1, "y": -2}, {"x": 3, "y": 4}]',
        "--scale",
        "2",
    )
    assert res.code == 0, res.stderr
    assert res.json() == {
        "norms": [6.0, 14.0],
        "ref": 3,
        "moved": {"x": 6, "y": -2},
        "has_ctx": True,
        "durable_time": True,
    }


def test_files_are_local_paths(flytec) -> None:
    res = flytec("run", program("features.py") + "::read_back", "--text", "hello")
    assert res.code == 0, res.stderr
    assert res.last_line == "hello"


def test_remote_ref_to_unknown_task_is_not_found(flytec) -> None:
    res = flytec("run", program("features.py") + "::missing_ref")
    assert res.code == 0, res.stderr
    assert res.last_line == "RemoteTaskNotFoundError"


def test_trace_and_cache_program(flytec, counters: Path) -> None:
    res = flytec("run", program("traced.py") + "::main", "--x", "4")
    assert res.code == 0, res.stderr
    assert res.json() == {"page": "A.EXAMPLE", "choice": "a", "square": 16, "pinned": 5}
    assert count(counters, "fetch") == 1


def test_task_inside_trace_is_refused(flytec) -> None:
    res = flytec("run", program("traced.py") + "::nested_task_in_trace")
    assert res.code == 1
    assert "TraceDoesNotAllowNestedTasksError" in res.stderr


def test_group_labels_the_parents_calls_only(flytec, store: Path) -> None:
    import sqlite3

    res = flytec("run", "--run-id", "g1", program("features.py") + "::grouped")
    assert res.code == 0, res.stderr
    assert res.json() == ["outer", "none"]
    db = sqlite3.connect(store / "flytec.db")
    groups = dict(db.execute("SELECT task, grp FROM actions WHERE run_id='g1'").fetchall())
    assert groups == {"features.grouped": None, "features.inner": "outer"}


def test_module_inside_a_package_with_relative_imports(flytec) -> None:
    res = flytec("run", program("pkg/flow.py") + "::main", "--words", '["a", "b"]', "--sep", '"-"')
    assert res.code == 0, res.stderr
    assert res.last_line == "A-B"  # a JSON string literal is accepted for a str input
