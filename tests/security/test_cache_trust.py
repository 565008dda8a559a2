"""Hostile caches: an entry flytec did not write for this user never runs code or changes a
result (issue 20, security item 1). Every test plants its entry the way an attacker would:
committed into the project next to the code, at the path flytec computes."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from flytec import cache_trust
from flytec.compiler import ir_cache
from tests.cli.test_check_cli import BUGGY
from tests.conftest import write_project

CLEAN = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def main(x: int) -> int:
    return x
"""


class _Payload:
    """Unpickling this runs a shell command that leaves a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _flytec(root: Path, *args: str, key: str = "user-key") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLYTEC_CACHE_KEY": key}
    return subprocess.run(
        [sys.executable, "-m", "flytec", *args], cwd=root, env=env, text=True,
        capture_output=True, timeout=120,
    )


def _codes(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted(d["code"] for d in json.loads(proc.stdout)["diagnostics"])


def _ir_entries(root: Path) -> list[Path]:
    return sorted((root / ".flytec_cache" / "ir").rglob("*.pickle"))


@pytest.fixture
def own_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process seals with the same key as the ``_flytec`` subprocesses."""
    monkeypatch.setenv("FLYTEC_CACHE_KEY", "user-key")
    cache_trust.reset_key()
    yield
    cache_trust.reset_key()


def test_a_committed_ir_pickle_never_runs(tmp_path: Path) -> None:
    write_project(tmp_path, BUGGY)
    first = _flytec(tmp_path, "check", "main.py", "--format", "json")
    [entry] = _ir_entries(tmp_path)
    [index] = (tmp_path / ".flytec_cache" / "results").glob("*.json")
    marker = tmp_path / "pwned"
    # The attacker's files: plain pickles whose loading runs a command, in the IR cache and
    # in the result index.
    entry.write_bytes(pickle.dumps(_Payload(marker)))
    index.write_bytes(pickle.dumps(_Payload(marker)))
    again = _flytec(tmp_path, "check", "main.py", "--format", "json")
    assert not marker.exists()
    assert again.returncode == first.returncode == 1
    assert _codes(again) == _codes(first) == ["FLY103"]
    assert entry.read_bytes().startswith(cache_trust.MAGIC)  # replaced by sealed entries
    assert index.read_bytes().startswith(cache_trust.MAGIC)


def test_a_sealed_entry_still_cannot_name_other_globals(tmp_path: Path, own_key: None) -> None:
    """Defence in depth: even under the user's own seal, the IR unpickler builds IR classes
    only (a forged seal, or a bug that wrote something else, still runs nothing)."""
    marker = tmp_path / "pwned"
    file = tmp_path / "ab" / "abcdef.pickle"
    file.parent.mkdir()
    file.write_bytes(cache_trust.seal(ir_cache._purpose(file), pickle.dumps(_Payload(marker))))
    assert ir_cache.read(file) is None
    assert not marker.exists()


def test_an_entry_sealed_with_another_key_cannot_hide_findings(tmp_path: Path) -> None:
    """The attacker's IR says the buggy file is clean; sealed with any key but the user's,
    it is a miss and the finding is reported."""
    clean_root = tmp_path / "clean"
    write_project(clean_root, CLEAN)
    _flytec(clean_root, "check", "main.py", key="attacker")
    [clean_entry] = _ir_entries(clean_root)

    root = tmp_path / "repo"
    write_project(root, BUGGY)
    assert _codes(_flytec(root, "check", "main.py", "--format", "json")) == ["FLY103"]
    [entry] = _ir_entries(root)
    # Re-seal the clean IR for the buggy file's key, as the attacker (who knows their key).
    os.environ["FLYTEC_CACHE_KEY"] = "attacker"
    cache_trust.reset_key()
    try:
        forged = ir_cache.read(clean_entry)
        assert forged is not None
        ir_cache.write(entry, forged)
        assert ir_cache.read(entry) is not None  # valid under the attacker's key...
    finally:
        del os.environ["FLYTEC_CACHE_KEY"]
        cache_trust.reset_key()
    # ...so under the attacker's key the lie works, under the user's it does not. (The
    # result index would answer first: it is forged away here, as the attacker would.)
    shutil.rmtree(root / ".flytec_cache" / "results")
    assert _codes(_flytec(root, "check", "main.py", "--format", "json", key="attacker")) == []
    shutil.rmtree(root / ".flytec_cache" / "results")
    assert _codes(_flytec(root, "check", "main.py", "--format", "json")) == ["FLY103"]


