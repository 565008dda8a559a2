"""Driver statements run for their side effects (print, assert, helpers, ``.sort()``) run in a
static run too, in program order: same stdout as ``--dynamic``, same failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_helpers import program

SIDE = program("side_effects.py")

CASES = [
    ("chatty", ["--xs", "[3, 1, 2]", "--limit", "5"]),
    ("chatty", ["--xs", "[1]", "--limit", "5"]),
    ("failing_assert", ["--x", "2"]),
    ("caught_assert", ["--x", "5"]),
    ("caught_assert", ["--x", "1"]),
    ("gathered", ["--xs", "[1, 2, 3]"]),
]


@pytest.mark.parametrize(("task", "args"), CASES, ids=[f"{t}-{'_'.join(a[1::2])}"
                                                        for t, a in CASES])
def test_static_run_prints_what_the_body_prints(
    flytec, counters: Path, task: str, args: list[str]
) -> None:
    static = flytec("run", f"{SIDE}::{task}", *args)
    static_notes = (counters / "notes").read_text() if (counters / "notes").exists() else ""
    (counters / "notes").unlink(missing_ok=True)
    dynamic = flytec("run", "--dynamic", f"{SIDE}::{task}", *args)
    dynamic_notes = (counters / "notes").read_text() if (counters / "notes").exists() else ""
    assert static.code == dynamic.code == 0, static.stderr + dynamic.stderr
    assert "static: its plan's" in static.stderr, static.stderr
    assert static.stdout == dynamic.stdout
    assert static_notes == dynamic_notes


def test_chatty_prints_in_program_order(flytec, counters: Path) -> None:
    res = flytec("run", f"{SIDE}::chatty", "--xs", "[3, 1, 2]", "--limit", "5")
    assert res.code == 0, res.stderr
    assert res.stdout.splitlines() == [
        "start [3, 1, 2]", "first 9",
        "item 1", "squared 1", "item 2", "squared 2", "item 3", "squared 3",
        "over the limit 14 5", "trying -9", "caught RuntimeUserError",
        "no task 1", "no task 2", "no task 3", "end 25", "25",
    ]
    assert (counters / "notes").read_text() == "sorted [1, 2, 3]\n"


def test_a_failing_assert_fails_the_static_run_as_the_body(flytec, counters: Path) -> None:
    for mode in ([], ["--dynamic"]):
        res = flytec("run", *mode, f"{SIDE}::failing_assert", "--x", "5")
        assert res.code == 1
        assert "AssertionError: 25 is too big" in res.stderr
        assert res.stdout.splitlines() == ["before the assert 25"]
        assert ("static: its plan's" in res.stderr) == (not mode)
