"""Small pieces: hashing, retry policy, timeouts, inputs, result rendering."""

from __future__ import annotations

import dataclasses
import datetime
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.hashing import action_id, inputs_hash
from flytec.runtime.inputs import bind_inputs, split_args
from flytec.runtime.outputs import render
from flytec.runtime.spec import RetryPolicy, _retry_policy, _timeout


def test_inputs_hash_is_equal_across_processes() -> None:
    value = {"s": {"b", "a", "c"}, "d": {"z": 1, "y": [1.5, None]}, "t": "x"}
    here = inputs_hash(value)
    code = (
        "from flytec.runtime.hashing import inputs_hash;"
        "print(inputs_hash({'t': 'x', 'd': {'y': [1.5, None], 'z': 1}, 's': {'c', 'a', 'b'}}))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)},
    ).stdout.strip()
    assert here == there
    assert inputs_hash({"x": 1}) != inputs_hash({"x": 2})
    assert inputs_hash({"x": 1, "note": "a"}, ignored=("note",)) == inputs_hash({"x": 1})


def test_action_ids_depend_on_parent_inputs_sequence_and_group() -> None:
    base = action_id("a0", "env.t", "h", 0, None)
    assert base == action_id("a0", "env.t", "h", 0, None)
    assert (
        len(
            {
                base,
                action_id("a1", "env.t", "h", 0, None),
                action_id("a0", "env.t", "h", 1, None),
                action_id("a0", "env.t", "h", 0, "g"),
                action_id("a0", "env.u", "h", 0, None),
            }
        )
        == 5
    )


def test_retry_backoff_grows_and_is_capped() -> None:
    policy = _retry_policy(
        SimpleNamespace(
            count=4,
            backoff=SimpleNamespace(
                base=timedelta(seconds=1), factor=2.0, cap=timedelta(seconds=3)
            ),
        )
    )
    assert policy.count == 4
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 3.0, 3.0]
    assert RetryPolicy(count=2).delay(1) == 0.0
    assert _retry_policy(3).count == 3


def test_timeouts_from_every_form() -> None:
    assert _timeout(None) is None and _timeout(0) is None
    assert _timeout(5) == 5.0
    assert _timeout(timedelta(milliseconds=250)) == 0.25
    assert _timeout(SimpleNamespace(max_runtime=timedelta(seconds=9), deadline=4)) == 4.0


def test_split_args_forms() -> None:
    assert split_args(["--a", "1", "--b-c=x", "--flag"]) == {"a": "1", "b_c": "x", "flag": None}
    with pytest.raises(RuntimeUsageError, match="unexpected argument"):
        split_args(["oops"])
    with pytest.raises(RuntimeUsageError, match="given twice"):
        split_args(["--a", "1", "--a", "2"])


@dataclasses.dataclass
class Box:
    w: int
    tags: list[str]


def test_inputs_are_typed_by_annotations() -> None:
    def task(
        box: Box,
        day: datetime.date,
        name: str,
        ok: bool,
        ratio: float = 0.5,
        extra: dict[str, int] | None = None,
    ) -> None: ...

    values = bind_inputs(
        task,
        {
            "box": '{"w": 2, "tags": ["a"]}',
            "day": "2026-01-02",
            "name": "42",
            "ok": None,
            "extra": '{"k": 1}',
        },
        "t",
    )
    assert values == {
        "box": Box(2, ["a"]),
        "day": datetime.date(2026, 1, 2),
        "name": "42",
        "ok": True,
        "extra": {"k": 1},
    }
    with pytest.raises(RuntimeUsageError, match="missing input --day"):
        bind_inputs(task, {"box": '{"w": 1, "tags": []}'}, "t")


def test_render_result_line() -> None:
    assert render("hello") == "hello"
    assert render("two\nlines") == '"two\\nlines"'
    assert render(3) == "3" and render(2.5) == "2.5"
    assert render(True) == "true" and render(None) == "null"
    assert render({"a": [1, (2, 3)]}) == '{"a": [1, [2, 3]]}'
    assert render(Box(1, ["x"])) == '{"w": 1, "tags": ["x"]}'


def test_plain_progress_lines_when_not_a_terminal() -> None:
    import io
    import time

    from flytec.runtime.progress import Progress, ProgressDisplay

    progress = Progress()
    stream = io.StringIO()
    with ProgressDisplay(progress, "r1", stream=stream, interval=0.05):
        progress.start("env.a")
        progress.start("env.a")
        progress.succeeded("env.a")
        progress.start("env.b")
        progress.failed("env.b")
        progress.cached("env.c")
        time.sleep(0.3)
    lines = stream.getvalue().splitlines()
    assert lines == ["flytec: run r1: 1 done, 1 running, 1 failed, 1 cached"]
    table = progress.table("t")
    assert table.row_count == 3


def test_runtime_code_hash_uses_the_canonical_form(tmp_path: Path) -> None:
    import importlib.util

    from flytec.runtime.hashing import code_hash

    def load(name: str, body: str) -> Any:
        p = tmp_path / f"{name}.py"
        p.write_text(body)
        spec = importlib.util.spec_from_file_location(name, p)
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod.f

    a = load("a", "def f(x):\n    'Doc.'\n    return x + 1  # one\n")
    b = load("b", 'def f(x):\n    return (x+1)\n')
    c = load("c", "def f(x):\n    return x + 2\n")
    assert code_hash(a) == code_hash(b) != code_hash(c)
