"""The artifact form of a value (flytec/runtime/artifacts.py): what a worker writes for a
File, Dir or DataFrame or a value too large for a parameter, and what the next pod reads."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pydantic
import pytest

from flytec.runtime import artifacts
from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.inputs import convert
from flytec.runtime.loader import install_shim
from flytec.runtime.worker_values import decode

install_shim()
from flyte.io import DataFrame, Dir, File  # noqa: E402  (the shim, as the worker's code sees it)


def move(src: Path, tmp_path: Path) -> Path:
    """The artifact as the next pod sees it: somewhere else, the producer's files gone."""
    dest = tmp_path / "next-pod" / "in" / "v0"
    dest.parent.mkdir(parents=True)
    shutil.copytree(src, dest)
    return dest


@dataclasses.dataclass
class Report:
    title: str
    files: list[File]


def test_file_contents_travel_and_the_reference_is_rebuilt(tmp_path: Path) -> None:
    src = tmp_path / "pod1" / "report.txt"
    src.parent.mkdir()
    src.write_text("hello\n")
    text, warning = artifacts.encode(File(path=str(src), name="report.txt"), "o0",
                                     tmp_path / "out" / "o0", limit=1 << 20)
    assert warning is None and artifacts.marker(text) == "o0"
    doc = json.loads((tmp_path / "out" / "o0" / "value.json").read_text())
    assert doc["refs"] == ["/path"] and doc["value"]["path"] == "data/0/report.txt"
    shutil.rmtree(tmp_path / "pod1")
    here = move(tmp_path / "out" / "o0", tmp_path)
    raw = artifacts.load(here, "n.o0")
    f = decode(raw, File)
    assert isinstance(f, File) and Path(f.path) == here.resolve() / "data/0/report.txt"
    assert Path(f.path).read_text() == "hello\n"
    g = convert("log", raw, File)  # a task input annotated File
    assert isinstance(g, File) and g.path == f.path and g.name == "report.txt"


def test_nested_files_and_dirs_in_a_dataclass(tmp_path: Path) -> None:
    d = tmp_path / "pod1" / "parts"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.txt").write_text("A")
    (tmp_path / "pod1" / "b.txt").write_text("B")
    value = {"report": Report("x", [File(path=str(tmp_path / "pod1" / "b.txt")),
                                    File(path="s3://bucket/remote.txt")]),
             "parts": (Dir(path=str(d)), 3)}
    text, _ = artifacts.encode(value, "o0", tmp_path / "o0", limit=1 << 20)
    shutil.rmtree(tmp_path / "pod1")
    here = move(tmp_path / "o0", tmp_path)
    got = json.loads(artifacts.load(here, "o0"))
    files = got["report"]["files"]
    assert Path(files[0]["path"]).read_text() == "B"
    assert files[1]["path"] == "s3://bucket/remote.txt"  # a URL travels as it is
    assert (Path(got["parts"][0]["path"]) / "sub" / "a.txt").read_text() == "A"
    assert got["parts"][1] == 3
    rebuilt = pydantic.TypeAdapter(dict[str, Any]).validate_python(got)
    assert rebuilt["report"]["title"] == "x"


def test_small_values_stay_parameters_and_large_ones_spill(tmp_path: Path) -> None:
    small, _ = artifacts.encode([1, 2, 3], "o0", tmp_path / "a", limit=100)
    assert small == "[1, 2, 3]" and not (tmp_path / "a").exists()
    big = ["x" * 50] * 10
    text, _ = artifacts.encode(big, "o0", tmp_path / "b", limit=100)
    assert artifacts.marker(text) == "o0"
    assert json.loads(artifacts.load(tmp_path / "b", "o0")) == big
    # without an artifact directory (a fan-out item) it stays a parameter, with a warning
    text, warning = artifacts.encode(big, "o0", None, limit=100)
    assert json.loads(text) == big and warning is not None and "over the parameter limit" in warning


