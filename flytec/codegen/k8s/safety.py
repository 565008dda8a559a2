"""What ``flytec build --target argo|jobs`` refuses to write.

Two checks run on every emission, before a file is written:

* :func:`environment_problems`: values of a task's environment that the API server or the
  kubelet rejects (image references, env var names, Secret keys and names, resource
  quantities, service account names), with the task's ``file:line``. ``flytec check``
  reports the same values as FLY610 where they are written.
* :func:`engine_syntax_problems`: a last guard over the rendered objects. Every ``{{`` in an
  Argo spec must open a reference flytec wrote, and no ``command``/``args`` string may hold
  ``$(`` or ``$$`` (the kubelet's syntax). User values are escaped before they get there
  (:mod:`flytec.model.engine_escape`), so a hit is a value flytec could not escape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from flytec.codegen.k8s import container as ctr
from flytec.codegen.k8s.options import EmitOptions
from flytec.model import kube_values as kv
from flytec.model.plan import Environment, Plan

#: the references and expressions flytec writes into Argo templates
ARGO_REFERENCE = re.compile(
    r"\{\{(?:"
    r"(?:inputs|workflow)\.parameters\.[-\w]+"
    r"|tasks\.[-a-zA-Z0-9]+\.outputs\.(?:parameters|artifacts)\.[-\w]+"
    r"|inputs\.artifacts\.[-\w]+"
    r"|item"
    r"|=[^{}]*"
    r")\}\}")
_KUBELET_SYNTAX = re.compile(r"\$[$(]")


def environment_problems(plans: list[Plan], options: EmitOptions) -> list[str]:
    """``path:line: task `T`: <what Kubernetes rejects>`` for every plan and the tasks it calls."""
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    for plan in plans:
        where = plan.source.location
        sa = ctr.service_account_of(plan.environment, options)
        if sa is not None:
            problem = kv.dns_subdomain_problem(sa)
            if problem is not None:
                out.append(f"{where}: task `{plan.task}`: service account {sa!r} is not"
                           f" valid: {problem}")
        units: list[tuple[str, str, Environment]] = [(plan.task, where, plan.environment)]
        for name, callee in plan.callees.items():
            src = callee.source
            units.append((name, f"{src.get('path', '?')}:{src.get('line', '?')}",
                          callee.environment))
        for task, loc, env in units:
            for message in _env_messages(env, options):
                line = f"{loc}: task `{task}`: {message}"
                if (task, line) not in seen:
                    seen.add((task, line))
                    out.append(line)
    return out


def _env_messages(env: Environment, options: EmitOptions) -> Iterator[str]:
    image = ctr.image_of(env, options)
    problem = kv.image_problem(image)
    if problem is not None:
        yield f"image {image!r} is not valid: {problem}"
    for name in env.env_vars:
        problem = kv.env_name_problem(str(name))
        if problem is not None:
            yield f"env var name {name!r} is not valid: {problem}"
    for secret in env.secrets:
        if isinstance(secret, dict):
            for _field, message in kv.secret_problems(secret):
                yield message
    for key, message in kv.resource_problems(env.resources or {}):
        yield f"resources {key}: {message}"


def engine_syntax_problems(objects: list[dict[str, Any]], filename: str) -> list[str]:
    """Strings that Argo or the kubelet would still rewrite (see the module's docstring)."""
    out: list[str] = []
    for obj in objects:
        kind = obj.get("kind")
        if kind in ("Workflow", "WorkflowTemplate"):
            for path, text in _strings(obj.get("spec"), "spec"):
                if "{{" in ARGO_REFERENCE.sub("", text):
                    out.append(f"{filename}: {path}: {text!r} holds `{{{{` that Argo would "
                               "substitute")
        for path, c in _containers(obj):
            for i, text in enumerate([*c.get("command", []), *c.get("args", [])]):
                if _KUBELET_SYNTAX.search(ARGO_REFERENCE.sub("", str(text))):
                    out.append(f"{filename}: {path}.command+args[{i}]: {text!r} holds `$(` or"
                               " `$$` that the kubelet would expand")
    return out


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for k, v in node.items():
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{path}[{i}]")


def _containers(obj: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    spec = obj.get("spec") or {}
    for i, t in enumerate(spec.get("templates") or []):
        if isinstance(t.get("container"), dict):
            yield f"spec.templates[{i}].container", t["container"]
    pod = (spec.get("template") or {}).get("spec") or {}
    for i, c in enumerate(pod.get("containers") or []):
        yield f"spec.template.spec.containers[{i}]", c
