"""User strings reach the container as the code wrote them, through Argo and the kubelet.

Each hostile string goes into every field flytec fills from user code: a task's constant
argument, a workflow input's default (a workflow parameter, then a DAG task argument), an
env var value, a cache salt and version (the memoize key). The emitted manifests are then
run through simulators of Argo's substitution and the kubelet's expansion
(:mod:`tests.k8s.engine_sim`), and what the container sees (its argv as the worker decodes
it, its environment, its ConfigMap) must equal the Python literal. Fields Kubernetes
validates (image, env var names, secret keys, resources, service account) cannot hold such
strings at all: ``check`` (FLY610) and ``build`` refuse them (test_k8s_values.py).
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from flytec.codegen.k8s import EmitOptions, emit
from flytec.model.engine_escape import escape_json_text, json_text, kubelet_escape
from flytec.model.plan import Plan
from tests.k8s.engine_sim import (
    ArgoError,
    argo_replace,
    container_view,
    kubelet_expand,
    run_container_template,
    substitute_json,
    worker_pairs,
    workflow_globals,
)

HOSTILE = [
    "{{workflow.parameters.n}}",
    '{{=sprig.env("X")}}',
    "{{=inputs.parameters.x}}",
    "{{workflow.name}}",
    "{{ inputs.parameters.x }}",
    "{{item}}",
    "$(HOME)",
    "$$(X)",
    "$(A)",
    "$$",
    "$",
    "a $ b $",
    "}}",
    "{{",
    "}}{{",
    "{{{x}}}",
    "'\"\\",
    "\\u007b\\u007b",
    "line\nbreak\ttab\r",
    "héllo ✓ 日本 \u2028",
    '{"a": "{{x}}", "b": ["$(Y)"]}',
    "",
    "null",
    "plain text",
]
OUT = '"<out>"'  # what a task output parameter holds in these simulations


def _project(tmp_path: Path, code: str) -> list[Plan]:
    from flytec.analyzer.check import project_for
    from flytec.codegen.plan import build_plans
    from flytec.codegen.plan.select import load_project
    from flytec.config import load_config

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'esc'\n")
    (tmp_path / "esc.py").write_text(code, encoding="utf-8")
    config = load_config(project_for([tmp_path], tmp_path))
    loaded = load_project([tmp_path], tmp_path, config)
    assert not loaded.errors
    pairs = build_plans(loaded.result.program, loaded.result.project, loaded.requested)
    return [plan for _, plan in pairs]


def _code() -> str:
    parts = ["import flyte\n"]
    for i, h in enumerate(HOSTILE):
        parts.append(textwrap.dedent(f'''
            env{i} = flyte.TaskEnvironment(name="esc{i}", image="python:3.12",
                                           env_vars={{"A": "declared", "V": {h!r}}})


            @env{i}.task(cache=flyte.Cache(behavior="auto", salt={h!r},
                                           version_override={h!r}))
            async def echo(x: str, y: str) -> str:
                return x + y


            @env{i}.task
            async def main(n: str = {h!r}) -> str:
                a = await echo(x={h!r}, y=n)
                return await echo(x=a, y={h!r})
        ''').replace("def echo", f"def echo{i}").replace("await echo(", f"await echo{i}(")
                     .replace("def main", f"def main{i}"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[Plan]:
    return _project(tmp_path_factory.mktemp("esc"), _code())


def _config_maps(objects: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    return {o["metadata"]["name"]: o["data"] for o in objects if o["kind"] == "ConfigMap"}


def _hostile_of(task: str) -> str:
    return HOSTILE[int(re.search(r"(\d+)\.", task).group(1))]  # type: ignore[union-attr]


def test_every_hostile_string_reaches_argo_containers_unchanged(plans: list[Plan]) -> None:
    checked = {"input": 0, "env": 0, "default": 0, "memo": 0}
    for m in emit(plans, EmitOptions(target="argo")):
        h = _hostile_of(m.task)
        wf = next(o for o in m.objects if o["kind"] == "Workflow")
        cms = _config_maps(m.objects)
        required = {p["name"]: OUT for p in wf["spec"].get("arguments", {})
                    .get("parameters", []) if "value" not in p}
        globals_, spec = workflow_globals(wf, required)  # `argo submit -p x=...` for those
        for p in (spec.get("arguments") or {}).get("parameters", []):
            if "value" in p:
                assert json.loads(p["value"]) == h, (m.filename, p)
                checked["default"] += 1
        templates = {t["name"]: t for t in wf["spec"]["templates"]}
        entry = templates[wf["spec"]["entrypoint"]]
        scope = dict(globals_)
        for task in entry["dag"]["tasks"]:
            scope.update({f"tasks.{task['name']}.outputs.parameters.{o['name']}": OUT
                          for o in templates[task["template"]].get("outputs", {})
                          .get("parameters", [])})
        for task in entry["dag"]["tasks"]:
            task = substitute_json(task, scope)
            args = {a["name"]: a["value"] for a in task.get("arguments", {}).get("parameters", [])}
            t = run_container_template(templates[task["template"]], args, globals_)
            argv, env = container_view(t["container"], cms)
            assert env["V"] == h and env["A"] == "declared", (m.filename, env)
            checked["env"] += 1
            for name, value in worker_pairs(argv, "--input").items():
                if value != OUT:
                    assert json.loads(value) == h, (m.filename, name, value)
                    checked["input"] += 1
            if "memoize" in t:
                assert re.fullmatch(r"flytec-[0-9a-f]{64}", t["memoize"]["key"]), t["memoize"]
                checked["memo"] += 1
    n = len(HOSTILE)
    # per string: main's default; `echo(x=H, y=n)` and `echo(x=a, y=H)`: 3 literal inputs in
    # the DAG and 1 default; env in main's 2 steps and the echo driver; 2 memoized steps + 1
    assert checked["default"] >= n and checked["input"] >= 3 * n
    assert checked["env"] >= 3 * n and checked["memo"] >= 3 * n


def test_memoize_keys_depend_on_the_salt_and_stay_one_expression(plans: list[Plan]) -> None:
    keys: dict[str, str] = {}
    for m in emit(plans, EmitOptions(target="argo")):
        if ".echo" not in m.task:
            continue
        wf = next(o for o in m.objects if o["kind"] == "Workflow")
        [t] = [t for t in wf["spec"]["templates"] if "memoize" in t]
        key = t["memoize"]["key"]
        assert key.count("{{") == 1 and key.endswith(")}}"), key
        done = argo_replace(json.dumps(key), {"inputs.parameters.x": '"1"',
                                              "inputs.parameters.y": '"2"'})
        keys[_hostile_of(m.task)] = json.loads(done)
    assert len(set(keys.values())) == len(HOSTILE)  # same inputs, a different salt each


def test_every_hostile_string_reaches_job_containers_unchanged(plans: list[Plan]) -> None:
    seen = 0
    for m in emit(plans, EmitOptions(target="jobs")):
        h = _hostile_of(m.task)
        job = next(o for o in m.objects if o["kind"] == "Job")
        [c] = job["spec"]["template"]["spec"]["containers"]
        argv, env = container_view(c, _config_maps(m.objects))
        assert env["V"] == h and env["A"] == "declared"
        assert argv == [*c["command"], *c["args"]]  # nothing in them for the kubelet
        inputs = json.loads(_config_maps(m.objects)[c["volumeMounts"] and
                            job["spec"]["template"]["spec"]["volumes"][0]["configMap"]["name"]]
                            ["inputs.json"])
        if ".main" in m.task:
            assert inputs == {"n": h}
        seen += 1
    assert seen == 2 * len(HOSTILE)


def test_plain_strings_are_written_as_they_are(plans: list[Plan]) -> None:
    """Nothing special, nothing changed: readable manifests, stable snapshots."""
    i = HOSTILE.index("plain text")
    [m] = [m for m in emit(plans, EmitOptions(target="argo")) if m.task == f"esc{i}.main{i}"]
    text = m.text
    assert '"plain text"' in text and "\\u00" not in text
    assert "configMapKeyRef" not in text
    assert json_text("a {b} $x") == json.dumps("a {b} $x")
    assert kubelet_escape("$5 and $x") == "$5 and $x"


def test_fan_out_over_hostile_items_runs_in_a_driver_pod(tmp_path: Path) -> None:
    """Argo decodes a withParam list and hands ``{{item}}`` to the next substitution raw, so
    such items cannot be passed as a DAG: the fan-out runs in one pod (the list stays in the
    plan's ConfigMap)."""
    code = textwrap.dedent('''
        import asyncio
        import flyte

        env = flyte.TaskEnvironment(name="fan", image="python:3.12")


        @env.task
        async def one(x: str) -> str:
            return x


        @env.task
        async def hostile() -> list[str]:
            return list(await asyncio.gather(*[one(x=s) for s in ["{{workflow.name}}", "b"]]))


        @env.task
        async def plain() -> list[str]:
            return list(await asyncio.gather(*[one(x=s) for s in ["a", "b"]]))
    ''')
    modes = {m.task: (m.mode, m.reasons) for m in emit(_project(tmp_path, code),
                                                        EmitOptions(target="argo"))}
    assert modes["fan.plain"][0] == "static"
    mode, reasons = modes["fan.hostile"]
    assert mode == "driver" and any("withParam" in r for r in reasons)


@pytest.mark.parametrize("h", HOSTILE)
def test_json_escaping_round_trips_and_hides_engine_syntax(h: str) -> None:
    for value in (h, [h, {h: h}], {"k": [h, 1, None]}):
        text = json_text(value)
        assert json.loads(text) == value
        assert "{{" not in text and "$(" not in text and "$$" not in text
        assert kubelet_expand(text, lambda name: "EXPANDED") == text
        assert argo_replace(text, {"workflow.name": "X"}) == text
    assert kubelet_expand(kubelet_escape(h), lambda name: "EXPANDED") == h
    assert escape_json_text(json.dumps(h, indent=2)) == escape_json_text(
        escape_json_text(json.dumps(h, indent=2)))


def test_simulators_do_substitute_unescaped_strings() -> None:
    """The simulators are not blind: the unescaped forms are rewritten (as on a cluster)."""
    assert argo_replace('"{{workflow.name}}"', {"workflow.name": "wf-x1"}) == '"wf-x1"'
    with pytest.raises(ArgoError):
        argo_replace('"{{"', {})
    assert argo_replace('"{{=sprig.env(\\"X\\")}}"', {}) == '"<env X>"'
    assert kubelet_expand("$(HOME) $$(X) $$", {"HOME": "/h"}.get) == "/h $(X) $"
