"""Task environments of the ``pipelines`` package."""

import flyte

worker_env = flyte.TaskEnvironment(
    name="pipelines_worker",
    resources=flyte.Resources(cpu=2, memory="2Gi"),
    image=flyte.Image.from_debian_base(python_version=(3, 12)),
)

driver_env = flyte.TaskEnvironment(
    name="pipelines_driver",
    resources=flyte.Resources(cpu=1, memory="500Mi"),
    depends_on=[worker_env],
)
