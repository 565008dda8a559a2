"""``flyte.io``: File, Dir and DataFrame on the local filesystem (paths are kept as given)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

from flyte.io._local import AsyncOpen
from pydantic import BaseModel

T = TypeVar("T")
PARQUET = "parquet"


def _scratch(name: str | None = None) -> str:
    base = Path(tempfile.gettempdir()) / "flytec" / "raw" / uuid.uuid4().hex[:12]
    base.mkdir(parents=True, exist_ok=True)
    return str(base / name) if name else str(base)


class HashFunction:
    def __init__(self, fn: Any = None) -> None:
        self.fn = fn

    @classmethod
    def from_fn(cls, fn: Any) -> HashFunction:
        return cls(fn)


class _Reference(BaseModel):
    """What File and Dir share: data by reference (locally, a local path)."""

    path: str
    name: str | None = None
    format: str = ""
    hash: str | None = None

    @property
    def _flytec_local_path(self) -> str:
        return self.path

    @property
    def _flytec_cache_identity(self) -> dict[str, str]:
        if self.hash:
            return {"type": type(self).__name__, "hash": self.hash}
        return {"type": type(self).__name__, "path": self.path}


class File(_Reference, Generic[T]):
    """A file by reference; locally the path is a local path."""

    @classmethod
    def _flytec_from_cli(cls, raw: str) -> File:
        return cls(path=raw, name=os.path.basename(raw))

    @classmethod
    async def from_local(
        cls,
        local_path: str | Path,
        remote_destination: str | None = None,
        hash_method: Any = None,
        **kwargs: Any,
    ) -> File:
        return cls.from_local_sync(local_path, remote_destination, hash_method)

    @classmethod
    def from_local_sync(
        cls,
        local_path: str | Path,
        remote_destination: str | None = None,
        hash_method: Any = None,
        **kwargs: Any,
    ) -> File:
        path = str(Path(local_path).absolute())
        if remote_destination:
            Path(remote_destination).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, remote_destination)
            path = remote_destination
        preset = hash_method if isinstance(hash_method, str) else None
        return cls(path=path, name=os.path.basename(path), hash=preset)

    @classmethod
    def new_remote(cls, file_name: str | None = None, hash_method: Any = None) -> File:
        path = _scratch(file_name or uuid.uuid4().hex)
        return cls(path=path, name=os.path.basename(path))

    @classmethod
    def named_remote(cls, name: str) -> File:
        return cls.new_remote(name)

    @classmethod
    def from_existing_remote(cls, remote_path: str, file_cache_key: str | None = None) -> File:
        return cls(path=remote_path, name=os.path.basename(remote_path), hash=file_cache_key)

    def open(self, mode: str = "rb", **kwargs: Any) -> AsyncOpen:
        if "w" in mode or "a" in mode:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return AsyncOpen(self.path, mode)

    def open_sync(self, mode: str = "rb", **kwargs: Any) -> Any:
        if "w" in mode or "a" in mode:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return open(self.path, mode)

    async def download(self, local_path: str | Path | None = None) -> str:
        return self.download_sync(local_path)

    def download_sync(self, local_path: str | Path | None = None) -> str:
        if local_path is None:
            return self.path
        dest = Path(local_path)
        if dest.is_dir():
            dest = dest / os.path.basename(self.path)
        shutil.copyfile(self.path, dest)
        return str(dest)

    async def exists(self) -> bool:
        return os.path.exists(self.path)

    def exists_sync(self) -> bool:
        return os.path.exists(self.path)


class Dir(_Reference, Generic[T]):
    """A directory by reference; locally a local path."""

    @classmethod
    def _flytec_from_cli(cls, raw: str) -> Dir:
        return cls(path=raw, name=os.path.basename(raw.rstrip("/")))

    @classmethod
    async def from_local(
        cls,
        local_path: str | Path,
        remote_destination: str | None = None,
        dir_cache_key: str | None = None,
        **kwargs: Any,
    ) -> Dir:
        return cls.from_local_sync(local_path, remote_destination, dir_cache_key)

    @classmethod
    def from_local_sync(
        cls,
        local_path: str | Path,
        remote_destination: str | None = None,
        dir_cache_key: str | None = None,
        **kwargs: Any,
    ) -> Dir:
        path = str(Path(local_path).absolute())
        if remote_destination:
            shutil.copytree(path, remote_destination, dirs_exist_ok=True)
            path = remote_destination
        return cls(path=path, name=os.path.basename(path), hash=dir_cache_key)

    @classmethod
    def new_remote(cls, dir_name: str | None = None, **kwargs: Any) -> Dir:
        path = _scratch(dir_name)
        Path(path).mkdir(parents=True, exist_ok=True)
        return cls(path=path, name=os.path.basename(path))

    @classmethod
    def from_existing_remote(cls, remote_path: str, dir_cache_key: str | None = None) -> Dir:
        return cls(path=remote_path, name=os.path.basename(remote_path), hash=dir_cache_key)

    @classmethod
    def empty(cls) -> Dir:
        return cls.new_remote()

    def _files(self, recursive: bool = True, max_depth: int | None = None) -> list[File]:
        root = Path(self.path)
        out: list[File] = []
        for dirpath, dirnames, filenames in os.walk(root):
            depth = len(Path(dirpath).relative_to(root).parts)
            for f in sorted(filenames):
                p = os.path.join(dirpath, f)
                out.append(File(path=p, name=f))
            if not recursive or (max_depth is not None and depth + 1 >= max_depth):
                dirnames.clear()
            dirnames.sort()
        return out

    async def walk(
        self, recursive: bool = True, max_depth: int | None = None
    ) -> AsyncIterator[File]:
        for f in self._files(recursive, max_depth):
            yield f

    def walk_sync(self, recursive: bool = True, max_depth: int | None = None) -> Iterator[File]:
        yield from self._files(recursive, max_depth)

    async def list_files(self) -> list[File]:
        return self._files(recursive=False)

    def list_files_sync(self) -> list[File]:
        return self._files(recursive=False)

    async def download(self, local_path: str | Path | None = None) -> str:
        return self.download_sync(local_path)

    def download_sync(self, local_path: str | Path | None = None) -> str:
        if local_path is None:
            return self.path
        shutil.copytree(self.path, local_path, dirs_exist_ok=True)
        return str(local_path)

    async def exists(self) -> bool:
        return os.path.isdir(self.path)

    def exists_sync(self) -> bool:
        return os.path.isdir(self.path)


class EmptyDir(Dir):
    pass


class _Opened:
    def __init__(self, frame: DataFrame, kind: Any) -> None:
        self._frame = frame
        self._kind = kind

    def all_sync(self) -> Any:
        val = self._frame._val
        if val is not None:
            return val
        import pandas as pd  # only when the user's code uses dataframes

        uri = self._frame.uri or ""
        return (
            pd.read_parquet(uri)
            if uri.endswith(".parquet") or os.path.isdir(uri)
            else pd.read_csv(uri)
        )

    async def all(self) -> Any:
        return self.all_sync()

    async def iter(self) -> AsyncIterator[Any]:
        yield self.all_sync()


class DataFrame(BaseModel):
    """A dataframe by reference (``uri``) or by value (kept in memory locally)."""

    uri: str | None = None
    format: str = PARQUET
    _val: Any = None

    model_config = {"arbitrary_types_allowed": True}

    @property
    def val(self) -> Any:
        return self._val

    @classmethod
    def from_df(cls, val: Any = None, uri: str | None = None) -> DataFrame:
        df = cls(uri=uri)
        df._val = val
        return df

    @classmethod
    async def from_local(
        cls,
        df: Any,
        columns: Any = None,
        remote_destination: str | None = None,
        hash_method: Any = None,
    ) -> DataFrame:
        return cls.from_df(df, remote_destination)

    @classmethod
    def from_local_sync(
        cls,
        df: Any,
        columns: Any = None,
        remote_destination: str | None = None,
        hash_method: Any = None,
    ) -> DataFrame:
        return cls.from_df(df, remote_destination)

    @classmethod
    def from_existing_remote(
        cls, remote_path: str, format: str = PARQUET, **kwargs: Any
    ) -> DataFrame:
        return cls(uri=remote_path, format=format)

    @classmethod
    def _flytec_from_cli(cls, raw: str) -> DataFrame:
        return cls(uri=raw)

    def open(self, kind: Any = None) -> _Opened:
        return _Opened(self, kind)

    def __deepcopy__(self, memo: Any) -> DataFrame:
        import copy

        new = DataFrame(uri=self.uri, format=self.format)
        new._val = copy.deepcopy(self._val, memo)
        return new


__all__ = ["PARQUET", "DataFrame", "Dir", "EmptyDir", "File", "HashFunction"]
