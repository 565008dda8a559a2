"""The recovery journal: finished actions are queued and written by one thread in batches.

Writing one row per transaction would cost a commit per task; instead the writer drains
whatever is queued and writes it with one ``executemany`` per transaction, so a burst of
10,000 finished tasks costs a handful of commits, while a lone finished task is on disk within
milliseconds (what recovery after SIGKILL relies on). New cache entries ride in the same
transactions. The writer has its own database connection, so the event loop never waits for
it (nor for another process holding the write lock).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time

from flytec.runtime.store import ActionRow, CacheRow, Store

_MAX_BATCH = 5000
_Item = tuple["ActionRow | None", "CacheRow | None"] | None


class JournalWriter:
    def __init__(self, store: Store) -> None:
        self._store = Store(store.root)
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="flytec-journal", daemon=True)
        self.errors = 0
        self._thread.start()

    def put(self, row: ActionRow) -> None:
        self._queue.put((row, None))

    def put_cache(self, key: str, task: str, version: str, in_hash: str, value: bytes) -> None:
        self._queue.put((None, (key, task, version, in_hash, time.time(), value)))

    def close(self) -> None:
        """Write everything queued, then stop the thread."""
        self._queue.put(None)
        self._thread.join()
        self._store.close()

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            items = [self._queue.get()]
            while len(items) < _MAX_BATCH:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            actions: list[ActionRow] = []
            cache: list[CacheRow] = []
            for item in items:
                if item is None:
                    stopping = True
                elif item[0] is not None:
                    actions.append(item[0])
                elif item[1] is not None:
                    cache.append(item[1])
            if actions or cache:
                self._write(actions, cache)

    def _write(self, actions: list[ActionRow], cache: list[CacheRow]) -> None:
        for delay in (0.05, 0.2, 1.0, 2.0, 5.0):
            try:
                self._store.write_actions(actions, cache)
                return
            except sqlite3.OperationalError:  # locked by another run for too long: retry
                time.sleep(delay)
        self.errors += 1
