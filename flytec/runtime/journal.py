"""The recovery journal: finished actions are queued and written by one thread in batches.

Writing one row per transaction would cost an fsync per task; instead the writer drains
whatever is queued and writes it with one ``executemany`` per transaction, so a burst of
10,000 finished tasks costs a handful of commits, while a lone finished task is on disk within
milliseconds (what recovery after SIGKILL relies on).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time

from flytec.runtime.store import ActionRow, Store

_STOP = None
_MAX_BATCH = 5000


class JournalWriter:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._queue: queue.SimpleQueue[ActionRow | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="flytec-journal", daemon=True)
        self._error: BaseException | None = None
        self._thread.start()

    def put(self, row: ActionRow) -> None:
        self._queue.put(row)

    def close(self) -> None:
        """Write everything queued, then stop the thread."""
        self._queue.put(_STOP)
        self._thread.join()

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            batch: list[ActionRow] = []
            if first is _STOP:
                stopping = True
            else:
                batch.append(first)
            while len(batch) < _MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)
            if batch:
                self._write(batch)

    def _write(self, batch: list[ActionRow]) -> None:
        for delay in (0.05, 0.2, 1.0, 2.0, 0.0):
            try:
                self._store.write_actions(batch)
                return
            except sqlite3.OperationalError as exc:  # locked by another run: retry
                self._error = exc
                if delay:
                    time.sleep(delay)
