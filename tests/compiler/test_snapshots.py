"""Snapshots of every example's plans and workflow DOT (review each change you accept:
``pytest tests/compiler --snapshot-update``)."""

from __future__ import annotations

from typing import Any

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from flytec.codegen.graph.dot import to_dot
from flytec.codegen.graph.view import plan_view
from flytec.codegen.plan import plan_to_json
from tests.compiler.helpers import example_plans, fixture_plans


class JSONText(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "json"


class DOTText(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "dot"


ALL = {**example_plans(), **fixture_plans()}
WORKFLOWS = sorted(fqn for fqn, p in ALL.items() if p.kind == "workflow")


@pytest.fixture
def json_snapshot(snapshot: Any) -> Any:
    return snapshot.use_extension(JSONText)


@pytest.fixture
def dot_snapshot(snapshot: Any) -> Any:
    return snapshot.use_extension(DOTText)


@pytest.mark.parametrize("fqn", sorted(ALL))
def test_plan(fqn: str, json_snapshot: Any) -> None:
    assert plan_to_json(ALL[fqn]) == json_snapshot


@pytest.mark.parametrize("fqn", WORKFLOWS)
def test_workflow_dot(fqn: str, dot_snapshot: Any) -> None:
    assert to_dot(plan_view(ALL[fqn])) == dot_snapshot
