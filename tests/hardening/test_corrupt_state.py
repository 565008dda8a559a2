"""Issue 20, item 8: corrupt state is recovered from, and nothing is lost.

* A truncated or garbage run store (``.flytec/flytec.db``) is moved aside to
  ``flytec.db.corrupt-<time>``, the user is told once, a fresh store is started, and
  ``runs list`` says what was set aside (it once gave a sqlite traceback on every command).
* A damaged mypy cache makes `check --types` discard it and run mypy once more, so type
  findings are kept (they were once all lost to "type checks skipped: mypy crashed").
* A garbage entry of every other cache (IR, check results, code forms, type results),
  unsealed or sealed with the user's own key, is a miss: the same findings and plans as
  without a cache.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from flytec import cache_trust
from tests.conftest import write_project
from tests.hardening.corpus import LEAF, assert_no_crash, flytec

# ------------------------------------------------------------------------ run store

DAMAGE = {
    "truncated": lambda data: data[: len(data) // 2],
    "garbage": lambda data: os.urandom(len(data)),
    "zeroed-pages": lambda data: data[:4096] + b"\0" * (len(data) - 4096),
    "empty-header": lambda data: b"SQLite format 3\0" + b"\xff" * 84 + data[100:],
    "text": lambda data: b"this is not a database\n" * 100,
}


def _cli(*args: str) -> Any:
    from flytec.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store with one finished run, checkpointed into the main file (no WAL left)."""
    write_project(tmp_path, LEAF)
    root = tmp_path / "store"
    res = _cli("run", "--store", str(root), "--no-progress", str(tmp_path / "main.py::main"),
               "--x", "2")
    assert res.exit_code == 0, res.stderr
    db = sqlite3.connect(root / "flytec.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for extra in ("flytec.db-wal", "flytec.db-shm"):
        (root / extra).unlink(missing_ok=True)
    return root


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_corrupt_store_is_set_aside_once(store: Path, tmp_path: Path, damage: str) -> None:
    db = store / "flytec.db"
    db.write_bytes(DAMAGE[damage](db.read_bytes()))
    first = _cli("runs", "list", "--store", str(store))
    assert first.exit_code == 0, first.stderr
    told = [line for line in first.stderr.splitlines() if "is corrupt" in line]
    assert len(told) == 1 and "moved it to flytec.db.corrupt-" in told[0], first.stderr
    [aside] = sorted(store.glob("flytec.db.corrupt-*"))
    assert aside.stat().st_size > 0  # kept, for whoever wants to look
    assert "note: a corrupt run store was set aside: " + str(aside) in first.stdout
    assert "no runs yet" in first.stdout
    # told once: later commands work on the fresh store and only list what was set aside
    for args in (["cache", "list"], ["runs", "list"], ["runs", "list", "--json"]):
        res = _cli(*args[:2], "--store", str(store), *args[2:])
        assert res.exit_code == 0 and "is corrupt" not in res.stderr, res.stderr
    assert json.loads(_cli("runs", "list", "--store", str(store), "--json").stdout) == []
    res = _cli("run", "--store", str(store), "--no-progress", str(tmp_path / "main.py::main"),
               "--x", "5")
    assert res.exit_code == 0 and res.stdout.strip().splitlines()[-1] == "5", res.stderr
    listed = _cli("runs", "list", "--store", str(store), "--json")
    assert [r["status"] for r in json.loads(listed.stdout)] == ["SUCCEEDED"]
    assert "set aside" in listed.stderr  # --json: the note goes to standard error


def test_a_corrupt_store_found_by_a_run_is_set_aside(store: Path, tmp_path: Path) -> None:
    (store / "flytec.db").write_bytes(b"garbage" * 1000)
    proc = flytec(tmp_path, "run", "--store", str(store), "--no-progress", "main.py::main",
                  "--x", "3")
    _, err = assert_no_crash(proc, codes=(0,))
    assert err.count("is corrupt") == 1
    assert len(list(store.glob("flytec.db.corrupt-*"))) == 1


def test_a_store_with_foreign_tables_is_set_aside(store: Path) -> None:
    db_path = store / "flytec.db"
    db_path.unlink()
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE runs (id INTEGER)")  # someone else's database, same name
    db.commit()
    db.close()
    res = _cli("runs", "list", "--store", str(store))
    assert res.exit_code == 0 and "table runs has no column" in res.stderr, res.stderr


def test_damage_found_in_the_middle_is_recovered(store: Path) -> None:
    """SQLite may see the damage only at a later statement: the store is set aside then,
    the statement runs on a fresh one, and the other connection does not move it again."""
    from flytec.runtime.store import Store

    told: list[str] = []
    a, b = Store(store, tell=told.append), Store(store, tell=told.append)
    assert len(a.list_runs()) == 1

    class Damaged:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def execute(self, *args: Any) -> Any:
            raise sqlite3.DatabaseError("database disk image is malformed")

        def close(self) -> None:
            self.conn.close()

    a._conn = Damaged(a._conn)  # type: ignore[assignment]
    b._conn = Damaged(b._conn)  # type: ignore[assignment]
    assert a.list_runs() == []  # on the fresh store
    a.create_run("r2", "t", "s", "task", "{}", {})
    assert [r.run_id for r in b.list_runs()] == ["r2"]  # b reconnected, moved nothing
    assert len(told) == 1 and len(a.set_aside()) == 1
    a.close()
    b.close()


# --------------------------------------------------------------------------- caches

TYPED = """
import flyte

env = flyte.TaskEnvironment(name="typed")


@env.task
async def leaf(x: int) -> int:
    return x


@env.task
async def main() -> int:
    return await leaf("not an int")


@env.task
async def careless() -> None:
    leaf(1)
"""


@pytest.fixture
def own_key(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("FLYTEC_CACHE_KEY", "hardening-key")
    cache_trust.reset_key()
    yield
    cache_trust.reset_key()


def _findings(root: Path, *args: str) -> list[tuple[str, int, str]]:
    proc = flytec(root, "check", "main.py", "--format", "json", *args,
                  env={"FLYTEC_CACHE_KEY": "hardening-key"})
    out, _ = assert_no_crash(proc)
    return [(d["code"], d["line"], d["message"]) for d in json.loads(out)["diagnostics"]]


def _spoil(files: list[Path], purpose: str | None, how: str) -> None:
    """Replace every entry: raw garbage, or garbage sealed with the user's own key (as a
    flytec bug or a half-written file of another version could leave)."""
    assert files
    for f in files:
        payload = {"garbage": os.urandom(200), "json": b'{"schema": 1, "modules": 3}',
                   "list": b"[1, 2, 3]", "truncated": f.read_bytes()[:-7]}[how]
        if purpose is not None and how != "truncated":
            payload = cache_trust.seal(purpose if purpose != "ir" else _ir_purpose(f), payload)
        f.write_bytes(payload)


def _ir_purpose(f: Path) -> str:
    from flytec.compiler import ir_cache

    return ir_cache._purpose(f)


CACHES = {  # name: (folder under .flytec_cache, seal purpose)
    "ir": ("ir", "ir"),
    "results": ("results", "check-results"),
    "types": ("types", "type-check-results"),
}


@pytest.mark.parametrize("how", ["garbage", "json", "list", "truncated"])
@pytest.mark.parametrize("cache", ["ir", "results"])
def test_a_garbage_check_cache_entry_is_a_miss(tmp_path: Path, own_key: None, cache: str,
                                               how: str) -> None:
    write_project(tmp_path, TYPED)
    fresh = _findings(tmp_path, "--no-cache")
    assert "FLY103" in [c for c, _, _ in fresh]
    assert _findings(tmp_path) == fresh  # writes the caches
    folder, purpose = CACHES[cache]
    if cache == "ir":  # the result index would answer first
        (tmp_path / "main.py").write_text((tmp_path / "main.py").read_text() + "\n")
        _findings(tmp_path)
    entries = sorted(p for p in (tmp_path / ".flytec_cache" / folder).rglob("*") if p.is_file())
    _spoil(entries, purpose, how)
    if cache == "ir":
        for p in (tmp_path / ".flytec_cache" / "results").glob("*"):
            p.unlink()
    assert _findings(tmp_path) == fresh
    assert _findings(tmp_path) == fresh  # and the entries were written again


@pytest.mark.parametrize("how", ["garbage", "list", "truncated"])
def test_a_garbage_code_form_cache_is_a_miss(tmp_path: Path, own_key: None, how: str) -> None:
    from flytec.codegen.plan import form_cache

    write_project(tmp_path, TYPED)
    env = {"FLYTEC_CACHE_KEY": "hardening-key"}

    def plans(*args: str) -> dict[str, str]:
        out = tmp_path / "out"
        assert_no_crash(flytec(tmp_path, "build", "main.py", "-o", str(out), *args, env=env))
        return {p.name: p.read_text() for p in sorted(out.glob("*.plan.json"))}

    first = plans()
    entries = sorted((tmp_path / ".flytec_cache" / "code").glob("*.json"))
    _spoil(entries, form_cache._PURPOSE, how)
    assert plans() == first


def test_a_damaged_mypy_cache_loses_no_type_finding(tmp_path: Path, own_key: None) -> None:
    """Every file of mypy's cache spoiled, and the type results too (so mypy must run):
    mypy crashes on its own cache, flytec discards it and runs mypy again."""
    write_project(tmp_path, TYPED)
    before = _findings(tmp_path, "--types")
    assert "FLY201" in [c for c, _, _ in before] or len(before) >= 2, before
    cache = tmp_path / ".flytec_cache"
    mypy_files = sorted(p for d in cache.glob("mypy-*") for p in d.rglob("*") if p.is_file()
                        and p.name not in ("CACHEDIR.TAG", ".gitignore"))
    assert mypy_files
    for p in mypy_files:
        p.write_bytes(b"\xea" + os.urandom(64))
    _spoil(sorted((cache / "types").glob("*.json")), "type-check-results", "garbage")
    after = _findings(tmp_path, "--types")
    assert after == before
    assert not any("mypy crashed" in m for _, _, m in after)