def test_a_type_result_from_another_key_is_a_miss(tmp_path: Path, own_key: None) -> None:
    from flytec.analyzer.types.result_cache import CachedResult, FileHashes, ResultCache

    cache = ResultCache(tmp_path / "types", "fp", tmp_path)
    source = tmp_path / "m.py"
    source.write_text("x = 1\n")
    hashes = FileHashes()
    digest = hashes.set(str(source), source.read_bytes())
    cache.put(str(source), digest, [], [], CachedResult([], []), hashes)
    assert cache.get(str(source), digest, hashes) is not None
    [entry] = (tmp_path / "types").glob("*.json")
    # the same JSON, unsealed, as it would be committed by hand
    payload = entry.read_bytes()[len(cache_trust.MAGIC) + 32 :]
    entry.write_bytes(payload)
    assert cache.get(str(source), digest, hashes) is None
    os.environ["FLYTEC_CACHE_KEY"] = "someone-else"
    cache_trust.reset_key()
    cache.put(str(source), digest, [], [], CachedResult([], []), hashes)
    os.environ["FLYTEC_CACHE_KEY"] = "user-key"
    cache_trust.reset_key()
    assert cache.get(str(source), digest, hashes) is None


COUNTED = """
import os
import flyte

env = flyte.TaskEnvironment(name="counted")


@env.task(cache="auto")
def square(x: int) -> int:
    with open(os.environ["COUNTER"], "a") as fh:
        fh.write("ran\\n")
    return x * x


@env.task
def main(x: int) -> int:
    return square(x)
"""


def test_a_planted_runtime_cache_value_is_never_unpickled(tmp_path: Path) -> None:
    write_project(tmp_path, COUNTED)
    counter = tmp_path / "counter"
    os.environ["COUNTER"] = str(counter)
    try:
        first = _flytec(tmp_path, "run", "main.py::main", "--x", "3")
        assert first.returncode == 0, first.stderr
        assert counter.read_text().count("ran") == 1
        db = sqlite3.connect(tmp_path / ".flytec" / "flytec.db")
        marker = tmp_path / "pwned"
        with db:
            db.execute("UPDATE cache SET value=?", (pickle.dumps(_Payload(marker)),))
            db.execute("UPDATE actions SET output=?", (pickle.dumps(_Payload(marker)),))
        db.close()
        again = _flytec(tmp_path, "run", "main.py::main", "--x", "3")
    finally:
        del os.environ["COUNTER"]
    assert again.returncode == 0, again.stderr
    assert not marker.exists()
    assert json.loads(again.stdout.strip().splitlines()[-1]) == 9
    assert counter.read_text().count("ran") == 2  # the planted entry was a miss


def test_resume_refuses_planted_inputs(tmp_path: Path) -> None:
    write_project(tmp_path, COUNTED)
    os.environ["COUNTER"] = str(tmp_path / "counter")
    try:
        first = _flytec(tmp_path, "run", "--run-id", "r1", "main.py::main", "--x", "2")
        assert first.returncode == 0, first.stderr
        marker = tmp_path / "pwned"
        (tmp_path / ".flytec" / "runs" / "r1" / "inputs.pkl").write_bytes(
            pickle.dumps(_Payload(marker))
        )
        resumed = _flytec(tmp_path, "run", "--resume", "r1")
    finally:
        del os.environ["COUNTER"]
    assert not marker.exists()
    assert resumed.returncode == 2
    assert "not written by flytec for this user" in resumed.stderr
    assert "Traceback" not in resumed.stderr


def test_key_file_is_private_and_others_are_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLYTEC_CACHE_KEY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache_trust.reset_key()
    try:
        key = cache_trust.cache_key()
        path = cache_trust.key_file()
        assert path.is_relative_to(tmp_path / "cache")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        cache_trust.reset_key()
        assert cache_trust.cache_key() == key  # the same key in the next process
        if hasattr(os, "getuid"):
            path.chmod(0o666)  # writable by others: not a key anybody can rely on
            cache_trust.reset_key()
            assert cache_trust.cache_key() != key
    finally:
        cache_trust.reset_key()
