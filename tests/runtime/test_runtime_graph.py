"""A static plan runs as a dataflow graph on the same controller as dynamic runs."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from flytec.runtime.controller import Controller
from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.graph import NodeOutput, execute_graph, nodes_from_json
from flytec.runtime.journal import JournalWriter
from flytec.runtime.loader import load_module, module_tasks
from flytec.runtime.store import Store

PLAN = [
    {"id": "days", "task": "g.split", "inputs": {"text": {"input": "text"}}},
    {"id": "slow", "task": "g.slow", "inputs": {"x": {"const": 1}}},
    {"id": "fast", "task": "g.fast", "inputs": {"x": {"const": 2}}},
    {
        "id": "each",
        "task": "g.length",
        "map": "word",
        "concurrency": 2,
        "inputs": {"word": {"node": "days"}, "bonus": {"node": "fast"}},
    },
    {
        "id": "total",
        "task": "g.total",
        "inputs": {"values": {"node": "each"}, "extra": {"node": "slow"}},
    },
]


def _tasks(tmp_path: Path) -> dict[str, Any]:
    src = tmp_path / "gprog.py"
    src.write_text(
        "import asyncio, time\nimport flyte\nenv = flyte.TaskEnvironment(name='g')\n"
        "STARTS = {}\n"
        "@env.task\nasync def split(text: str) -> list[str]:\n    return text.split()\n"
        "@env.task\nasync def slow(x: int) -> int:\n    await asyncio.sleep(0.3)\n    return x\n"
        "@env.task\nasync def fast(x: int) -> int:\n"
        "    STARTS['fast'] = time.time()\n    return x\n"
        "@env.task\nasync def length(word: str, bonus: int) -> int:\n"
        "    STARTS.setdefault('length', time.time())\n    return len(word) + bonus\n"
        "@env.task\nasync def total(values: list[int], extra: int) -> int:\n"
        "    return sum(values) + extra\n"
    )
    module = load_module(src)
    return {t.name: t for t in module_tasks(module).values()} | {"STARTS": module.STARTS}


def test_nodes_start_when_their_inputs_are_ready(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    starts = tasks.pop("STARTS")
    store = Store(tmp_path / "store")
    journal = JournalWriter(store)
    controller = Controller(run_id="g1", store=store, journal=journal)
    began = time.time()
    result = asyncio.run(
        execute_graph(
            controller, nodes_from_json(PLAN), tasks, {"text": "ab cde f"}, NodeOutput("total")
        )
    )
    journal.close()
    assert result == (2 + 2) + (3 + 2) + (1 + 2) + 1
    # The map did not wait for the slow, unrelated node.
    assert starts["length"] - began < 0.25
    actions = store.actions("g1")
    assert sorted(a.task for a in actions).count("g.length") == 3
    assert {a.group for a in actions if a.task == "g.length"} == {"g.length_each"}
    store.close()


def test_bad_graphs_are_plan_errors() -> None:
    with pytest.raises(RuntimeUsageError, match="cycle"):
        nodes_from_json(
            [
                {"id": "a", "task": "t", "inputs": {"x": {"node": "b"}}},
                {"id": "b", "task": "t", "inputs": {"x": {"node": "a"}}},
            ]
        )
    with pytest.raises(RuntimeUsageError, match="unknown node"):
        nodes_from_json([{"id": "a", "task": "t", "inputs": {"x": {"node": "zz"}}}])
    with pytest.raises(RuntimeUsageError, match="bad plan"):
        nodes_from_json([{"id": "a", "task": "t", "inputs": {"x": 3}}])
