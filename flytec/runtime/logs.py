"""Capturing what tasks print: every line also goes to the run directory's ``logs.txt``.

Each captured line is stored as ``<action id>\t<task>\t<stream>\t<text>``, attributed through
the action context, so ``flytec runs show RUN --logs`` can print the logs of each action.
"""

from __future__ import annotations

import io
import sys
import threading
from pathlib import Path
from typing import TextIO

from flytec.runtime.context import CURRENT


class _Tee(io.TextIOBase):
    def __init__(self, original: TextIO, sink: LogCapture, stream: str) -> None:
        self._original = original
        self._sink = sink
        self._stream = stream
        self._partial: dict[int, str] = {}

    def write(self, text: str) -> int:
        n = self._original.write(text)
        tid = threading.get_ident()
        pending = self._partial.pop(tid, "") + text
        *lines, rest = pending.split("\n")
        if rest:
            self._partial[tid] = rest
        for line in lines:
            self._sink.line(self._stream, line)
        return n if isinstance(n, int) else len(text)

    def flush(self) -> None:
        self._original.flush()

    def isatty(self) -> bool:
        return self._original.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._original, "encoding", "utf-8")

    def fileno(self) -> int:
        return self._original.fileno()


class LogCapture:
    """Installs tees on stdout/stderr for the duration of a run."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()
        self._saved: tuple[TextIO, TextIO] | None = None

    def line(self, stream: str, text: str) -> None:
        ctx = CURRENT.get()
        aid, task = (ctx.action_id, ctx.task) if ctx is not None else ("-", "-")
        with self._lock:
            if not self._file.closed:
                self._file.write(f"{aid}\t{task}\t{stream}\t{text}\n")

    def __enter__(self) -> LogCapture:
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout = _Tee(sys.stdout, self, "stdout")
        sys.stderr = _Tee(sys.stderr, self, "stderr")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            sys.stdout, sys.stderr = self._saved
        with self._lock:
            self._file.close()


def read_logs(path: Path) -> list[tuple[str, str, str, str]]:
    """Captured lines: (action id, task, stream, text)."""
    if not path.exists():
        return []
    out: list[tuple[str, str, str, str]] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = raw.split("\t", 3)
        if len(parts) == 4:
            out.append((parts[0], parts[1], parts[2], parts[3]))
    return out
