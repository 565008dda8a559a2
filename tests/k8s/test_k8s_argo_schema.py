"""Manifests against Argo's own published JSON Schema (the part vendored as package data).

Argo's ``api/jsonschema/schema.json`` types ``IntOrString`` fields (``retryStrategy.limit``,
``retryStrategy.backoff.factor``, a template's ``activeDeadlineSeconds``) as strings; hera's
models accept numbers there too, so only this schema catches numbers. Editors and validators
that use Argo's schema reject them.
"""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from k8s_helpers import example_plans

from flytec.codegen.k8s import EmitOptions, emit
from flytec.codegen.k8s.validate import (
    argo_json_schema,
    argo_json_schema_errors,
    validate_objects,
)
from tests.k8s.test_k8s_escaping import _project

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "flytec" / "codegen" / "k8s" / "schemas"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"


def _workflows(template: bool) -> list[dict[str, Any]]:
    manifests = emit(list(example_plans()), EmitOptions(target="argo",
                                                        workflow_template=template))
    return [o for m in manifests for o in m.objects if o["kind"] != "ConfigMap"]


@pytest.mark.parametrize("template", [False, True], ids=["Workflow", "WorkflowTemplate"])
def test_every_example_is_valid_against_argos_schema(template: bool) -> None:
    workflows = _workflows(template)
    assert {w["kind"] for w in workflows} == {"WorkflowTemplate" if template else "Workflow"}
    problems = {w["metadata"].get("name") or w["metadata"]["generateName"]: e
                for w in workflows if (e := argo_json_schema_errors(w))}
    assert problems == {}
    # the examples exercise every IntOrString field flytec writes
    templates = [t for w in workflows for t in w["spec"]["templates"]]
    assert any("retryStrategy" in t for t in templates)
    assert any("activeDeadlineSeconds" in t for t in templates)


def test_numbers_in_int_or_string_fields_are_rejected() -> None:
    wf = next(w for w in _workflows(False) if w["metadata"]["generateName"]
              == "etl-worker-extract-")
    bad = copy.deepcopy(wf)
    t = next(t for t in bad["spec"]["templates"] if "retryStrategy" in t)
    i = bad["spec"]["templates"].index(t)
    t["retryStrategy"]["limit"] = 3
    t["retryStrategy"]["backoff"]["factor"] = 2
    t["activeDeadlineSeconds"] = 300
    assert argo_json_schema_errors(bad) == [
        f"spec/templates/{i}/activeDeadlineSeconds: 300 is not of type 'string'",
        f"spec/templates/{i}/retryStrategy/backoff/factor: 2 is not of type 'string'",
        f"spec/templates/{i}/retryStrategy/limit: 3 is not of type 'string'",
    ]
    # --validate reports them, saying which schema
    problems = validate_objects([bad])
    assert len(problems) == 3 and all(p.endswith("(Argo's JSON schema)") for p in problems)
    assert validate_objects([wf]) == []


def test_argos_schema_catches_what_hera_does_not() -> None:
    wf = _workflows(False)[0]
    bad = copy.deepcopy(wf)
    bad["spec"]["templates"][0]["name"] = 7  # not a string: both schemas
    bad["spec"]["entrypoint"] = ["x"]
    errors = argo_json_schema_errors(bad)
    assert "spec/entrypoint: ['x'] is not of type 'string'" in errors
    assert "spec/templates/0/name: 7 is not of type 'string'" in errors


def test_fractional_backoff_factor_is_rounded_up_to_an_integer(tmp_path: Path) -> None:
    code = textwrap.dedent('''
        from datetime import timedelta

        import flyte

        env = flyte.TaskEnvironment(name="rt", image="python:3.12")


        @env.task(retries=flyte.RetryStrategy(
            count=4, backoff=flyte.Backoff(base=timedelta(seconds=5), factor=1.5,
                                           cap=timedelta(minutes=1))))
        async def main(x: int) -> int:
            return x
    ''')
    plans = _project(tmp_path, code)
    (m,) = emit(plans)
    wf = m.objects[1]
    (t,) = [t for t in wf["spec"]["templates"] if "retryStrategy" in t]
    # Argo reads the factor with strconv.Atoi: "1.5" would fail the workflow at run time
    assert t["retryStrategy"] == {"limit": "4", "retryPolicy": "OnFailure",
                                  "backoff": {"duration": "5s", "factor": "2", "cap": "60s"}}
    assert validate_objects(m.objects) == []


def test_vendored_schema_is_argos_and_self_contained() -> None:
    schema = argo_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "argoproj/argo-workflows api/jsonschema/schema.json at commit" in schema["$comment"]
    commit = schema["$comment"].split("at commit ")[1].split()[0]
    assert len(commit) == 40
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    assert commit in readme and "Apache-2.0" in readme
    definitions = schema["definitions"]
    for kind in ("Workflow", "WorkflowTemplate"):
        assert f"io.argoproj.workflow.v1alpha1.{kind}" in definitions
    assert definitions[INT_OR_STRING] == {"type": "string"}
    refs = {r.removeprefix("#/definitions/")
            for r in _refs(schema)}
    assert refs <= set(definitions)  # every $ref resolves inside the file


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [
            r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []

