"""Async file handles over local files (what ``File.open`` yields)."""

from __future__ import annotations

import asyncio
from typing import IO, Any


class AsyncHandle:
    def __init__(self, fh: IO[Any]) -> None:
        self._fh = fh

    async def read(self, *args: Any) -> Any:
        return self._fh.read(*args)

    async def readline(self, *args: Any) -> Any:
        return self._fh.readline(*args)

    async def readlines(self) -> Any:
        return self._fh.readlines()

    async def write(self, data: Any) -> int:
        return self._fh.write(data)

    async def close(self) -> None:
        self._fh.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __aiter__(self) -> AsyncHandle:
        return self

    async def __anext__(self) -> Any:
        line = self._fh.readline()
        if not line:
            raise StopAsyncIteration
        return line


class AsyncOpen:
    def __init__(self, path: str, mode: str) -> None:
        self._path = path
        self._mode = mode
        self._fh: IO[Any] | None = None

    async def __aenter__(self) -> AsyncHandle:
        self._fh = await asyncio.to_thread(open, self._path, self._mode)
        return AsyncHandle(self._fh)

    async def __aexit__(self, *exc: Any) -> None:
        if self._fh is not None:
            self._fh.close()
