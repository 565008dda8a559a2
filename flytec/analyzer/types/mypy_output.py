"""Parse mypy's text output (``--show-column-numbers --show-error-end --show-error-codes``).

Notes that follow an error at the same place are attached to it; other notes stand alone.
Columns stay as mypy prints them: 1-based UTF-8 byte offsets, end inclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+)(?::(?P<col>-?\d+))?(?::(?P<eline>\d+):(?P<ecol>-?\d+))?: "
    r"(?P<sev>error|note|warning): (?P<msg>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)


@dataclass(frozen=True, slots=True)
class MypyMessage:
    """One error (or stand-alone note) as mypy reported it, with the notes that follow it."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: str
    message: str
    code: str
    notes: tuple[str, ...] = ()

    def has_note(self, text: str) -> bool:
        return any(text in note for note in self.notes)


def parse_mypy_output(lines: list[str]) -> list[MypyMessage]:
    """Turn mypy's output lines into messages; lines that are not messages are ignored."""
    messages: list[MypyMessage] = []
    for raw in lines:
        match = _LINE.match(raw.rstrip("\n"))
        if match is None:
            continue
        line = int(match["line"])
        column = max(int(match["col"] or 1), 1)
        end_line = int(match["eline"] or line)
        end_column = max(int(match["ecol"] or column), column if end_line == line else 1)
        severity = match["sev"]
        message = match["msg"]
        if severity == "note" and messages and _continues(messages[-1], match["path"], line):
            last = messages[-1]
            messages[-1] = MypyMessage(
                last.path,
                last.line,
                last.column,
                last.end_line,
                last.end_column,
                last.severity,
                last.message,
                last.code,
                (*last.notes, message),
            )
            continue
        messages.append(
            MypyMessage(
                match["path"],
                line,
                column,
                end_line,
                end_column,
                severity,
                message,
                match["code"] or "",
            )
        )
    return messages


def _continues(previous: MypyMessage, path: str, line: int) -> bool:
    return previous.severity != "note" and previous.path == path and previous.line == line
