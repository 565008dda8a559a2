"""Offline validation of emitted objects (``flytec build --validate`` and the tests).

* Core objects (ConfigMap, Job) against the Kubernetes OpenAPI schemas that the
  ``kubernetes-validate`` package ships, in strict mode (unknown fields fail).
* Argo objects against Argo's own published JSON Schema (``api/jsonschema/schema.json`` of
  argoproj/argo-workflows, the part flytec uses vendored in ``schemas/``: see its README),
  which types ``IntOrString`` fields as strings, and against a strict JSON Schema derived
  from the pydantic models of Argo's types that the ``hera`` package ships (every object
  closed: unknown fields fail).
* Argo's rules that no schema says (:func:`argo_rules`): ``dependencies`` xor ``depends``,
  ``activeDeadlineSeconds`` only on leaf templates, name formats, artifact ``path`` and
  ``from`` placement, references that resolve, and the 1 MB limit of an object in etcd.

The packages are optional at run time (the ``k8s`` extra); without them ``--validate``
says which one is missing.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from flytec.codegen.k8s.names import PARAM_RE

MAX_OBJECT_BYTES = 1024 * 1024
_TEMPLATE_NAME = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_TASK_REF = re.compile(r"tasks(?:\.([-a-zA-Z0-9]+)|\['([-a-zA-Z0-9]+)'\])")
ARGO_KINDS = ("Workflow", "WorkflowTemplate", "CronWorkflow", "ClusterWorkflowTemplate")
LEAF_KINDS = ("container", "script", "resource", "containerSet", "data", "http", "plugin")


class MissingValidator(Exception):
    """A package needed for validation is not installed."""


#: the packages of the ``k8s`` extra: (import name, distribution name)
VALIDATOR_PACKAGES = (("kubernetes_validate", "kubernetes-validate"), ("hera", "hera"),
                      ("jsonschema", "jsonschema"))
EXTRA_HINT = "pip install 'flytec[k8s]'"


def require_validators() -> None:
    """Raise :class:`MissingValidator` naming every missing package of the ``k8s`` extra
    (``flytec build --validate`` asks before it compiles anything)."""
    import importlib

    missing: list[str] = []
    for module, dist in VALIDATOR_PACKAGES:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(dist)
    if missing:
        raise MissingValidator(f"the k8s extra, which is not installed (missing: "
                               f"{', '.join(missing)}): {EXTRA_HINT}")


def validate_objects(objects: list[dict[str, Any]]) -> list[str]:
    """Every problem found in the objects, as one-line messages (empty: all valid)."""
    problems: list[str] = []
    for obj in objects:
        where = f"{obj.get('kind', '?')} {_name(obj)}"
        size = len(json.dumps(obj, separators=(",", ":")).encode())
        if size > MAX_OBJECT_BYTES:
            problems.append(f"{where}: {size} bytes, over the 1 MB limit of an object")
        if obj.get("kind") in ARGO_KINDS:
            problems += [f"{where}: {p} (Argo's JSON schema)" for p in argo_json_schema_errors(obj)]
            problems += [f"{where}: {p}" for p in argo_schema_errors(obj)]
            problems += [f"{where}: {p}" for p in argo_rules(obj)]
        else:
            problems += [f"{where}: {p}" for p in kube_errors(obj)]
    return problems


def _name(obj: dict[str, Any]) -> str:
    meta = obj.get("metadata") or {}
    return str(meta.get("name") or meta.get("generateName") or "?")


# ----------------------------------------------------------------------------- Kubernetes


def kube_errors(obj: dict[str, Any], version: str | None = None) -> list[str]:
    try:
        import kubernetes_validate
    except ImportError:  # pragma: no cover - the k8s extra is part of dev
        raise MissingValidator("kubernetes-validate (pip install 'flytec[k8s]')") from None
    version = version or kubernetes_validate.latest_version()
    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except kubernetes_validate.ValidationError as e:
        path = "/".join(str(p) for p in e.path)
        return [f"{path or '(root)'}: {e.message}"]
    except kubernetes_validate.SchemaNotFoundError as e:
        return [f"no Kubernetes schema for it ({e})"]
    return []


# ----------------------------------------------------------------------------- Argo schema


def _close(node: Any) -> None:
    """Forbid unknown fields in every object of the schema (in place)."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for v in node.values():
            _close(v)
    elif isinstance(node, list):
        for v in node:
            _close(v)


