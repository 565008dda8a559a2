"""Static extraction: what the workflow of each construct looks like."""

from __future__ import annotations

from flytec.model import plan as pm
from tests.compiler.helpers import example_plans, fixture_plans


def nodes(plan: pm.Plan, kind: str | None = None) -> list[pm.Node]:
    return [n for n in plan.nodes if kind is None or n.kind == kind]


def node(plan: pm.Plan, node_id: str) -> pm.Node:
    for n in plan.nodes:
        if n.id == node_id:
            return n
    raise AssertionError(f"no node {node_id} in {[n.id for n in plan.nodes]}")


def test_leaf_tasks_have_no_nodes() -> None:
    plan = example_plans()["etl_worker.extract"]
    assert plan.kind == "leaf" and plan.static and plan.nodes == []
    assert plan.environment.retries == 3
    assert plan.environment.timeout == {"max_runtime": 300}


def test_etl_fanout_map_branch_and_groups() -> None:
    plan = example_plans()["etl_driver.main"]
    assert plan.kind == "workflow" and plan.static
    fan = node(plan, "fanout-day")
    assert fan.cardinality == "len(days)" and fan.group == "extract"
    assert fan.over == pm.InputRef(name="days")
    extract = node(plan, "extract")
    assert extract.task == "etl_worker.extract" and extract.parent == "fanout-day"
    assert extract.inputs == {"day": pm.ItemRef(node="fanout-day")}
    m = node(plan, "map-transform")
    assert (m.task, m.concurrency, m.return_exceptions) == ("etl_worker.transform", 4, False)
    assert m.over == [pm.NodeRef(node="fanout-day")] and m.item_inputs == ["orders"]
    assert m.cardinality == "len(days)"
    branch = node(plan, "if-not_active")
    assert branch.condition == "not active"
    load = node(plan, "load")
    assert (load.parent, load.arm, load.group) == ("if-not_active", "else", "load")
    assert load.inputs["table"] == pm.InputRef(name="table")
    assert plan.outputs[0].source == pm.NodeRef(node="merge-return")
    merge = node(plan, "merge-return")
    assert merge.cases is not None
    assert [c.when[0].arm for c in merge.cases["o0"]] == ["then", "else"]


def test_agent_loop_is_dynamic_with_its_reason() -> None:
    plan = example_plans()["agent.main"]
    assert not plan.static
    [reason] = plan.dynamic_reasons
    assert (reason.line, reason.column) == (109, 5)
    assert "depends on `result`" in reason.message
    loop = node(plan, "while-not_result_finished_and")
    assert loop.kind == "loop" and loop.dynamic
    # the known sub-structure is still there, inside the loop
    assert {n.task for n in nodes(plan, "task")} == {
        "agent.search", "agent.calculator", "agent.final_answer"}
    assert node(plan, "call_llm").kind == "trace"
    assert plan.possible_callees == ["agent.calculator", "agent.final_answer", "agent.search"]


def test_error_handlers_and_override() -> None:
    plan = example_plans()["error_recovery.main"]
    assert plan.static
    tries = nodes(plan, "try")
    handler_types = [[t for h in (n.handlers or []) for t in h.types] for n in tries]
    assert ["flyte.errors.RuntimeUserError"] in handler_types
    assert ["flyte.errors.OOMError"] in handler_types
    bigger = node(plan, "aggregate-2")
    assert bigger.arm == "except:0"
    assert bigger.override == {
        "resources": {"call": "flyte.Resources", "kwargs": {"cpu": 1, "memory": "4Gi"}}}
    notify = node(plan, "notify")
    assert notify.arm == "finally"
    # the handler sees the attempt counted in the body: 1 then 2
    attempts = node(plan, "merge-attempts")
    assert attempts.cases is not None
    assert [c.source for c in attempts.cases["o0"]] == [
        pm.ConstRef(value=1), pm.ConstRef(value=2)]
    e = [n for n in nodes(plan, "branch") if n.condition == 'e.code != "ValueError"'][0]
    assert isinstance(e.inputs["e"], pm.ErrorRef)


def test_multiple_outputs_and_trace_and_remote() -> None:
    plans = example_plans()
    sweep = plans["sweep_driver.main"]
    assert [o.name for o in sweep.outputs] == ["o0", "o1"]
    assert sweep.outputs[0].source == pm.NodeRef(node="evaluate")
    assert node(sweep, "fanout-params").cardinality == "len(learning_rates) * len(max_depths)"
    trace = plans["trace_cache.main"]
    assert node(trace, "fetch_rate").kind == "trace"
    assert node(trace, "fetch_rate").after == ["validate_amounts"]
    ref = plans["ref_driver.main"]
    assert node(ref, "tokenize").kind == "remote"
    assert node(ref, "tokenize").task == "worker_env.tokenize"


