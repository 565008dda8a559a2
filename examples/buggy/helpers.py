"""Plain helper functions used by ``nondeterminism.py``.

Nothing here is a bug on its own: these helpers only become a problem when a
driver task uses their results to decide which tasks to launch or with what
inputs. The ``traced_*`` variants are safe to use from drivers.
"""

import random
import uuid
from datetime import datetime, timezone

import flyte


def partition_for_today() -> str:
    """Today's date partition -- reads the wall clock."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def should_sample(rate: float = 0.1) -> bool:
    """Randomly decide to sample -- draws from the global RNG."""
    return random.random() < rate


def new_batch_id() -> str:
    """A fresh id for a batch -- random every call."""
    return f"batch-{uuid.uuid4().hex[:12]}"


def seeded_shuffle(items: list[str], seed: int) -> list[str]:
    """Deterministic for a given seed (private RNG instance)."""
    rng = random.Random(seed)
    shuffled = list(items)
    rng.shuffle(shuffled)
    return shuffled


@flyte.trace
async def traced_partition_for_today() -> str:
    """Same as partition_for_today, but recorded: replays the first value on retry/recovery."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


@flyte.trace
async def traced_should_sample(rate: float = 0.1) -> bool:
    """Same as should_sample, but recorded."""
    return random.random() < rate