@lru_cache(maxsize=4)
def argo_schema(kind: str) -> dict[str, Any]:
    """The strict JSON Schema of an Argo kind, from hera's models of Argo's types."""
    try:
        from hera.workflows import models as m
    except ImportError:  # pragma: no cover
        raise MissingValidator("hera (pip install 'flytec[k8s]')") from None
    model = getattr(m, kind)
    schema: dict[str, Any] = model.model_json_schema(by_alias=True)
    _close(schema)
    return schema


def argo_schema_errors(obj: dict[str, Any]) -> list[str]:
    """Problems against the strict schema of hera's models."""
    return _schema_errors(_validator(argo_schema(str(obj["kind"]))), obj)


#: Argo's published schema (the definitions flytec's kinds reach), package data
ARGO_JSON_SCHEMA = "argo-workflows.schema.json"
_ARGO_PREFIX = "io.argoproj.workflow.v1alpha1."


@lru_cache(maxsize=1)
def argo_json_schema() -> dict[str, Any]:
    """The vendored part of argoproj/argo-workflows' ``api/jsonschema/schema.json``."""
    from importlib.resources import files

    text = (files("flytec.codegen.k8s") / "schemas" / ARGO_JSON_SCHEMA).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=4)
def _argo_json_validator(kind: str) -> Any:
    full = argo_json_schema()
    if _ARGO_PREFIX + kind not in full["definitions"]:
        return None
    schema = {"$schema": full["$schema"], "$ref": f"#/definitions/{_ARGO_PREFIX}{kind}",
              "definitions": full["definitions"]}
    return _validator(schema)


def argo_json_schema_errors(obj: dict[str, Any]) -> list[str]:
    """Problems against Argo's own published JSON Schema (what editors and ``kubectl``
    plug-ins that use it report): e.g. an ``IntOrString`` written as a number."""
    kind = str(obj.get("kind"))
    validator = _argo_json_validator(kind)
    if validator is None:
        return [f"no {kind} in the vendored Argo JSON schema"]
    return _schema_errors(validator, obj)


def _validator(schema: dict[str, Any]) -> Any:
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - the k8s extra is part of dev
        raise MissingValidator(f"jsonschema ({EXTRA_HINT})") from None
    return jsonschema.Draft202012Validator(schema)


