"""The ``environment`` block of a plan: a task's effective configuration, normalised."""

from __future__ import annotations

from typing import Any

from flytec.model.plan import Environment as EnvModel
from flytec.model.program import (
    Dynamic,
    EnvRef,
    Program,
    StaticCall,
    SymbolRef,
    Task,
    secret_specs,
    to_jsonable,
)

_CACHE_ALIASES = {
    "enable": "auto", "enabled": "auto", "on": "auto", "true": "auto", "yes": "auto",
    "off": "disable", "false": "disable", "no": "disable", "none": "disable",
}
_TIME_UNITS = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1,
               "milliseconds": 0.001, "microseconds": 0.000001}
_KNOWN_TASK_OPTIONS = {"cache", "retries", "timeout", "interruptible", "queue", "pod_template"}


def _kwargs(call: StaticCall) -> dict[str, Any]:
    return {k: v for k, v in call.kwargs}


def seconds(v: Any) -> Any:
    """A timedelta / int as seconds (JSON), else its JSON form."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    if isinstance(v, StaticCall) and v.func == "datetime.timedelta":
        total: float = 0
        names = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"]
        for name, x in zip(names, v.args):
            if not isinstance(x, (int, float)):
                return to_jsonable(v)
            total += x * _TIME_UNITS[name]
        for k, x in v.kwargs:
            if k not in _TIME_UNITS or not isinstance(x, (int, float)):
                return to_jsonable(v)
            total += x * _TIME_UNITS[k]
        return int(total) if float(total).is_integer() else total
    return to_jsonable(v)


def resources(v: Any) -> dict[str, Any] | None:
    if v is None:
        return None
    if isinstance(v, StaticCall) and v.func == "flyte.Resources":
        return {k: to_jsonable(x) for k, x in v.kwargs}
    return {"dynamic": to_jsonable(v)}


def image(v: Any) -> Any:
    if v is None or v == "auto":
        return "auto"
    if isinstance(v, str):
        return {"uri": v}
    if isinstance(v, StaticCall):
        layers: list[dict[str, Any]] = []
        cur: Any = v
        while isinstance(cur, StaticCall):
            layer: dict[str, Any] = {"call": cur.func.lstrip(".")}
            if cur.args:
                layer["args"] = to_jsonable(list(cur.args))
            if cur.kwargs:
                layer["kwargs"] = {k: to_jsonable(x) for k, x in cur.kwargs}
            layers.append(layer)
            cur = cur.base
        if cur is not None:
            layers.append({"base": to_jsonable(cur)})
        return {"layers": list(reversed(layers))}
    return {"dynamic": to_jsonable(v)}


def cache(v: Any) -> dict[str, Any]:
    if v is None:
        return {"behavior": "disable"}
    if isinstance(v, str):
        return {"behavior": _CACHE_ALIASES.get(v.lower(), v)}
    if isinstance(v, StaticCall) and v.func == "flyte.Cache":
        out = {k: to_jsonable(x) for k, x in v.kwargs}
        if v.args:
            out.setdefault("behavior", to_jsonable(v.args[0]))
        b = out.get("behavior")
        if isinstance(b, str):
            out["behavior"] = _CACHE_ALIASES.get(b.lower(), b)
        if isinstance(out.get("ignored_inputs"), str):
            out["ignored_inputs"] = [out["ignored_inputs"]]
        return out
    return {"dynamic": to_jsonable(v)}


def retries(v: Any) -> Any:
    if v is None:
        return 0
    if isinstance(v, StaticCall) and v.func == "flyte.RetryStrategy":
        out = _kwargs(v)
        if v.args:
            out.setdefault("count", v.args[0])
        return {k: to_jsonable(x) for k, x in out.items()}
    return to_jsonable(v)


def timeout(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, StaticCall) and v.func == "flyte.Timeout":
        return {k: seconds(x) for k, x in v.kwargs}
    return {"max_runtime": seconds(v)}


def reuse(v: Any) -> dict[str, Any] | None:
    if v is None:
        return None
    if isinstance(v, StaticCall) and v.func == "flyte.ReusePolicy":
        kw = _kwargs(v)
        replicas = kw.get("replicas", 2)
        if isinstance(replicas, int):
            replicas = [replicas, replicas]
        return {
            "replicas": to_jsonable(replicas),
            "idle_ttl": seconds(kw.get("idle_ttl", 30)),
            "concurrency": to_jsonable(kw.get("concurrency", 1)),
            "scaledown_ttl": seconds(kw.get("scaledown_ttl", 30)),
            "scope": to_jsonable(kw.get("scope", "global")),
        }
    return {"dynamic": to_jsonable(v)}


def secrets(v: Any) -> list[Any]:
    return secret_specs(v)


def environment(program: Program, task: Task) -> EnvModel:
    env = program.env_of(task)
    config: dict[str, Any] = dict(env.config) if env is not None else {}
    opts = task.options

    def pick(name: str) -> Any:
        v = opts.get(name)
        return v if v is not None else config.get(name)

    deps: list[str] = []
    if env is not None:
        for k in env.depends_on:
            d = program.environments.get(k)
            deps.append(d.display if d is not None else k)
    other = {k: _json(v) for k, v in sorted(opts.items()) if k not in _KNOWN_TASK_OPTIONS}
    env_vars = config.get("env_vars")
    return EnvModel(
        name=env.display if env is not None else None,
        resources=resources(config.get("resources")),
        image=image(config.get("image")),
        cache=cache(pick("cache")),
        retries=retries(opts.get("retries")),
        timeout=timeout(opts.get("timeout")),
        reuse=reuse(config.get("reusable")),
        secrets=secrets(config.get("secrets")),
        env_vars=to_jsonable(env_vars) if isinstance(env_vars, dict) else {},
        interruptible=_json(pick("interruptible")),
        queue=_json(pick("queue")),
        pod_template=_json(pick("pod_template")),
        plugin_config=_json(config.get("plugin_config")),
        depends_on=sorted(deps),
        other=other,
    )


def _json(v: Any) -> Any:
    if isinstance(v, (Dynamic, EnvRef, SymbolRef, StaticCall)):
        return to_jsonable(v)
    return to_jsonable(v)
