"""Values that travel between pods as Argo artifacts instead of parameters.

A step output travels as an artifact when it holds a ``flyte.io`` ``File``, ``Dir`` or
``DataFrame`` (the contents must travel, not only the path), or when its JSON is over the
parameter limit (:data:`PARAMETER_LIMIT`). The artifact is a directory (Argo tars it on upload
and unpacks it at the consumer's input path):

* ``value.json``: ``{"value": <the value as JSON>, "refs": [<JSON pointer>, ...]}``;
* ``data/<n>/<name>``: a copy of each File, Dir, or DataFrame in the value. ``refs`` point at
  the strings that name these copies (a File's or Dir's ``path``, a DataFrame's ``uri``),
  relative to the artifact; a reader makes them absolute.

The output's parameter then holds a marker instead of the value,
``{"$flytec_artifact": "o0", "sha256": "<digest of value.json and data/>"}``: the digest makes the
parameter change whenever the contents do, so memoize keys (hashes of parameters) stay right.

References the pod cannot copy (``s3://...`` and other URLs) travel as they are.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import os
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.outputs import to_jsonable

#: Largest JSON text (bytes) an output parameter holds; larger values travel as artifacts.
#: Argo passes every input of a pod in one environment variable and on the command line, where
#: Linux limits a single string to 128 KiB, and keeps all parameters in the workflow object
#: (about 1 MB in etcd).
PARAMETER_LIMIT = 32 * 1024
#: Overrides :data:`PARAMETER_LIMIT` in the worker (bytes); the tests use it to force artifacts.
LIMIT_ENV = "FLYTEC_PARAMETER_LIMIT"
MARKER = "$flytec_artifact"
VALUE_FILE = "value.json"
DATA_DIR = "data"


class OutputError(Exception):
    """An output cannot be stored (a File that does not exist, a DataFrame of unknown kind)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def parameter_limit() -> int:
    raw = os.environ.get(LIMIT_ENV, "")
    try:
        return max(0, int(raw)) if raw else PARAMETER_LIMIT
    except ValueError:
        raise RuntimeUsageError(f"{LIMIT_ENV} must be a number of bytes, got {raw!r}") from None


@lru_cache(maxsize=1)
def _io_classes() -> tuple[type[Any], type[Any], type[Any]]:
    """The shim's ``flyte.io`` File, Dir and DataFrame (the classes the user's code gets)."""
    from flytec.runtime.loader import install_shim

    install_shim()
    io = importlib.import_module("flyte.io")
    return io.File, io.Dir, io.DataFrame


def is_io(value: Any) -> bool:
    return isinstance(value, _io_classes())


