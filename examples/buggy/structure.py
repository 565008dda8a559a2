"""Structural mistakes in how tasks are defined and called.

Each function below is a realistic piece of a web-scraping pipeline with one
mistake. The module imports fine; the bugs show up at run time (or silently
produce wrong results).
"""

# flytec-example: check-only

import asyncio
from typing import Any

import flyte
import flyte.errors
import flyte.remote

env = flyte.TaskEnvironment(name="buggy_structure", resources=flyte.Resources(cpu=1, memory="500Mi"))

summarize_ref = flyte.remote.Task.get("summarizer.summarize", auto_version="latest")


class PageCache:
    """Some user class that is not a dataclass/pydantic model."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}


@env.task
async def fetch(url: str) -> str:
    return f"<html>{url}</html>"


@env.task
def parse(page: str) -> int:
    """A sync task (plain def)."""
    return len(page)


@env.task
async def store(count: int) -> None:
    print(f"stored {count}")


@env.task
async def check_page(page: str) -> str:
    if "<html>" not in page:
        raise ValueError("not html")
    return page


# --- calling tasks -----------------------------------------------------------


@env.task
async def dropped_coroutine(url: str) -> str:
    page = await fetch(url)
    store(len(page))  # BUG(missing-await): async task called without await; the coroutine is dropped and store never runs
    return page


@env.task
async def sync_from_async(url: str) -> int:
    page = await fetch(url)
    return parse(page)  # BUG(sync-task-in-async): sync task called directly from async code; needs `await parse.aio(page)` (SyncTaskCallInAsyncContextError)


@env.task
async def sync_from_async_ok(url: str) -> int:
    page = await fetch(url)
    return await parse.aio(page)  # OK: .aio() for a sync task in async code


@env.task
async def sync_map_in_async(urls: list[str]) -> list[str]:
    pages = flyte.map(fetch, urls, concurrency=4)  # BUG(sync-map-in-async): blocking flyte.map inside an async task deadlocks; use `flyte.map.aio` with `async for`
    return [p for p in pages if isinstance(p, str)]


@env.task
async def map_aio_ok(urls: list[str]) -> list[str]:
    return [p async for p in flyte.map.aio(fetch, urls, concurrency=4, return_exceptions=False)]  # OK


@flyte.trace
async def fetch_all(urls: list[str]) -> list[str]:
    return [await fetch(url) for url in urls]  # BUG(task-in-trace): tasks cannot be called inside a @flyte.trace function (TraceDoesNotAllowNestedTasksError)


@env.task
async def traced_driver(urls: list[str]) -> int:
    pages = await fetch_all(urls)
    return len(pages)


def make_suffixer(suffix: str):
    @env.task
    async def add_suffix(text: str) -> str:  # BUG(nested-task): task defined inside a function; the container resolver can only load module-level tasks
        return text + suffix

    return add_suffix


@env.task
async def uses_factory(text: str) -> str:
    add_bang = make_suffixer("!")
    return await add_bang(text)


@env.task
async def call_reference(text: str) -> str:
    return await summarize_ref(text)  # BUG(remote-ref-positional): reference tasks accept keyword arguments only (RemoteTaskUsageError)


@env.task
async def call_reference_ok(text: str) -> str:
    return await summarize_ref(text=text)  # OK: keyword arguments


@env.task
async def wrong_except(page: str) -> str:
    try:
        return await check_page(page)
    except ValueError:  # BUG(except-never-matches): child errors arrive as flyte.errors.RuntimeUserError (code "ValueError"), so this never matches
        return ""


@env.task
async def right_except(page: str) -> str:
    try:
        return await check_page(page)
    except flyte.errors.RuntimeUserError as e:  # OK
        if e.code != "ValueError":
            raise
        return ""


# --- signatures --------------------------------------------------------------


@env.task
async def word_count(text, lower: bool = True) -> int:  # BUG(missing-annotation): parameter `text` has no annotation, so it is pickled
    words = text.lower().split() if lower else text.split()
    return len(words)


@env.task
async def total_length(pages: list[str]):  # BUG(missing-return-annotation): no return annotation means no outputs; returning a value fails at run time
    return sum(len(p) for p in pages)


@env.task
async def pickled_inputs(
    raw: bytes,  # BUG(pickled-type): bytes has no Flyte type; it is pickled (opaque, Python-version specific)
    tags: set[str],  # BUG(pickled-type): set is pickled; use list[str]
    meta: Any,  # BUG(pickled-type): Any is pickled
    urls: list,  # BUG(pickled-type): bare list (no element type) is pickled; use list[str]
    cache: PageCache,  # BUG(pickled-type): arbitrary class is pickled; use a dataclass or pydantic model
) -> int:
    return len(raw) + len(tags) + len(urls) + len(cache.pages) + (1 if meta else 0)


@env.task
async def main(urls: list[str]) -> int:
    pages = await asyncio.gather(*[fetch(url) for url in urls])
    counts = [await sync_from_async(url) for url in urls]
    await dropped_coroutine(urls[0])
    return sum(counts) + len(pages)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, urls=["https://example.com"])
    print(r.url)
