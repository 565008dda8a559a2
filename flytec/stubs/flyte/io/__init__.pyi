# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
#
# ``File``/``Dir`` are generic over a format type (``File[T]``); ``DataFrame`` wraps a dataframe
# stored by reference.  ``from_local`` and friends are coroutines; ``*_sync`` variants block.
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from typing_extensions import Self

T = TypeVar("T")
DF = TypeVar("DF")

PARQUET: str

class HashMethod:
    def update(self, data: memoryview | bytes | bytearray) -> None: ...
    def result(self) -> str: ...

class HashFunction(HashMethod):
    def __init__(self, fn: Any) -> None: ...
    @classmethod
    def from_fn(cls, fn: Any) -> HashFunction: ...

class File(Generic[T]):
    path: str
    name: str | None
    format: str
    hash: str | None
    def __init__(
        self: File[Any],
        *,
        path: str,
        name: str | None = None,
        format: str = "",
        hash: str | None = None,
        hash_method: HashMethod | None = None,
    ) -> None: ...
    @classmethod
    async def from_local(
        cls,
        local_path: str | Path,
        remote_destination: str | None = None,
        hash_method: HashMethod | str | None = None,
        chunk_size: int | None = None,
        max_concurrency: int | None = None,
    ) -> File[Any]: ...
    @classmethod
    def from_local_sync(
        cls,
        local_path: str | Path,
        remote_destination: str | None = None,
        hash_method: HashMethod | str | None = None,
        chunk_size: int | None = None,
        max_concurrency: int | None = None,
    ) -> File[Any]: ...
    @classmethod
    def new_remote(
        cls, file_name: str | None = None, hash_method: HashMethod | str | None = None
    ) -> File[Any]: ...
    @classmethod
    def named_remote(cls, name: str) -> File[Any]: ...
    @classmethod
    def from_existing_remote(
        cls, remote_path: str, file_cache_key: str | None = None
    ) -> File[Any]: ...
    def open(
        self,
        mode: str = "rb",
        block_size: int | None = None,
        cache_type: str = "readahead",
        cache_options: dict[str, Any] | None = None,
        compression: str | None = None,
        **kwargs: Any,
    ) -> AbstractAsyncContextManager[Any]: ...
    def open_sync(
        self,
        mode: str = "rb",
        block_size: int | None = None,
        cache_type: str = "readahead",
        cache_options: dict[str, Any] | None = None,
        compression: str | None = None,
        **kwargs: Any,
    ) -> AbstractContextManager[IO[Any]]: ...
    async def download(self, local_path: str | os.PathLike[str] | None = None) -> str: ...
    def download_sync(self, local_path: str | os.PathLike[str] | None = None) -> str: ...
    async def exists(self) -> bool: ...
    def exists_sync(self) -> bool: ...

class Dir(Generic[T]):
    path: str
    name: str | None
    format: str
    hash: str | None
    def __init__(
        self: Dir[Any],
        *,
        path: str,
        name: str | None = None,
        format: str = "",
        hash: str | None = None,
    ) -> None: ...
    @classmethod
    async def from_local(
        cls,
        local_path: str | Path,
        remote_destination: str | None = None,
        dir_cache_key: str | None = None,
        batch_size: int | None = None,
        chunk_size: int | None = None,
        max_concurrency: int | None = None,
    ) -> Dir[Any]: ...
    @classmethod
    def from_local_sync(
        cls,
        local_path: str | Path,
        remote_destination: str | None = None,
        dir_cache_key: str | None = None,
        batch_size: int | None = None,
        chunk_size: int | None = None,
        max_concurrency: int | None = None,
    ) -> Dir[Any]: ...
    @classmethod
    def new_remote(cls, dir_name: str | None = None, hash: str | None = None) -> Dir[Any]: ...
    @classmethod
    def from_existing_remote(
        cls, remote_path: str, dir_cache_key: str | None = None
    ) -> Dir[Any]: ...
    @classmethod
    def empty(cls) -> Dir[Any]: ...
    @property
    def is_empty(self) -> bool: ...
    def walk(
        self, recursive: bool = True, max_depth: int | None = None
    ) -> AsyncIterator[File[T]]: ...
    def walk_sync(
        self, recursive: bool = True, file_pattern: str = "*", max_depth: int | None = None
    ) -> Iterator[File[T]]: ...
    async def list_files(self) -> list[File[T]]: ...
    def list_files_sync(self) -> list[File[T]]: ...
    async def get_file(self, file_name: str) -> File[T] | None: ...
    def get_file_sync(self, file_name: str) -> File[T] | None: ...
    async def download(self, local_path: str | os.PathLike[str] | None = None) -> str: ...
    def download_sync(self, local_path: str | os.PathLike[str] | None = None) -> str: ...
    async def exists(self) -> bool: ...
    def exists_sync(self) -> bool: ...

class EmptyDir(Dir[T]): ...

class _DataFrameReader(Generic[DF]):
    async def all(self) -> DF: ...
    def all_sync(self) -> DF: ...
    def iter(self) -> AsyncIterator[DF]: ...

class DataFrame:
    uri: str | None
    file_format: str | None
    hash: str | None
    def __init__(
        self, *, uri: str | None = None, file_format: str | None = None, **kwargs: Any
    ) -> None: ...
    @property
    def val(self) -> Any: ...
    @classmethod
    def from_df(cls, val: Any | None = None, uri: str | None = None) -> Self: ...
    @classmethod
    def wrap_df(cls, val: Any | None = None, uri: str | None = None) -> Self: ...
    @classmethod
    async def from_local(
        cls,
        df: Any,
        columns: dict[str, type[Any]] | None = None,
        remote_destination: str | None = None,
        hash_method: HashMethod | str | None = None,
    ) -> Self: ...
    @classmethod
    def from_local_sync(
        cls,
        df: Any,
        columns: dict[str, type[Any]] | None = None,
        remote_destination: str | None = None,
        hash_method: HashMethod | str | None = None,
    ) -> Self: ...
    @classmethod
    def from_existing_remote(
        cls, remote_path: str, format: str | None = None, **kwargs: Any
    ) -> Self: ...
    def open(self, dataframe_type: type[DF]) -> _DataFrameReader[DF]: ...
    async def all(self) -> Any: ...
    def all_sync(self) -> Any: ...
    @classmethod
    def column_names(cls) -> list[str]: ...
    @classmethod
    def columns(cls) -> dict[str, type[Any]]: ...
