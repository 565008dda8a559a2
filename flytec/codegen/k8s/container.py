"""A plan ``environment`` as Kubernetes container and Argo template settings.

Each function maps one part of the environment and says where the value comes from; values
the plan holds in a form flytec cannot map (``{"dynamic": ...}``, image builders without
``--image``) fall back to documented defaults, listed in docs/kubernetes.md.
"""

from __future__ import annotations

from typing import Any

from flytec.codegen.k8s.names import label
from flytec.codegen.k8s.options import FALLBACK_IMAGE, EmitOptions
from flytec.model.plan import Environment

#: Flyte's accelerator names, as ``flyte`` maps them for its backend
ACCELERATORS = {
    "T4": "nvidia-tesla-t4", "A100": "nvidia-tesla-a100", "A100_80G": "nvidia-a100-80gb",
    "H100": "nvidia-tesla-h100", "A10": "nvidia-a10", "A10G": "nvidia-a10g", "L4": "nvidia-l4",
    "L40s": "nvidia-l40s", "V100": "nvidia-tesla-v100",
}
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
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float, str)):
        return str(v)
    return None


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


def _secret_env_var(secret: dict[str, Any]) -> str:
    if isinstance(secret.get("as_env_var"), str):
        return str(secret["as_env_var"])
    key = str(secret.get("key", ""))
    group = secret.get("group")
    name = f"{group}_{key}" if isinstance(group, str) and group else key
    return name.upper().replace("-", "_")


def env_of(env: Environment) -> list[dict[str, Any]]:
    """``env_vars`` as values, secrets as ``secretKeyRef`` (object: the group, else the key)."""
    out: list[dict[str, Any]] = []
    for name, value in env.env_vars.items():
        text = value if isinstance(value, str) else _json_text(value)
        out.append({"name": str(name), "value": text})
    for secret in env.secrets:
        if not isinstance(secret, dict) or not isinstance(secret.get("key"), str):
            continue
        group = secret.get("group")
        obj = label(group if isinstance(group, str) and group else secret["key"], 253)
        out.append({
            "name": _secret_env_var(secret),
            "valueFrom": {"secretKeyRef": {"name": obj, "key": secret["key"]}},
        })
    return out


def _json_text(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True)


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
                backoff["factor"] = int(factor) if float(factor).is_integer() else factor
            cap = _seconds(kw.get("cap"))
            if cap is not None:
                backoff["cap"] = f"{cap}s"
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        return None
    out: dict[str, Any] = {"limit": count, "retryPolicy": "OnFailure"}
    out["backoff"] = backoff or {"duration": "10s", "factor": 2}
    return out


def _seconds(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return int(v)
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
