"""The persistent store: one SQLite database (WAL mode) holding runs, actions and the cache.

Several processes may use one store at once (two runs sharing a cache): every connection uses
WAL journaling and a busy timeout, and writes are short transactions.

Tables
  runs(run_id, target, source, task, inputs, status, started, ended, output, error, pid, options)
  actions(run_id, action_id, parent_id, task, kind, grp, status, attempts, started, ended,
          error, origin, output)      -- one row per finished action: the recovery journal
  cache(key, task, version, inputs_hash, created, value)
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY, target TEXT NOT NULL, source TEXT NOT NULL, task TEXT NOT NULL,
  inputs TEXT NOT NULL, status TEXT NOT NULL, started REAL NOT NULL, ended REAL,
  output TEXT, error TEXT, pid INTEGER, options TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS actions (
  run_id TEXT NOT NULL, action_id TEXT NOT NULL, parent_id TEXT, task TEXT NOT NULL,
  kind TEXT NOT NULL, grp TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL,
  started REAL, ended REAL, error TEXT, origin TEXT NOT NULL, output BLOB,
  PRIMARY KEY (run_id, action_id)
);
CREATE TABLE IF NOT EXISTS cache (
  key TEXT PRIMARY KEY, task TEXT NOT NULL, version TEXT NOT NULL, inputs_hash TEXT NOT NULL,
  created REAL NOT NULL, value BLOB NOT NULL
);
"""

ActionRow = tuple[
    str,
    str,
    "str | None",
    str,
    str,
    "str | None",
    str,
    int,
    float,
    float,
    "str | None",
    str,
    "bytes | None",
]

CacheRow = tuple[str, str, str, str, float, bytes]

ACTION_COLUMNS = (
    "run_id, action_id, parent_id, task, kind, grp, status, attempts, started, ended, error, "
    "origin, output"
)


@dataclass(frozen=True, slots=True)
class RunRow:
    run_id: str
    target: str
    source: str
    task: str
    inputs: dict[str, Any]
    status: str
    started: float
    ended: float | None
    output: str | None
    error: str | None
    pid: int | None
    options: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ActionInfo:
    action_id: str
    parent_id: str | None
    task: str
    kind: str
    group: str | None
    status: str
    attempts: int
    started: float | None
    ended: float | None
    error: str | None
    origin: str


@dataclass(frozen=True, slots=True)
class CacheEntry:
    key: str
    task: str
    version: str
    created: float
    size: int


def connect(path: Path) -> sqlite3.Connection:
    """Open (and create) the database with WAL journaling and a generous busy timeout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30.0, check_same_thread=False, isolation_level=None)
    # Switching a new database to WAL takes an exclusive lock and SQLite reports a competing
    # process at once ("database is locked") instead of calling the busy handler, so two runs
    # that create one store together retry the set-up for a while.
    deadline = time.monotonic() + 30.0
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(SCHEMA)
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                conn.close()
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


class Store:
    """Typed access to the database. Safe to share between threads (one lock per connection)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db_path = root / "flytec.db"
        self.runs_dir = root / "runs"
        self._conn = connect(self.db_path)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _write(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._lock:
            self._conn.execute(sql, params)

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    # -- runs -------------------------------------------------------------------------------
    def run_dir(self, run_id: str) -> Path:
        return self.runs_dir / run_id

    def create_run(
        self,
        run_id: str,
        target: str,
        source: str,
        task: str,
        inputs_json: str,
        options: dict[str, Any],
    ) -> None:
        self._write(
            "INSERT INTO runs (run_id, target, source, task, inputs, status, started, pid, options)"
            " VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?)",
            (
                run_id,
                target,
                source,
                task,
                inputs_json,
                time.time(),
                os.getpid(),
                json.dumps(options),
            ),
        )

    def restart_run(self, run_id: str) -> None:
        self._write(
            "UPDATE runs SET status='RUNNING', ended=NULL, error=NULL, pid=? WHERE run_id=?",
            (os.getpid(), run_id),
        )

    def finish_run(self, run_id: str, status: str, output: str | None, error: str | None) -> None:
        self._write(
            "UPDATE runs SET status=?, ended=?, output=?, error=? WHERE run_id=?",
            (status, time.time(), output, error, run_id),
        )

    def get_run(self, run_id: str) -> RunRow | None:
        rows = self._read("SELECT * FROM runs WHERE run_id=?", (run_id,))
        return _run_row(rows[0]) if rows else None

    def list_runs(self, limit: int = 20) -> list[RunRow]:
        rows = self._read("SELECT * FROM runs ORDER BY started DESC LIMIT ?", (limit,))
        return [_run_row(r) for r in rows]

    # -- actions (journal) ------------------------------------------------------------------
    def write_actions(self, rows: Iterable[ActionRow], cache: Iterable[CacheRow] = ()) -> None:
        """Journal rows (and cache entries) in one transaction."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    f"INSERT OR REPLACE INTO actions ({ACTION_COLUMNS})"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
                self._conn.executemany(
                    "INSERT OR REPLACE INTO cache (key, task, version, inputs_hash, created, value)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    cache,
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def succeeded_outputs(self, run_id: str) -> dict[str, bytes | None]:
        """The journal of a run: finished actions' pickled outputs, by action id."""
        rows = self._read(
            "SELECT action_id, output FROM actions WHERE run_id=? AND status='SUCCEEDED'",
            (run_id,),
        )
        return {r[0]: r[1] for r in rows}

    def actions(self, run_id: str) -> list[ActionInfo]:
        rows = self._read(
            "SELECT action_id, parent_id, task, kind, grp, status, attempts, started, ended,"
            " error, origin FROM actions WHERE run_id=? ORDER BY started, action_id",
            (run_id,),
        )
        return [ActionInfo(*r) for r in rows]

    # -- cache ------------------------------------------------------------------------------
    def cache_get(self, key: str) -> bytes | None:
        rows = self._read("SELECT value FROM cache WHERE key=?", (key,))
        return bytes(rows[0][0]) if rows else None

    def cache_put(self, key: str, task: str, version: str, in_hash: str, value: bytes) -> None:
        self._write(
            "INSERT OR REPLACE INTO cache (key, task, version, inputs_hash, created, value)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (key, task, version, in_hash, time.time(), value),
        )

    def cache_list(self, task: str | None = None) -> list[CacheEntry]:
        sql = "SELECT key, task, version, created, length(value) FROM cache"
        params: tuple[Any, ...] = ()
        if task:
            sql += " WHERE task=?"
            params = (task,)
        return [CacheEntry(*r) for r in self._read(sql + " ORDER BY created DESC", params)]

    def cache_clear(self, task: str | None = None) -> int:
        with self._lock:
            if task:
                cur = self._conn.execute("DELETE FROM cache WHERE task=?", (task,))
            else:
                cur = self._conn.execute("DELETE FROM cache")
            return int(cur.rowcount)


def _run_row(r: tuple[Any, ...]) -> RunRow:
    return RunRow(
        run_id=r[0],
        target=r[1],
        source=r[2],
        task=r[3],
        inputs=json.loads(r[4]),
        status=r[5],
        started=r[6],
        ended=r[7],
        output=r[8],
        error=r[9],
        pid=r[10],
        options=json.loads(r[11] or "{}"),
    )
