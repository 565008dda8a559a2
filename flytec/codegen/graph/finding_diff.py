"""New and fixed ``flytec check`` findings between two revisions, matched so that a finding
that only moved (lines added above it) is neither new nor fixed.

A finding is identified by its file (relative to the repository), rule, task, message with
its line numbers taken out, and the text of the source line it points at (stripped of
indentation): the same identity code scanning's fingerprints give a result. Findings with the
same identity are counted: with two at REV and three now, one is new.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flytec.model.diagnostic import Diagnostic

_LINE_NUMBERS = re.compile(r"\b(lines?|cell) \d+(?:[-–]\d+)?|:\d+(?::\d+)?\b")


@dataclass(frozen=True)
class Finding:
    """One finding, located in the repository (``path`` relative to its root)."""

    diagnostic: Diagnostic
    path: str
    source_line: str  # the text of the line it points at, stripped ("" when unknown)

    @property
    def location(self) -> str:
        d = self.diagnostic
        cell = "" if d.cell is None else f"cell {d.cell}:"
        return f"{self.path}:{cell}{d.span.line}"

    def identity(self) -> tuple[str, str, str, str, str]:
        d = self.diagnostic
        message = _LINE_NUMBERS.sub(lambda m: (m.group(1) or "") + " …", d.message)
        return (self.path, d.code, d.task or "", message, self.source_line)

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        d = self.diagnostic
        return (self.path, d.cell or 0, d.span.line, d.span.column, d.code, d.message)


@dataclass
class FindingChanges:
    new: list[Finding]
    fixed: list[Finding]


def findings(diagnostics: Iterable[Diagnostic], repo_path: Callable[[str], str],
             read: Callable[[str], bytes | None]) -> list[Finding]:
    """``diagnostics`` located in the repository: ``repo_path`` turns a diagnostic's path
    into one relative to the repository root, ``read`` gives a file's bytes (or None)."""
    lines: dict[str, list[str]] = {}
    out = []
    for d in diagnostics:
        if d.path not in lines:
            data = read(d.path)
            lines[d.path] = [] if data is None else \
                data.decode("utf-8", errors="replace").splitlines()
        text = lines[d.path]
        line = text[d.span.line - 1].strip() if d.cell is None and 0 < d.span.line <= len(
            text) else ""
        out.append(Finding(d, repo_path(d.path), line))
    return sorted(out, key=Finding.sort_key)


def compare_findings(old: list[Finding], new: list[Finding]) -> FindingChanges:
    """Findings of ``new`` not at the old revision, and those of ``old`` gone now, each in
    file and line order."""
    def count(items: list[Finding]) -> dict[tuple[str, str, str, str, str], int]:
        out: dict[tuple[str, str, str, str, str], int] = {}
        for f in items:
            out[f.identity()] = out.get(f.identity(), 0) + 1
        return out

    def extra(items: list[Finding], other: dict[tuple[str, str, str, str, str], int]
              ) -> list[Finding]:
        left = dict(other)
        got = []
        for f in items:  # the first ones match; what is left over is new (or fixed)
            key = f.identity()
            if left.get(key, 0) > 0:
                left[key] -= 1
            else:
                got.append(f)
        return got

    return FindingChanges(new=extra(new, count(old)), fixed=extra(old, count(new)))
