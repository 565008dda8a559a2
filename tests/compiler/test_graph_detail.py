"""`flytec graph PATH::TASK` draws a summary by default (glue folded into labelled edges);
`--detail full` draws every node of the plan."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from flytec.cli import cli
from flytec.codegen.graph.collapse import COLLAPSED, collapse
from flytec.codegen.graph.view import View, plan_view
from tests.compiler.helpers import REPO, example_plans, fixture_plans

PLANS = {**example_plans(), **fixture_plans()}


def _graph(view: View) -> nx.DiGraph:
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(n.id for n in view.nodes)
    g.add_edges_from((e.source, e.target) for e in view.edges)
    return g


@pytest.mark.parametrize("fqn", sorted(PLANS))
def test_the_summary_keeps_every_step_and_every_path_between_steps(fqn: str) -> None:
    full = plan_view(PLANS[fqn])
    summary = collapse(full)
    kept = {n.id for n in full.nodes if n.kind not in COLLAPSED}
    assert {n.id for n in summary.nodes} == kept
    assert all(e.source in kept and e.target in kept for e in summary.edges)
    # a step reaches another in the summary exactly when it did through glue in the plan
    g, s = _graph(full), _graph(summary)
    for a in kept:
        reach_full = {b for b in nx.descendants(g, a) if b in kept}
        assert nx.descendants(s, a) == reach_full, a


def test_folded_glue_labels_its_edges() -> None:
    summary = collapse(plan_view(PLANS["etl_driver.main"]))
    labels = {e.label for e in summary.edges}
    assert any(label.startswith("[row for row in daily") for label in labels), labels


def test_the_cli_draws_the_summary_unless_told_full() -> None:
    target = f"{REPO / 'examples' / 'etl.py'}::main"
    runner = CliRunner()
    summary = json.loads(runner.invoke(cli, ["graph", target, "-f", "json"]).stdout)
    full = json.loads(runner.invoke(cli, ["graph", target, "-f", "json", "--detail",
                                          "full"]).stdout)
    kinds = {n["kind"] for n in summary["nodes"]}
    assert "glue" not in kinds and "glue" in {n["kind"] for n in full["nodes"]}
    assert len(summary["nodes"]) < len(full["nodes"])
