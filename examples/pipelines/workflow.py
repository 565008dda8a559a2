"""Driver of the ``pipelines`` package: clean -> enrich (fan-out) -> summarize.

Exercises cross-module resolution: the environment comes from ``.envs``, one
task through an aliased relative import, the others through the package
module object (``tasks.enrich``).

Because of the relative imports this module must be imported as part of the
package (root directory ``examples/``): ``flytec run examples/pipelines/workflow.py::main``
or, with the Flyte CLI, ``cd examples && python -m pipelines`` (see ``__main__.py``).
"""

# flytec-example: run main --records '["  Ada@Example.com", "grace@navy.mil", "", "ada@example.com", "bob@example.com", "not-an-email", "linus@kernel.org"]'
# flytec-expect: {"example.com": 2, "kernel.org": 1, "navy.mil": 1}

import asyncio

import flyte

from pipelines import tasks

from .envs import driver_env
from .tasks import clean as clean_task


@driver_env.task
async def main(records: list[str]) -> dict[str, int]:
    emails = await clean_task(records)
    with flyte.group("enrich"):
        contacts = await asyncio.gather(*[tasks.enrich(email) for email in emails])
    return await tasks.summarize(list(contacts))

