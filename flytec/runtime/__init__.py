"""The bundled local runtime of flytec (`flytec run`).

It imports user code with flytec's own implementation of the Flyte 2 API (the *shim*, in
``flytec/runtime/shim/flyte``) in place of ``flyte``, and executes tasks on one asyncio event
loop, a thread pool for sync tasks and, optionally, worker processes. Every run is recorded in a
SQLite store (runs, actions, journal, cache); see ``docs/runtime.md``.

The library API used by the CLI and tests is :func:`flytec.runtime.runner.execute`.
"""

from flytec.runtime.runner import RunOptions, RunOutcome, execute

__all__ = ["RunOptions", "RunOutcome", "execute"]