def test_the_marker_changes_with_the_contents(tmp_path: Path) -> None:
    """Memoize keys hash the parameter: same contents, same marker; new contents, new one."""
    f = tmp_path / "f.txt"
    f.write_text("one")
    a, _ = artifacts.encode(File(path=str(f)), "o0", tmp_path / "a", limit=10)
    b, _ = artifacts.encode(File(path=str(f)), "o0", tmp_path / "b", limit=10)
    f.write_text("two")
    c, _ = artifacts.encode(File(path=str(f)), "o0", tmp_path / "c", limit=10)
    assert a == b != c


def test_dataframes_by_uri_and_in_memory(tmp_path: Path) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text("a,b\n1,2\n")
    text, _ = artifacts.encode(DataFrame(uri=str(csv), format="csv"), "o0", tmp_path / "x", 10)
    got = decode(artifacts.load(move(tmp_path / "x", tmp_path), "o0"), DataFrame)
    assert isinstance(got, DataFrame) and got.format == "csv"
    assert Path(got.uri).read_text() == "a,b\n1,2\n"

    class Frame:  # what pandas and polars offer
        def to_parquet(self, path: str) -> None:
            Path(path).write_bytes(b"PAR1")

    artifacts.encode(DataFrame.from_df(Frame()), "o0", tmp_path / "y", 10)
    doc = json.loads((tmp_path / "y" / "value.json").read_text())
    assert doc["value"] == {"uri": "data/0/frame.parquet", "format": "parquet"}
    assert (tmp_path / "y" / "data/0/frame.parquet").read_bytes() == b"PAR1"


def test_outputs_that_cannot_be_stored_are_the_tasks_failure(tmp_path: Path) -> None:
    with pytest.raises(artifacts.OutputError, match="does not exist"):
        artifacts.encode(File(path=str(tmp_path / "never-written")), "o0", tmp_path / "a", 10)
    with pytest.raises(artifacts.OutputError, match="cannot store a DataFrame holding a list"):
        artifacts.encode(DataFrame.from_df([{"a": 1}]), "o0", tmp_path / "b", 10)


def test_bad_or_missing_artifacts_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(RuntimeUsageError, match="does not exist"):
        artifacts.load(tmp_path / "nothing", "n.o0")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "value.json").write_text(json.dumps({"value": {"path": "../../etc/passwd"},
                                                "refs": ["/path"]}))
    with pytest.raises(RuntimeUsageError, match="bad data path"):
        artifacts.load(bad, "n.o0")
    (bad / "value.json").write_text("{not json")
    with pytest.raises(RuntimeUsageError, match="bad artifact"):
        artifacts.load(bad, "n.o0")


def test_only_markers_are_markers() -> None:
    assert artifacts.marker('{"$flytec_artifact": "o1", "sha256": "ab"}') == "o1"
    for text in ('{"a": 1}', '"$flytec_artifact"', "[]", "{broken $flytec_artifact", "null"):
        assert artifacts.marker(text) is None


def test_parameter_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(artifacts.LIMIT_ENV, raising=False)
    assert artifacts.parameter_limit() == artifacts.PARAMETER_LIMIT
    monkeypatch.setenv(artifacts.LIMIT_ENV, "12")
    assert artifacts.parameter_limit() == 12
    monkeypatch.setenv(artifacts.LIMIT_ENV, "lots")
    with pytest.raises(RuntimeUsageError, match="number of bytes"):
        artifacts.parameter_limit()


def test_file_inputs_as_raw_paths_json_strings_or_objects() -> None:
    for raw in ("/data/x.csv", '"/data/x.csv"', '{"path": "/data/x.csv", "name": "x.csv"}'):
        f = convert("f", raw, File)
        assert isinstance(f, File) and f.path == "/data/x.csv", raw
    assert decode('"/data/d"', Dir).path == "/data/d"


def test_an_unwritable_artifact_directory_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(artifacts.OutputError, match="output o0"):
        artifacts.encode("x" * 100, "o0", tmp_path / "file" / "o0", limit=10)
