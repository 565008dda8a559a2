"""Two environments: a light driver calling tasks of a heavier worker env.

The driver environment declares ``depends_on=[worker_env]``. That is required
whenever a task of one environment calls a task of another: deploying (or
running) ``driver_env`` then also builds the worker image and deploys the
worker tasks, and the driver knows which image to launch them with.

The worker tasks are called directly (``await tokenize(...)``): they live in
this module, so the driver image can import them. See ``remote_ref.py`` for
calling an already-deployed task by name instead.
"""

# flytec-example: run main --texts '["the cat sat", "The dog sat down", "a cat"]'
# flytec-expect: {"a": 1, "cat": 2, "dog": 1, "down": 1, "sat": 2, "the": 2}

import asyncio
from collections import Counter

import flyte

worker_env = flyte.TaskEnvironment(
    name="worker_env",
    resources=flyte.Resources(cpu=2, memory="2Gi"),
    image=flyte.Image.from_debian_base(python_version=(3, 12)),
)

driver_env = flyte.TaskEnvironment(
    name="driver_env",
    resources=flyte.Resources(cpu=1, memory="500Mi"),
    depends_on=[worker_env],
)


@worker_env.task
async def tokenize(text: str) -> list[str]:
    """Lower-case and split one document into words."""
    return [word.strip(".,!?").lower() for word in text.split() if word.strip(".,!?")]


@worker_env.task
async def count_words(tokens: list[str]) -> dict[str, int]:
    """Count occurrences of each word (a map: key order is not preserved)."""
    return dict(sorted(Counter(tokens).items()))


@driver_env.task
async def main(texts: list[str]) -> dict[str, int]:
    token_lists = await asyncio.gather(*[tokenize(text) for text in texts])
    all_tokens = [token for tokens in token_lists for token in tokens]
    return await count_words(all_tokens)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, texts=["the cat sat", "The dog sat down", "a cat"])
    print(r.name)
    print(r.url)
