"""Deployment/configuration mistakes that only bite at deploy or run time.

The module imports fine; ``flyte deploy`` (or a remote ``flyte run``) then
fails, or a setting silently does not do what the author intended.
Mistakes the SDK rejects at import time are in ``import_errors/``.
"""

# flytec-example: check-only

import flyte

# --- duplicate environment names ----------------------------------------------
ingest_env = flyte.TaskEnvironment(name="ingest", resources=flyte.Resources(cpu=1, memory="1Gi"))
ingest_gpu_env = flyte.TaskEnvironment(name="ingest", resources=flyte.Resources(cpu=2, memory="8Gi", gpu="T4:1"))  # BUG(duplicate-env-name): a second environment named "ingest"; deploy fails with "Duplicate environment name" (and task FQNs collide)

# --- depends_on cycle ---------------------------------------------------------
features_env = flyte.TaskEnvironment(name="features", resources=flyte.Resources(cpu=1, memory="1Gi"))
training_env = flyte.TaskEnvironment(name="training", depends_on=[features_env])
features_env.add_dependency(training_env)  # BUG(depends-on-cycle): features -> training -> features; deploy recurses forever (RecursionError)

# --- cross-environment call without depends_on --------------------------------
scoring_env = flyte.TaskEnvironment(name="scoring", resources=flyte.Resources(cpu=2, memory="4Gi"))
reporting_env = flyte.TaskEnvironment(name="reporting", resources=flyte.Resources(cpu=1, memory="500Mi"))

# --- reusable environment -------------------------------------------------------
warm_env = flyte.TaskEnvironment(
    name="warm_pool",
    resources=flyte.Resources(cpu=1, memory="1Gi"),
    image=flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("unionai-reuse"),
    reusable=flyte.ReusePolicy(replicas=2, idle_ttl=60, concurrency=4),
)

driver_env = flyte.TaskEnvironment(name="deploy_driver", depends_on=[ingest_env, warm_env])


@ingest_env.task
async def load_rows(source: str) -> list[int]:
    return [len(source), 2, 3]


@ingest_gpu_env.task
async def embed_rows(rows: list[int]) -> list[float]:
    return [r / 10 for r in rows]


@features_env.task
async def featurize(rows: list[int]) -> list[float]:
    return [float(r) for r in rows]


@training_env.task
async def fit(features: list[float]) -> float:
    return sum(features)


@scoring_env.task
async def score(rows: list[int]) -> float:
    return sum(rows) / max(len(rows), 1)


@reporting_env.task
async def report(source: str) -> str:
    rows = await load_rows(source)  # BUG(missing-depends-on): reporting_env calls a task of ingest_env but does not depend_on it (MissingEnvironment at run time)
    value = await score(rows)  # BUG(missing-depends-on): reporting_env calls a task of scoring_env but does not depend_on it
    return f"{source}: {value:.2f}"


@ingest_env.task(retries=3)
async def flaky_download(source: str) -> list[int]:
    return [1, 2, 3]


@warm_env.task
async def warm_square(x: int) -> int:
    return x * x


@driver_env.task
async def main(source: str) -> int:
    # Intent: "this time, do not retry" -- but override() treats falsy values as "not set".
    rows = await flaky_download.override(retries=0)(source)  # BUG(override-falsy-ignored): retries=0 is ignored by override(); the task still retries 3 times
    # Intent: give the reusable task more memory for a big input.
    big = warm_square.override(resources=flyte.Resources(memory="8Gi"))  # BUG(reusable-override): overriding resources of a reusable env needs reusable="off" in the same override() (ValueError)
    ok = warm_square.override(resources=flyte.Resources(memory="8Gi"), reusable="off")  # OK
    return await big(len(rows)) + await ok(len(rows))


if __name__ == "__main__":
    flyte.init_from_config()
    flyte.deploy(driver_env, reporting_env, training_env)
