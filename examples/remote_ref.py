"""Calling already-deployed tasks by reference.

``flyte.remote.Task.get("<env>.<task>", auto_version="latest")`` returns a lazy
reference to a task that was deployed separately (here: the worker tasks of
``two_envs.py``). Nothing is fetched at import time; the reference is resolved
when it is first called. The driver image does not need the worker's code or
dependencies, and no ``depends_on`` is needed for references.

Reference tasks must be called with keyword arguments only, and they need a
backend: they cannot run in local mode. Deploy the workers first:

    flyte deploy examples/two_envs.py driver_env

then ``flyte run examples/remote_ref.py main --texts '["the cat sat", "The dog sat down", "a cat"]'``
returns ``["cat", "sat", "the"]``.
"""

# flytec-example: check-only

import asyncio

import flyte
import flyte.remote

env = flyte.TaskEnvironment(
    name="ref_driver",
    resources=flyte.Resources(cpu=1, memory="500Mi"),
)

# Lazy references to the deployed worker tasks (see two_envs.py).
tokenize_ref = flyte.remote.Task.get("worker_env.tokenize", auto_version="latest")
count_words_ref = flyte.remote.Task.get("worker_env.count_words", auto_version="latest")


@env.task
async def top_words(counts: dict[str, int], n: int) -> list[str]:
    """The ``n`` most frequent words; ties broken alphabetically."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:n]]


@env.task
async def main(texts: list[str], n: int = 3) -> list[str]:
    token_lists = await asyncio.gather(*[tokenize_ref(text=text) for text in texts])
    tokens = [token for token_list in token_lists for token in token_list]
    counts = await count_words_ref(tokens=tokens)
    return await top_words(counts, n)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, texts=["the cat sat", "The dog sat down", "a cat"], n=3)
    print(r.name)
    print(r.url)
