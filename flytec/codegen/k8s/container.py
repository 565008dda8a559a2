"""A plan ``environment`` as Kubernetes container and Argo template settings.

Each function maps one part of the environment and says where the value comes from; values
the plan holds in a form flytec cannot map (``{"dynamic": ...}``, image builders without
``--image``) fall back to documented defaults, listed in docs/kubernetes.md.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from flytec.codegen.k8s.names import label
from flytec.codegen.k8s.options import FALLBACK_IMAGE, EmitOptions
from flytec.model.engine_escape import has_argo_syntax, kubelet_escape
from flytec.model.kube_values import (
    FLYTE_ACCELERATORS,
    dns_subdomain_problem,
    quantity_text,
    secret_env_var,
)
from flytec.model.plan import Environment

#: Flyte's accelerator names, as ``flyte`` maps them for its backend
ACCELERATORS = FLYTE_ACCELERATORS
ACCELERATOR_ANNOTATION = "flytec.dev/accelerator"


def image_of(env: Environment, options: EmitOptions) -> str:
    """A string image as is; else ``--image ENV=NAME``, then ``--image NAME``, then a fallback."""
    img = env.image
    if isinstance(img, dict) and isinstance(img.get("uri"), str):
        return str(img["uri"])
    if isinstance(img, str) and img != "auto":
        return img
    if env.name is not None and env.name in options.images:
        return options.images[env.name]
    return options.default_image or FALLBACK_IMAGE


def image_is_named(env: Environment, options: EmitOptions) -> bool:
    """Whether the image came from the code or the options (not the fallback)."""
    return image_of(env, options) != FALLBACK_IMAGE or options.default_image == FALLBACK_IMAGE


def _quantity(v: Any) -> str | None:
    return quantity_text(v)


def _pair(v: Any) -> tuple[str | None, str | None]:
    """A scalar is both request and limit; ``(request, limit)`` as given."""
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return _quantity(v[0]), _quantity(v[1])
    q = _quantity(v)
    return q, q


def gpu_of(env: Environment) -> tuple[str | None, str | None]:
    """(count, accelerator node label value) from ``gpu=2`` or ``gpu="T4:1"``."""
    res = env.resources or {}
    g = res.get("gpu")
    if isinstance(g, bool) or g is None:
        return None, None
    if isinstance(g, int):
        return str(g), None
    if isinstance(g, str):
        name, _, count = g.partition(":")
        return (count or "1"), ACCELERATORS.get(name, name)
    return None, None


def resources_of(env: Environment) -> dict[str, dict[str, str]]:
    """``Resources(cpu, memory, gpu, disk)`` as requests and limits."""
    res = env.resources or {}
    requests: dict[str, str] = {}
    limits: dict[str, str] = {}
    for key, k8s in (("cpu", "cpu"), ("memory", "memory"), ("disk", "ephemeral-storage")):
        req, lim = _pair(res.get(key))
        if req is not None:
            requests[k8s] = req
        if lim is not None:
            limits[k8s] = lim
    count, _ = gpu_of(env)
    if count is not None:
        requests["nvidia.com/gpu"] = count
        limits["nvidia.com/gpu"] = count
    out: dict[str, dict[str, str]] = {}
    if requests:
        out["requests"] = requests
    if limits:
        out["limits"] = limits
    return out


def moved_env_key(value: str) -> str:
    """The key, in the plan's ConfigMap, of an env var value Argo must not see."""
    return "env-" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def env_value_text(value: Any) -> str:
    """An ``env_vars`` value as the container sees it (JSON for non-strings)."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def moved_env_values(envs: list[Environment]) -> dict[str, str]:
    """ConfigMap data for the env var values of ``envs`` that hold ``{{`` (``--target argo``):
    Argo substitutes every string of a template and has no escape, so these values are read
    from the plan's ConfigMap (``configMapKeyRef``), which Argo never rewrites."""
    out: dict[str, str] = {}
    for env in envs:
        for value in env.env_vars.values():
            text = env_value_text(value)
            if has_argo_syntax(text):
                out[moved_env_key(text)] = text
    return out


def secret_object(secret: dict[str, Any]) -> str:
    """The Secret's name: the group as written (a valid name), else the key as a DNS label."""
    group = secret.get("group")
    if isinstance(group, str) and group:
        return group if dns_subdomain_problem(group) is None else label(group, 253)
    return label(str(secret["key"]), 253)


def env_of(env: Environment, config_map: str | None = None) -> list[dict[str, Any]]:
    """``env_vars`` as values, secrets as ``secretKeyRef`` (object: the group, else the key).

    Values are escaped for the kubelet (``$$``); with ``config_map`` (Argo), a value holding
    ``{{`` is read from that ConfigMap instead (:func:`moved_env_values`)."""
    out: list[dict[str, Any]] = []
    for name, value in env.env_vars.items():
        text = env_value_text(value)
        if config_map is not None and has_argo_syntax(text):
            ref = {"name": config_map, "key": moved_env_key(text)}
            out.append({"name": str(name), "valueFrom": {"configMapKeyRef": ref}})
        else:
            out.append({"name": str(name), "value": kubelet_escape(text)})
    for secret in env.secrets:
        if not isinstance(secret, dict) or not isinstance(secret.get("key"), str):
            continue
        out.append({
            "name": secret_env_var(secret),
            "valueFrom": {"secretKeyRef": {"name": secret_object(secret), "key": secret["key"]}},
        })
    return out


def retry_strategy_of(env: Environment) -> dict[str, Any] | None:
    """``retries=n`` or ``RetryStrategy(count, backoff=Backoff(base, factor, cap))``."""
    r = env.retries
    count: Any = r
    backoff: dict[str, Any] = {}
    if isinstance(r, dict):
        count = r.get("count")
        b = r.get("backoff")
        if isinstance(b, dict):
            kw = b.get("kwargs", b)
            base = _seconds(kw.get("base"))
            if base is not None:
                backoff["duration"] = f"{base}s"
            factor = kw.get("factor")
            if isinstance(factor, (int, float)) and not isinstance(factor, bool):
                # Argo's factor is an integer (its controller parses it with Atoi):
                # a fractional one is rounded up, so the waits are never shorter
                backoff["factor"] = max(1, math.ceil(factor))
            cap = _seconds(kw.get("cap"))
            if cap is not None:
                backoff["cap"] = f"{cap}s"
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        return None
    out: dict[str, Any] = {"limit": count, "retryPolicy": "OnFailure"}
    out["backoff"] = backoff or {"duration": "10s", "factor": 2}
    return out


def argo_retry_strategy(env: Environment) -> dict[str, Any] | None:
    """:func:`retry_strategy_of` as Argo writes it: ``limit`` and ``backoff.factor`` are
    ``IntOrString``, which Argo's published JSON schema types as strings (its controller
    reads them with ``strconv.Atoi``), as in Argo's own examples (``limit: "3"``)."""
    r = retry_strategy_of(env)
    if r is None:
        return None
    out = {**r, "limit": str(r["limit"])}
    if "factor" in r["backoff"]:
        out["backoff"] = {**r["backoff"], "factor": str(r["backoff"]["factor"])}
    return out


def argo_deadline(env: Environment) -> str | None:
    """:func:`deadline_of` for a template's ``activeDeadlineSeconds`` (``IntOrString``, a
    string in Argo's schema; a Job's is an integer)."""
    d = deadline_of(env)
    return None if d is None else str(d)


_TIMEDELTA_ARGS = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours",
                   "weeks")
_UNITS = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1,
          "milliseconds": 0.001, "microseconds": 0.000001}


def _seconds(v: Any) -> int | None:
    """Whole seconds of a number or of a plan's ``datetime.timedelta`` call (how a
    ``Backoff(base=timedelta(...))`` is written in the plan); None when not static."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return int(v)
    if isinstance(v, dict) and v.get("call") in ("datetime.timedelta", "timedelta"):
        pairs = [*zip(_TIMEDELTA_ARGS, v.get("args") or []), *(v.get("kwargs") or {}).items()]
        if not all(k in _UNITS and isinstance(x, (int, float)) and not isinstance(x, bool)
                   for k, x in pairs):
            return None
        return int(sum(x * _UNITS[k] for k, x in pairs))
    return None


def deadline_of(env: Environment) -> int | None:
    """``timeout`` (seconds, timedelta or ``Timeout(max_runtime=...)``) in whole seconds."""
    t = env.timeout
    if isinstance(t, dict):
        s = _seconds(t.get("max_runtime"))
        if s is not None and s > 0:
            return s
    return None


def caches(env: Environment) -> bool:
    return env.cache.get("behavior") in ("auto", "override")


def service_account_of(env: Environment, options: EmitOptions) -> str | None:
    sa = env.other.get("service_account")
    if isinstance(sa, str) and sa:
        return sa
    return options.service_account
