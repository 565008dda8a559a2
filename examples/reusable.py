"""Reusable containers for many small, fast tasks.

``scorer_env`` is a *reusable* environment: instead of one pod per action,
Flyte keeps 2 warm replicas around (shut down after 60 s idle), and each
replica runs up to 4 actions concurrently. Concurrency > 1 requires async
tasks, because the actions share one event loop in the replica. Expensive
setup (here: loading a sentiment lexicon) is done once per replica and reused
across actions.

Reusable environments need the ``unionai-reuse`` package in the image and a
Union backend; in local mode the reuse policy is ignored and everything runs
in-process.
"""

# flytec-example: run main --reviews '["great food, friendly staff", "slow and rude service", "ok", "great great value but bad parking"]'
# flytec-expect: {"scores": [2, -2, 0, 2], "positive": 2, "negative": 1, "neutral": 1}

import asyncio
import functools
from dataclasses import dataclass

import flyte

scorer_image = flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("unionai-reuse")

scorer_env = flyte.TaskEnvironment(
    name="reusable_scorer",
    image=scorer_image,
    resources=flyte.Resources(cpu=1, memory="1Gi"),
    reusable=flyte.ReusePolicy(replicas=2, idle_ttl=60, concurrency=4),
)

driver_env = flyte.TaskEnvironment(
    name="reusable_driver",
    resources=flyte.Resources(cpu=1, memory="500Mi"),
    depends_on=[scorer_env],
)


@dataclass
class SentimentSummary:
    scores: list[int]
    positive: int
    negative: int
    neutral: int


@functools.lru_cache(maxsize=1)
def load_lexicon() -> dict[str, int]:
    """Expensive one-time setup, done once per warm replica (simulated)."""
    return {"great": 1, "friendly": 1, "value": 1, "slow": -1, "rude": -1, "bad": -1}


@scorer_env.task
async def score(review: str) -> int:
    """Sum of word polarities of one review."""
    lexicon = load_lexicon()
    words = [w.strip(".,!?").lower() for w in review.split()]
    return sum(lexicon.get(w, 0) for w in words)


@driver_env.task
async def main(reviews: list[str]) -> SentimentSummary:
    with flyte.group("score-reviews"):
        scores = list(await asyncio.gather(*[score(review) for review in reviews]))
    return SentimentSummary(
        scores=scores,
        positive=sum(1 for s in scores if s > 0),
        negative=sum(1 for s in scores if s < 0),
        neutral=sum(1 for s in scores if s == 0),
    )


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(
        main,
        reviews=[
            "great food, friendly staff",
            "slow and rude service",
            "ok",
            "great great value but bad parking",
        ],
    )
    print(r.name)
    print(r.url)