def contains_io(value: Any) -> bool:
    """Whether a File, Dir or DataFrame is anywhere in the value."""
    if is_io(value):
        return True
    if isinstance(value, dict):
        return any(contains_io(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(contains_io(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(contains_io(getattr(value, f.name)) for f in dataclasses.fields(value))
    fields = getattr(type(value), "model_fields", None)
    if isinstance(fields, dict):
        return any(contains_io(getattr(value, n, None)) for n in fields)
    return False


def _remote(path: str) -> bool:
    return "://" in path


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Exporter:
    """Writes the data of a value under ``root/data`` and returns its JSON form."""

    def __init__(self, root: Path, output: str) -> None:
        self.root = root
        self.output = output
        self.refs: list[str] = []
        self.count = 0

    def target(self, name: str) -> tuple[str, Path]:
        rel = f"{DATA_DIR}/{self.count}/{name or 'data'}"
        self.count += 1
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return rel, path

    def walk(self, value: Any, pointer: str) -> Any:
        file_cls, dir_cls, frame_cls = _io_classes()
        if isinstance(value, file_cls):
            return self.copy(value, pointer, "path", is_dir=False)
        if isinstance(value, dir_cls):
            return self.copy(value, pointer, "path", is_dir=True)
        if isinstance(value, frame_cls):
            return self.frame(value, pointer)
        if not contains_io(value):
            return to_jsonable(value)
        if isinstance(value, dict):
            return {str(k): self.walk(v, f"{pointer}/{_escape(str(k))}") for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.walk(v, f"{pointer}/{i}") for i, v in enumerate(value)]
        if isinstance(value, (set, frozenset)):
            items = sorted(value, key=repr)
            return [self.walk(v, f"{pointer}/{i}") for i, v in enumerate(items)]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: self.walk(getattr(value, f.name), f"{pointer}/{_escape(f.name)}")
                    for f in dataclasses.fields(value)}
        out: dict[str, Any] = {}
        for name, info in type(value).model_fields.items():
            key = getattr(info, "alias", None) or name
            out[key] = self.walk(getattr(value, name), f"{pointer}/{_escape(key)}")
        return out

    def copy(self, obj: Any, pointer: str, field: str, is_dir: bool) -> Any:
        data = obj.model_dump(mode="json")
        src = str(data.get(field) or "")
        kind = "Dir" if is_dir else "File"
        if _remote(src):
            return data
        path = Path(src)
        if not (path.is_dir() if is_dir else path.is_file()):
            raise OutputError("FileNotFoundError",
                              f"output {self.output}: the {kind} {src!r} does not exist in the pod")
        rel, dest = self.target(path.name)
        if is_dir:
            shutil.copytree(path, dest, symlinks=False)
        else:
            shutil.copyfile(path, dest)
        data[field] = rel
        self.refs.append(f"{pointer}/{field}")
        return data

    def frame(self, frame: Any, pointer: str) -> Any:
        data: dict[str, Any] = {"uri": frame.uri, "format": frame.format}
        val = getattr(frame, "val", None)
        if val is None:
            uri = frame.uri
            if not isinstance(uri, str) or _remote(uri):
                return data
            path = Path(uri)
            if not path.exists():
                raise OutputError("FileNotFoundError", f"output {self.output}: the DataFrame's "
                                  f"uri {uri!r} does not exist in the pod")
            rel, dest = self.target(path.name)
            if path.is_dir():
                shutil.copytree(path, dest)
            else:
                shutil.copyfile(path, dest)
            data["uri"] = rel
            self.refs.append(f"{pointer}/uri")
            return data
        rel, dest = self.target("frame.parquet")
        write_parquet(val, dest, self.output)
        data.update(uri=rel, format="parquet")
        self.refs.append(f"{pointer}/uri")
        return data


def write_parquet(val: Any, dest: Path, output: str) -> None:
    """A dataframe held in memory (pandas, polars, pyarrow) as one parquet file."""
    module = type(val).__module__.split(".")[0]
    try:
        if module == "pyarrow":
            import pyarrow.parquet as pq  # type: ignore[import-not-found, unused-ignore]

            pq.write_table(val, str(dest))
        elif callable(getattr(val, "to_parquet", None)):
            val.to_parquet(str(dest))
        elif callable(getattr(val, "write_parquet", None)):
            val.write_parquet(str(dest))
        else:
            raise OutputError("TypeError", f"output {output}: cannot store a DataFrame holding a "
                              f"{type(val).__name__} (pandas, polars and pyarrow tables are "
                              "written as parquet)")
    except OutputError:
        raise
    except Exception as e:  # a missing parquet engine, an unwritable frame
        raise OutputError(type(e).__name__, f"output {output}: {e}".splitlines()[0]) from e


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        h.update(f"{len(rel)}:{rel}".encode())
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def store(value: Any, directory: Path, output: str) -> str:
    """Write ``value`` as an artifact in ``directory``; returns the marker for its parameter."""
    if directory.is_dir() and not directory.is_symlink():
        shutil.rmtree(directory)
    elif directory.exists() or directory.is_symlink():
        directory.unlink()
    directory.mkdir(parents=True)
    exporter = _Exporter(directory, output)
    doc = {"value": exporter.walk(value, ""), "refs": exporter.refs}
    (directory / VALUE_FILE).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return json.dumps({MARKER: output, "sha256": _digest(directory)})


def encode(value: Any, output: str, directory: Path | None, limit: int) -> tuple[str, str | None]:
    """The parameter text of an output, and a warning when it could not go where it should.

    With ``directory`` (the output may travel as an artifact), a value holding a File, Dir or
    DataFrame, or whose JSON is over ``limit`` bytes, is stored there and the parameter is its
    marker. Without, the parameter is the JSON (only the reference of a File travels).
    """
    has_io = contains_io(value)
    text = "" if has_io and directory is not None else json.dumps(
        to_jsonable(value), ensure_ascii=False)
    if directory is not None and (has_io or len(text.encode()) > limit):
        try:
            return store(value, directory, output), None
        except OSError as e:  # an unreadable file, a full or read-only disk
            raise OutputError(type(e).__name__, f"output {output}: {e}") from e
    if has_io:
        return text, (f"output {output} holds a File, Dir or DataFrame but is passed as a "
                      "parameter (a fan-out's item or list): only its path travels")
    size = len(text.encode())
    if size > limit:
        return text, (f"output {output} is {size} bytes of JSON, over the parameter limit of "
                      f"{limit}, and must stay a parameter (a fan-out's item or list)")
    return text, None


def marker(text: str) -> str | None:
    """The output name when a parameter's text is an artifact marker, else None."""
    if not text.startswith("{") or MARKER not in text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if isinstance(doc, dict) and isinstance(doc.get(MARKER), str):
        return str(doc[MARKER])
    return None


def _walk_pointer(doc: Any, pointer: str) -> tuple[Any, str | int]:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    if not parts:
        raise ValueError("empty pointer")
    node = doc
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    last: str | int = int(parts[-1]) if isinstance(node, list) else parts[-1]
    return node, last


def load(directory: Path, key: str) -> str:
    """The JSON text of a value stored by :func:`store`, its data paths made absolute."""
    path = directory / VALUE_FILE
    if not path.is_file():
        raise RuntimeUsageError(
            f"the value of {key} travels as an artifact, but {path} does not exist (was the "
            "artifact passed to this step? is an artifact repository configured?)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        value = doc["value"]
        for pointer in doc.get("refs", []):
            node, last = _walk_pointer(value, pointer)
            rel = node[last]
            if not isinstance(rel, str) or rel.startswith("/") or ".." in Path(rel).parts:
                raise ValueError(f"bad data path {rel!r}")
            node[last] = str(directory.resolve() / rel)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        raise RuntimeUsageError(f"bad artifact {path}: {e}".splitlines()[0]) from None
    return json.dumps(value, ensure_ascii=False)
