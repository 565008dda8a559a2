"""A small multi-module Flyte project: contact-list cleaning pipeline.

Layout (a regular package; its parent directory ``examples/`` is the root
directory, so the package imports itself as ``pipelines``):

* ``envs.py``     -- the two TaskEnvironments (driver depends_on worker)
* ``tasks.py``    -- worker tasks
* ``workflow.py`` -- the ``main`` driver task, importing tasks both ways
  (``from .tasks import clean as clean_task`` and ``from pipelines import tasks``)

This ``__init__`` re-exports the public pieces, so ``from pipelines import main``
works too.
"""

from pipelines.envs import driver_env, worker_env
from pipelines.tasks import clean, enrich, summarize
from pipelines.workflow import main

__all__ = ["clean", "driver_env", "enrich", "main", "summarize", "worker_env"]