def test_cross_module_tasks() -> None:
    plan = example_plans()["pipelines_driver.main"]
    assert plan.static
    assert {n.task for n in nodes(plan, "task")} == {
        "pipelines_worker.clean", "pipelines_worker.enrich", "pipelines_worker.summarize"}
    assert node(plan, "fanout-email").over == pm.NodeRef(node="clean")


def test_task_group_and_create_task() -> None:
    plans = fixture_plans()
    tg = plans["constructs.task_group"]
    assert tg.static
    assert node(tg, "add").inputs == {"a": pm.NodeRef(node="double"),
                                      "b": pm.NodeRef(node="double-2")}
    assert node(tg, "double").after == [] and node(tg, "double-2").after == []
    ct = plans["constructs.create_tasks"]
    assert node(ct, "lookup").kind == "trace" and node(ct, "lookup").after == []


def test_gather_tuple_outputs_and_indexing() -> None:
    plan = fixture_plans()["constructs.gather_pair"]
    assert node(plan, "glue-a").inputs == {
        "low": pm.NodeRef(node="split", output="o0"),
        "high": pm.NodeRef(node="split", output="o1"),
    }
    assert node(plan, "split-2").inputs == {"n": pm.NodeRef(node="double")}


def test_loops_and_comprehensions() -> None:
    plans = fixture_plans()
    rng = plans["constructs.range_fanout"]
    assert node(rng, "fanout-i").cardinality == "n"
    loop = plans["constructs.loop_append"]
    fan = node(loop, "fanout-x")
    assert fan.sequential and fan.collect == {"results": pm.NodeRef(node="add")}
    assert loop.outputs[0].source == pm.NodeRef(node="fanout-x", output="results")
    co = plans["constructs.coroutines_then_gather"]
    assert not node(co, "fanout-x").sequential


def test_branches_elif_and_conditional_expression() -> None:
    plan = fixture_plans()["constructs.conditional_expression"]
    assert plan.static
    conditions = [n.condition for n in nodes(plan, "branch")]
    assert conditions == ["big", "y > 10", "y > 5"]
    merge = node(plan, "merge-return")
    assert merge.cases is not None
    assert [[(c.node, c.arm) for c in case.when] for case in merge.cases["o0"]] == [
        [("if-y_10", "then")], [("if-y_10", "else"), ("if-y_5", "then")],
        [("if-y_10", "else"), ("if-y_5", "else")],
    ]


def test_helpers_are_inlined_and_partial_maps() -> None:
    plans = fixture_plans()
    h = plans["constructs.helpers"]
    assert [n.id for n in nodes(h, "task")] == ["double", "add", "double-2", "add-2"]
    pm_ = plans["constructs.partial_map"]
    m = node(pm_, "map-scale")
    assert m.inputs == {"factor": pm.InputRef(name="factor")} and m.item_inputs == ["x"]
    assert m.concurrency == 2 and m.return_exceptions is True


def test_glue_and_overrides() -> None:
    plans = fixture_plans()
    g = plans["constructs.glue_between"]
    assert node(g, "glue-x").code == "x * 3 + 1"
    assert node(g, "glue-return").code == 'f"{name}: {doubled // 2}"'
    o = plans["constructs.overrides"]
    assert node(o, "double").override == {"retries": 3, "cache": "auto"}
    assert node(o, "add").override == {"short_name": "add-fast"}


def test_dynamic_reasons_of_each_construct() -> None:
    plans = fixture_plans()

    def messages(fqn: str) -> list[str]:
        return [r.message for r in plans[fqn].dynamic_reasons]

    assert any("recursion" in m for m in messages("constructs.recursive"))
    assert any("loop bound `n` comes from the output of `constructs.count` (line " in m
               for m in messages("constructs.bound_from_output"))
    assert any("calls `tool(...)`" in m for m in messages("constructs.unknown_callable"))
    refl = messages("constructs.reflective")
    assert any("getattr()" in m for m in refl) and any("eval()" in m for m in refl)
    assert plans["constructs.unknown_callable"].possible_callees == []
    for fqn in ("constructs.recursive", "constructs.bound_from_output"):
        for r in plans[fqn].dynamic_reasons:
            assert r.line > 0 and r.column > 0


def test_gather_keywords_lambdas_and_spliced_lists() -> None:
    plan = fixture_plans()["constructs.gather_options"]
    assert plan.static
    assert node(plan, "fanout-x").return_exceptions is True
    assert node(plan, "glue-return").inputs["a"] == pm.NodeRef(node="double-2")
    assert node(plan, "glue-return").inputs["b"] == pm.NodeRef(node="add")


def test_loop_reductions_stay_static() -> None:
    plan = fixture_plans()["constructs.reduce_loop"]
    assert plan.static
    assert node(plan, "fanout-x").collect == {"total": pm.NodeRef(node="double")}
    glue = node(plan, "glue-total")
    assert glue.mode == "exec" and glue.code == "for _x in _0:\n    total += _x"
    assert glue.inputs == {"total": pm.ConstRef(value=0),
                           "_0": pm.NodeRef(node="fanout-x", output="total")}
