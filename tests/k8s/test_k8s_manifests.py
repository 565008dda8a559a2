"""The manifests of every example: snapshots, validity, determinism, and no injection."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from k8s_helpers import EXAMPLES, example_plans, plan_named, plans_of

from flytec.codegen.k8s import EmitOptions, emit
from flytec.codegen.k8s.validate import validate_objects

SNAPSHOT_FILES = sorted(
    str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*.py")
    if "buggy" not in p.parts and p.name not in ("__init__.py", "__main__.py", "envs.py")
)
IMAGES = EmitOptions(target="argo", default_image="registry.example.com/flytec-examples:1.0")


@pytest.mark.parametrize("relpath", SNAPSHOT_FILES)
def test_argo_manifests_of_example(relpath: str, snapshot) -> None:
    plans = plans_of(relpath)
    assert plans, relpath
    manifests = emit(plans, IMAGES)
    assert "\n".join(f"# {m.filename}\n{m.text}" for m in manifests) == snapshot


def test_jobs_manifests_of_hello(snapshot) -> None:
    options = EmitOptions(target="jobs", default_image="registry.example.com/flytec-examples:1.0")
    manifests = emit(plans_of("hello.py"), options)
    assert "\n".join(f"# {m.filename}\n{m.text}" for m in manifests) == snapshot


def test_workflow_template_of_etl(snapshot) -> None:
    options = EmitOptions(target="argo", workflow_template=True, images={"etl_worker": "etl:2"})
    m = emit([plan_named("etl_driver.main")], options)[0]
    wf = m.objects[1]
    assert wf["kind"] == "WorkflowTemplate" and wf["metadata"]["name"] == "etl-driver-main"
    images = {t["container"]["image"] for t in wf["spec"]["templates"] if "container" in t}
    assert images == {"etl:2", "flytec-project:latest"}


@pytest.mark.parametrize("target,template", [("argo", False), ("argo", True), ("jobs", False)])
def test_every_example_validates(target: str, template: bool) -> None:
    manifests = emit(list(example_plans()),
                     EmitOptions(target=target, workflow_template=template))  # type: ignore[arg-type]
    problems = [f"{m.filename}: {p}" for m in manifests for p in validate_objects(m.objects)]
    assert problems == []


def test_emission_is_deterministic() -> None:
    a = [m.text for m in emit(list(example_plans()))]
    b = [m.text for m in emit(list(example_plans()))]
    assert a == b


def test_static_examples_lower_to_dags() -> None:
    modes = {m.task: m.mode for m in emit(list(example_plans()))}
    for task in ("hello.main", "hello_async.main", "etl_driver.main", "sweep_driver.main",
                 "trace_cache.main", "driver_env.main", "reusable_driver.main",
                 "pipelines_driver.main"):
        assert modes[task] == "static", task
    assert modes["agent.main"] == "driver"  # a dynamic while loop
    assert modes["error_recovery.main"] == "driver"  # try/except: not lowered yet


def test_etl_dag_shape() -> None:
    manifests = emit(list(example_plans()))  # callee plans give the cache versions
    wf = next(m for m in manifests if m.task == "etl_driver.main").objects[1]
    templates = {t["name"]: t for t in wf["spec"]["templates"]}
    tasks = {t["name"]: t for t in templates["etl-driver-main"]["dag"]["tasks"]}
    assert tasks["extract"]["withParam"] == "{{workflow.parameters.days}}"
    assert templates["map-transform-map"]["parallelism"] == 4  # flyte.map concurrency
    branch = next(n for n in tasks if n.startswith("if"))  # the `if not active:` step
    assert tasks["load"]["when"] == f"'{{{{tasks.{branch}.outputs.parameters.arm}}}}' == 'else'"
    assert f"{branch}.Succeeded" in tasks["load"]["depends"]
    extract = templates["etl-worker-extract"]
    # IntOrString fields as strings, as Argo's published schema types them
    assert extract["retryStrategy"] == {"limit": "3", "retryPolicy": "OnFailure",
                                        "backoff": {"duration": "10s", "factor": "2"}}
    assert extract["activeDeadlineSeconds"] == "300"
    assert extract["container"]["resources"] == {
        "requests": {"cpu": "2", "memory": "4Gi"}, "limits": {"cpu": "2", "memory": "4Gi"}}
    transform = templates["etl-worker-transform"]
    assert transform["memoize"]["key"].startswith("flytec-{{=sprig.sha256sum('etl_worker.transform")
    assert plan_named("etl_worker.transform").source.code_hash in transform["memoize"]["key"]


def test_secrets_and_gpus() -> None:
    agent = emit([plan_named("agent.main")])[0].objects[1]
    env = agent["spec"]["templates"][1]["container"]["env"]
    assert env == [{"name": "OPENAI_API_KEY", "valueFrom": {
        "secretKeyRef": {"name": "openai-api-key", "key": "openai-api-key"}}}]
    train = emit([plan_named("trainer.train")])[0].objects[1]
    tmpl = train["spec"]["templates"][1]
    assert tmpl["container"]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert tmpl["metadata"]["annotations"]["flytec.dev/accelerator"] == "nvidia-tesla-t4"


EVIL = "\"}\n---\nkind: Secret\n{{workflow.name}}: [x'"


def test_user_strings_cannot_inject_yaml(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from flytec.cli import cli

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'evil'\n")
    (tmp_path / "evil.py").write_text(textwrap.dedent(f'''
        import flyte

        env = flyte.TaskEnvironment(
            name="evil_env",
            env_vars={{"NOTE": {EVIL!r}}},
            secrets=[flyte.Secret(key="k", group="g", as_env_var="EVIL_KEY")],
        )

        @env.task
        def leaf(x: str = {EVIL!r}) -> str:
            return x

        @env.task
        def main(note: str = {EVIL!r}) -> str:
            return leaf(note)
    '''))
    res = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out"),
                                   "--target", "argo", "--validate", "-q"])
    assert res.exit_code == 0, res.output
    text = (tmp_path / "out" / "evil-env-main.argo.yaml").read_text()
    docs = list(yaml.safe_load_all(text))
    assert [d["kind"] for d in docs] == ["ConfigMap", "Workflow"]
    evil = EVIL
    wf = docs[1]
    [param] = wf["spec"]["arguments"]["parameters"]
    # the default is JSON with `{{` spelled `{\u007b`: the same value, nothing for Argo
    assert param["name"] == "note" and json.loads(param["value"]) == evil
    assert "{{" not in param["value"]
    env = wf["spec"]["templates"][-1]["container"]["env"]
    [note] = [e for e in env if e["name"] == "NOTE"]
    # a value with `{{` is read from the plan's ConfigMap, which Argo does not rewrite
    ref = note["valueFrom"]["configMapKeyRef"]
    assert ref["name"] == docs[0]["metadata"]["name"] and docs[0]["data"][ref["key"]] == evil
