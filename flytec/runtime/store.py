"""The persistent store: one SQLite database (WAL mode) holding runs, actions and the cache.

Several processes may use one store at once (two runs sharing a cache): every connection uses
WAL journaling and a busy timeout, and writes are short transactions.

Tables
  runs(run_id, target, source, task, inputs, status, started, ended, output, error, pid, options)
  actions(run_id, action_id, parent_id, task, kind, grp, status, attempts, started, ended,
          error, origin, output)      -- one row per finished action: the recovery journal
  cache(key, task, version, inputs_hash, created, value)

A database SQLite reports as corrupt ("file is not a database", "database disk image is
malformed"), or one without these tables' columns, is never fatal: it is moved aside to
``flytec.db.corrupt-<UTC time>`` (with its ``-wal``), the user is told once on standard
error, and a fresh store is started; ``flytec runs list`` names what was set aside.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flytec.model.safe_text import printable

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

COLUMNS = {
    "runs": {"run_id", "target", "source", "task", "inputs", "status", "started", "ended",
             "output", "error", "pid", "options"},
    "actions": {"run_id", "action_id", "parent_id", "task", "kind", "grp", "status", "attempts",
                "started", "ended", "error", "origin", "output"},
    "cache": {"key", "task", "version", "inputs_hash", "created", "value"},
}
CORRUPT_SUFFIX = ".corrupt-"

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


class CorruptStore(Exception):
    """The database is not a usable flytec store (the reason is the message)."""


def is_corrupt(exc: BaseException) -> bool:
    """Whether SQLite says the file is damaged or not a database (not: locked, busy, full)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    text = str(exc)
    return "malformed" in text or "not a database" in text


def _check_schema(conn: sqlite3.Connection) -> None:
    """Raise CorruptStore unless every table has the columns flytec uses; read a row of
    each, so that a damaged first page is found now rather than in the middle of a run."""
    for table, wanted in COLUMNS.items():
        have = {str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")}
        missing = sorted(wanted - have)
        if missing:
            raise CorruptStore(f"table {table} has no column {', '.join(missing)}")
        conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
    conn.execute("SELECT count(*) FROM runs").fetchall()


def set_aside(path: Path) -> Path:
    """Move a corrupt database (and its WAL) to ``<name>.corrupt-<UTC time>``; its shared
    memory index is removed. Returns where it went."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}{CORRUPT_SUFFIX}{stamp}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.name}{CORRUPT_SUFFIX}{stamp}-{n}")
        n += 1
    os.replace(path, target)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + "-wal"))
    try:
        path.with_name(path.name + "-shm").unlink()
    except OSError:
        pass
    return target


def set_aside_files(root: Path) -> list[Path]:
    """The corrupt databases set aside in store ``root``, oldest first."""
    try:
        return sorted(p for p in root.glob(f"flytec.db{CORRUPT_SUFFIX}*")
                      if not p.name.endswith("-wal"))
    except OSError:
        return []


def _tell(message: str) -> None:
    print(f"flytec: {message}", file=sys.stderr, flush=True)


def connect(path: Path) -> sqlite3.Connection:
    """Open (and create) the database with WAL journaling and a generous busy timeout
    (raises sqlite3.DatabaseError or CorruptStore for a file that is not a usable store)."""
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
            _check_schema(conn)
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                conn.close()
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        except BaseException:
            conn.close()
            raise


class Store:
    """Typed access to the database. Safe to share between threads (one lock per connection).

    A corrupt database, found on opening or by any later statement, is set aside and a fresh
    one started (``tell`` says so, once per file set aside); the statement then runs on the
    fresh database."""

    def __init__(self, root: Path, tell: Callable[[str], None] = _tell) -> None:
        self.root = root
        self.db_path = root / "flytec.db"
        self.runs_dir = root / "runs"
        self._tell = tell
        self._lock = threading.Lock()
        self._conn, self._inode = self._open()

    def _open(self) -> tuple[sqlite3.Connection, tuple[int, int] | None]:
        for _ in range(3):
            try:
                conn = connect(self.db_path)
            except (sqlite3.DatabaseError, CorruptStore) as exc:
                if not isinstance(exc, CorruptStore) and not is_corrupt(exc):
                    raise
                self._recover(None, str(exc))
                continue
            return conn, _inode(self.db_path)
        return connect(self.db_path), _inode(self.db_path)

    def _recover(self, inode: tuple[int, int] | None, reason: str) -> None:
        """Set the database aside, unless another connection (or process) already did:
        then the file at ``db_path`` is no longer the one that failed."""
        if inode is not None and _inode(self.db_path) != inode:
            return
        try:
            moved = set_aside(self.db_path)
        except FileNotFoundError:
            return
        except OSError as exc:
            from flytec.runtime.errors import RuntimeUsageError

            raise RuntimeUsageError(f"the run store {self.db_path} is corrupt ({reason}) and "
                                    f"cannot be moved aside ({exc.strerror or exc})") from None
        self._tell(f"the run store {self.db_path} is corrupt ({reason}); moved it to "
                   f"{moved.name} (its runs and cached results stay there) and started a "
                   "fresh one")

    def _retry_fresh(self, exc: BaseException) -> None:
        """After ``exc`` (corruption) on the current connection: set the file aside and
        reconnect (the caller holds the lock)."""
        self._conn.close()
        self._recover(self._inode, str(exc))
        self._conn, self._inode = self._open()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _write(self, sql: str, params: Sequence[Any] = ()) -> None:
        params = _storable(params)
        with self._lock:
            try:
                self._conn.execute(sql, params)
            except sqlite3.DatabaseError as exc:
                if not is_corrupt(exc):
                    raise
                self._retry_fresh(exc)
                self._conn.execute(sql, params)

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return list(self._conn.execute(sql, params).fetchall())
            except sqlite3.DatabaseError as exc:
                if not is_corrupt(exc):
                    raise
                self._retry_fresh(exc)
                return list(self._conn.execute(sql, params).fetchall())

    def set_aside(self) -> list[Path]:
        """Corrupt databases of this store that were set aside (oldest first)."""
        return set_aside_files(self.root)

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
        rows = [_storable(r) for r in rows]
        cache = list(cache)
        with self._lock:
            try:
                self._write_actions(rows, cache)
            except sqlite3.DatabaseError as exc:
                if not is_corrupt(exc):
                    raise
                self._retry_fresh(exc)
                self._write_actions(rows, cache)

    def _write_actions(self, rows: list[ActionRow], cache: list[CacheRow]) -> None:
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
            if self._conn.in_transaction:
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
        sql, params = ("DELETE FROM cache WHERE task=?", (task,)) if task else \
            ("DELETE FROM cache", ())
        with self._lock:
            try:
                return int(self._conn.execute(sql, params).rowcount)
            except sqlite3.DatabaseError as exc:
                if not is_corrupt(exc):
                    raise
                self._retry_fresh(exc)
                return int(self._conn.execute(sql, params).rowcount)


def _storable(params: Sequence[Any]) -> tuple[Any, ...]:
    """``params`` with every string SQLite cannot encode (a lone surrogate from a group name
    or an error message) as its printable escape: names and messages are for reading; ids,
    keys and outputs are ASCII or bytes already."""
    return tuple(printable(p) if isinstance(p, str) and not p.isascii() and _lone(p) else p
                 for p in params)


def _lone(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


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
