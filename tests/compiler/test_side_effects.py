"""Statements run for their side effects become `effect` glue nodes, in program order."""

from __future__ import annotations

from flytec.model import plan as pm
from tests.compiler.helpers import REPO, compiled

PROGRAM = REPO / "tests" / "runtime" / "programs" / "side_effects.py"


def plan(task: str) -> pm.Plan:
    return compiled(PROGRAM)[1][f"side_effects.{task}"]


def by_id(p: pm.Plan) -> dict[str, pm.Node]:
    return {n.id: n for n in p.nodes}


def test_prints_asserts_and_calls_are_effect_nodes_in_program_order() -> None:
    p = plan("failing_assert")
    assert p.static
    nodes = by_id(p)
    assert [n.id for n in p.nodes] == ["square", "do-print", "do-assert", "do-print-2",
                                       "square-2"]
    for nid in ("do-print", "do-assert", "do-print-2"):
        n = nodes[nid]
        assert (n.kind, n.mode, n.effect, n.outputs) == ("glue", "exec", True, [])
    assert nodes["do-assert"].code == 'assert y < 10, f"{y} is too big"'
    assert nodes["do-assert"].after == ["do-print"]
    assert nodes["do-print-2"].after == ["do-assert"]
    assert nodes["square-2"].after == ["do-print-2"]


def test_effects_in_arms_and_containers() -> None:
    nodes = by_id(plan("chatty"))
    assert nodes["do-note"].inputs == {"ordered": pm.NodeRef(node="glue-ordered-2",
                                                             output="ordered")}
    sort = nodes["glue-ordered-2"]
    assert (sort.code, sort.effect, sort.outputs) == ("ordered.sort()", True, ["ordered"])
    assert (nodes["do-print-3"].parent, nodes["do-print-3"].arm) == ("fanout-x", "body")
    assert nodes["fanout-x"].sequential  # awaited in the body, as before
    assert nodes["fanout-x"].after == ["do-assert"]  # which runs after `square`
    assert (nodes["do-print-5"].parent, nodes["do-print-5"].arm) == ("if-total_limit", "then")
    assert (nodes["do-print-9"].parent, nodes["do-print-9"].arm) == ("try-Exception", "except:0")


def test_coroutines_created_before_a_print_start_after_it() -> None:
    p = plan("gathered")
    nodes = by_id(p)
    assert nodes["fanout-x"].after == ["do-print"]
    assert "del" not in {n.code for n in p.nodes}  # `del coros`: nothing to see


def test_examples_without_side_effects_keep_their_plans() -> None:
    # no example driver prints between its calls: their plans have no effect nodes
    from tests.compiler.helpers import example_plans

    for p in example_plans().values():
        if p.static:
            assert not any(n.effect for n in p.nodes), p.task
