"""FLY610: an environment value that Kubernetes refuses (image, env var, secret, resources)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model import kube_values as kv
from flytec.model.diagnostic import Category, Severity
from flytec.model.program import Environment, StaticCall, secret_specs, to_jsonable


def problems(env: Environment) -> Iterator[tuple[str, str]]:
    """(keyword, message) for each value of the environment Kubernetes rejects."""
    image = env.config.get("image")
    if isinstance(image, str) and image != "auto":
        problem = kv.image_problem(image)
        if problem is not None:
            yield "image", f"image {image!r} is not valid: {problem}"
    env_vars = env.config.get("env_vars")
    if isinstance(env_vars, dict):
        for name in env_vars:
            problem = kv.env_name_problem(str(name))
            if problem is not None:
                yield "env_vars", f"env var name {name!r} is not valid: {problem}"
    for secret in secret_specs(env.config.get("secrets")):
        if "dynamic" in secret:
            continue  # not known statically
        for _field, message in kv.secret_problems(secret):
            yield "secrets", message
    res = env.config.get("resources")
    if isinstance(res, StaticCall) and res.func == "flyte.Resources":
        for key, message in kv.resource_problems({k: to_jsonable(x) for k, x in res.kwargs}):
            yield "resources", f"resources {key}: {message}"


@register
class KubernetesValue(Rule):
    code = "FLY610"
    name = "invalid-kubernetes-value"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = ("An image, env var name, secret key or resource quantity that Kubernetes"
               " refuses.")
    why = (
        "A task's environment becomes a pod: its `image` must be an image reference"
        " (`[registry[:port]/]name[:tag][@digest]`, no spaces), `env_vars` names and a"
        " secret's variable must match `[-._a-zA-Z][-._a-zA-Z0-9]*`, a secret `key` must"
        " match `[-._a-zA-Z0-9]+` and its `group` must be a DNS-1123 name (it names the"
        " Kubernetes Secret), and `Resources(cpu, memory, disk, gpu)` must be non-negative"
        " quantities (`500m`, `2`, `4Gi`) with a request no larger than its limit. The API"
        " server refuses such a pod, or the kubelet cannot pull its image: the task never"
        " starts, after the deploy has succeeded. `flytec build --target argo|jobs` writes"
        " no manifests while one is left."
    )
    fix = ("Use a valid value: `image=\"ghcr.io/acme/etl:1.2\"`, `env_vars={\"LOG_LEVEL\": ...}`,"
           " `flyte.Secret(key=\"api-key\")`, `Resources(cpu=\"500m\", memory=\"1Gi\")`.")
    bad = """
import flyte

env = flyte.TaskEnvironment(
    name="etl",
    image="acme/etl 1.2",
    env_vars={"LOG LEVEL": "debug"},
    secrets=[flyte.Secret(key="db/password")],
    resources=flyte.Resources(cpu="half", memory="1 GB"),
)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(
    name="etl",
    image="acme/etl:1.2",
    env_vars={"LOG_LEVEL": "debug"},
    secrets=[flyte.Secret(key="db-password")],
    resources=flyte.Resources(cpu="500m", memory="1Gi"),
)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for env in ctx.program.environments.values():
            if not ctx.reported(env.path):
                continue
            for keyword, message in problems(env):
                yield Finding(env.path, env.config_spans.get(keyword, env.span),
                              f"{message}; Kubernetes refuses it")
        for task in ctx.program.tasks.values():
            sa = task.options.get("service_account")
            if not ctx.reported(task.path) or not isinstance(sa, str):
                continue
            problem = kv.dns_subdomain_problem(sa)
            if problem is not None:
                span = task.option_spans.get("service_account", task.function.name_span)
                yield Finding(task.path, span,
                              f"service account {sa!r} is not valid: {problem}; Kubernetes"
                              " refuses it")