def _schema_errors(validator: Any, obj: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for top in validator.iter_errors(obj):
        for e in _leaves(top):
            path = "/".join(str(p) for p in e.absolute_path)
            message = e.message if len(e.message) <= 200 else e.message[:197] + "..."
            out.append(f"{path or '(root)'}: {message}")
    return sorted(set(out))


def _leaves(e: Any) -> list[Any]:
    """The errors that explain ``e``: inside ``anyOf`` (optional fields), the real ones."""
    if not e.context:
        return [e]
    real = [c for c in e.context if not (c.validator == "type" and c.validator_value == "null")]
    out: list[Any] = []
    for c in real or e.context:
        out += _leaves(c)
    return out


# ----------------------------------------------------------------------------- Argo rules


def argo_rules(obj: dict[str, Any]) -> list[str]:
    """The rules of Argo's validator that a schema cannot say."""
    out: list[str] = []
    meta = obj.get("metadata") or {}
    name = meta.get("name")
    gen = meta.get("generateName")
    if name is None and gen is None:
        out.append("metadata: needs name or generateName")
    if name is not None and (len(name) > 63 or not _DNS_LABEL.match(name)):
        out.append(f"metadata.name {name!r}: not a DNS-1123 label of at most 63 characters")
    if gen is not None and (len(gen) > 58 or not _DNS_LABEL.match(gen.rstrip("-"))):
        out.append(f"metadata.generateName {gen!r}: must leave room for a 5-character suffix")
    spec = obj.get("spec") or {}
    templates = spec.get("templates") or []
    names = [t.get("name", "") for t in templates]
    known = set(names)
    for n in {n for n in names if names.count(n) > 1}:
        out.append(f"template {n!r} is defined twice")
    if spec.get("entrypoint") not in known:
        out.append(f"entrypoint {spec.get('entrypoint')!r} is not a template")
    global_params = {p.get("name") for p in (spec.get("arguments") or {}).get("parameters", [])}
    for p in global_params:
        if not isinstance(p, str) or not PARAM_RE.match(p):
            out.append(f"workflow parameter {p!r}: invalid name")
    for t in templates:
        by_name = {str(x.get("name", "")): x for x in templates}
        out += [f"template {t.get('name')!r}: {p}" for p in _template_rules(t, by_name)]
    return out


def _template_rules(t: dict[str, Any], templates: dict[str, dict[str, Any]]) -> list[str]:
    out: list[str] = []
    name = t.get("name", "")
    if len(name) > 128 or not _TEMPLATE_NAME.match(name):
        out.append("invalid name (letters, digits and '-', at most 128 characters)")
    kinds = [k for k in ("dag", "steps", "suspend", *LEAF_KINDS) if k in t]
    if len(kinds) != 1:
        out.append(f"needs exactly one template type, has {kinds or 'none'}")
    if "activeDeadlineSeconds" in t and not any(k in t for k in LEAF_KINDS):
        out.append("activeDeadlineSeconds is only allowed on leaf templates")
    if "parallelism" in t and not any(k in t for k in ("dag", "steps")):
        out.append("parallelism is only allowed on dag and steps templates")
    for section in ("inputs", "outputs"):
        for p in (t.get(section) or {}).get("parameters", []):
            if not PARAM_RE.match(str(p.get("name", ""))):
                out.append(f"{section} parameter {p.get('name')!r}: invalid name")
        out += _artifact_rules(section, (t.get(section) or {}).get("artifacts", []),
                               any(k in t for k in LEAF_KINDS))
    dag = t.get("dag")
    if dag is not None:
        tasks = dag.get("tasks") or []
        out += _dag_rules(tasks, set(templates))
        out += _output_refs(t, tasks, templates)
    return out


_LOCATIONS = ("s3", "gcs", "azure", "oss", "hdfs", "http", "git", "artifactory", "raw",
              "plugin")


def _artifact_rules(section: str, artifacts: list[dict[str, Any]], leaf: bool) -> list[str]:
    """Argo's checks of template artifacts: names, ``path`` only (and always) in leaf
    templates, no ``from`` among inputs."""
    out: list[str] = []
    names = [str(a.get("name", "")) for a in artifacts]
    for n in sorted({n for n in names if names.count(n) > 1}):
        out.append(f"{section} artifact {n!r} is declared twice")
    for a in artifacts:
        name = a.get("name")
        if not PARAM_RE.match(str(name or "")):
            out.append(f"{section} artifact {name!r}: invalid name")
        if not leaf and a.get("path"):
            out.append(f"{section} artifact {name!r}: path is only valid in container templates")
        if leaf and not a.get("path"):
            out.append(f"{section} artifact {name!r}: needs a path")
        if section == "inputs" and a.get("from"):
            out.append(f"{section} artifact {name!r}: from is not valid in inputs")
    return out


def _argument_artifact_rules(task: str, artifacts: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for a in artifacts:
        name = a.get("name")
        if not PARAM_RE.match(str(name or "")):
            out.append(f"DAG task {task!r}: artifact {name!r}: invalid name")
        if a.get("from") and a.get("fromExpression"):
            out.append(f"DAG task {task!r}: artifact {name!r} has both from and fromExpression")
        if not (a.get("from") or a.get("fromExpression") or any(k in a for k in _LOCATIONS)):
            out.append(f"DAG task {task!r}: artifact {name!r} needs from or a location")
    return out


_OUTPUT_REF = re.compile(r"tasks(?:\.([-a-zA-Z0-9]+)|\['([-a-zA-Z0-9]+)'\])\.outputs\."
                         r"(parameters|artifacts)(?:\.([-a-zA-Z0-9_]+)|\['([-a-zA-Z0-9_]+)'\])")


def _output_refs(t: dict[str, Any], tasks: list[dict[str, Any]],
                 templates: dict[str, dict[str, Any]]) -> list[str]:
    """References to task outputs name outputs their templates declare; artifacts of a
    ``withParam`` task are not collected by Argo, so nothing may refer to them."""
    out: list[str] = []
    by_name = {str(x.get("name", "")): x for x in tasks}
    seen: set[tuple[str, str, str]] = set()
    for m in _OUTPUT_REF.finditer(json.dumps({"tasks": tasks, "outputs": t.get("outputs")})):
        task, kind, name = m.group(1) or m.group(2), m.group(3), m.group(4) or m.group(5)
        if (task, kind, name) in seen or task not in by_name:
            continue
        seen.add((task, kind, name))
        x = by_name[task]
        declared = (templates.get(str(x.get("template"))) or {}).get("outputs") or {}
        if name not in {str(d.get("name")) for d in declared.get(kind, [])}:
            out.append(f"refers to {kind[:-1]} {name!r} of task {task!r}, which its template "
                       "does not declare")
        elif kind == "artifacts" and any(k in x for k in ("withParam", "withItems",
                                                          "withSequence")):
            out.append(f"refers to artifact {name!r} of task {task!r}: Argo does not collect "
                       "the artifacts of withParam/withItems tasks")
    return out


def _dag_rules(tasks: list[dict[str, Any]], known: set[str]) -> list[str]:
    out: list[str] = []
    names = [x.get("name", "") for x in tasks]
    present = set(names)
    for n in {n for n in names if names.count(n) > 1}:
        out.append(f"DAG task {n!r} is defined twice")
    for x in tasks:
        n = x.get("name", "")
        if len(n) > 128 or not _TEMPLATE_NAME.match(n) or n[:1].isdigit():
            out.append(f"DAG task {n!r}: invalid name (and must not start with a digit)")
        if "dependencies" in x and "depends" in x:
            out.append(f"DAG task {n!r}: uses both dependencies and depends")
        if x.get("template") not in known and "templateRef" not in x and "inline" not in x:
            out.append(f"DAG task {n!r}: unknown template {x.get('template')!r}")
        out += _argument_artifact_rules(n, (x.get("arguments") or {}).get("artifacts", []))
        refs = set(re.findall(r"[a-zA-Z][-a-zA-Z0-9]*", x.get("depends", "") or ""))
        refs -= {"Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned",
                 "AnySucceeded", "AllFailed"}
        refs |= set(x.get("dependencies") or [])
        for r in sorted(refs - present):
            out.append(f"DAG task {n!r}: depends on unknown task {r!r}")
        text = json.dumps({k: x.get(k) for k in ("arguments", "when", "withParam")})
        for a, b in _TASK_REF.findall(text):
            ref = a or b
            if ref not in present:
                out.append(f"DAG task {n!r}: refers to unknown task {ref!r}")
            elif ref not in refs and not _reaches(ref, x, tasks):
                out.append(f"DAG task {n!r}: uses {ref!r} without depending on it")
    return out


def _reaches(target: str, task: dict[str, Any], tasks: list[dict[str, Any]]) -> bool:
    """Whether ``task`` depends on ``target``, directly or through other tasks."""
    by_name = {x.get("name"): x for x in tasks}
    seen: set[str] = set()
    todo = [task]
    while todo:
        cur = todo.pop()
        deps = set(re.findall(r"[a-zA-Z][-a-zA-Z0-9]*", cur.get("depends", "") or ""))
        deps |= set(cur.get("dependencies") or [])
        for d in deps:
            if d == target:
                return True
            if d in by_name and d not in seen:
                seen.add(d)
                todo.append(by_name[d])
    return False
