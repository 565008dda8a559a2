"""Human output: ``text`` (with the source line and a caret, like ruff or rustc) and
``concise`` (one line per finding)."""

from __future__ import annotations

from pathlib import Path

from flytec.codegen.report import Report
from flytec.model.diagnostic import Diagnostic
from flytec.model.safe_text import printable

_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"


class _Sources:
    def __init__(self, cwd: Path, given: dict[str, bytes]) -> None:
        self.cwd = cwd
        self.cache: dict[str, list[str]] = {
            path: data.decode("utf-8", "replace").splitlines() for path, data in given.items()
        }
        self.cells: dict[str, dict[int, list[str]]] = {}

    def line(self, path: str, n: int, cell: int | None = None) -> str | None:
        if cell is not None:
            return self._cell_line(path, cell, n)
        lines = self.cache.get(path)
        if lines is None:
            p = Path(path)
            if not p.is_absolute():
                p = self.cwd / p
            try:
                lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            self.cache[path] = lines
        return lines[n - 1] if 1 <= n <= len(lines) else None

    def _cell_line(self, path: str, cell: int, n: int) -> str | None:
        cells = self.cells.get(path)
        if cells is None:
            from flytec.compiler.frontend.notebook import cell_lines

            p = Path(path)
            try:
                cells = cell_lines((p if p.is_absolute() else self.cwd / p).read_bytes())
            except OSError:
                cells = {}
            self.cells[path] = cells
        lines = cells.get(cell, [])
        return lines[n - 1] if 1 <= n <= len(lines) else None


def _c(report: Report, code: str, text: str) -> str:
    return f"{code}{text}{_RESET}" if report.color else text


def _head(report: Report, d: Diagnostic) -> str:
    sev = _c(report, _COLORS[d.severity.value], d.severity.value)
    loc = _c(report, _BOLD, d.location)
    code = _c(report, _BOLD, d.code)
    return f"{loc}: {code} {sev}: {d.message}"


_WIDE = 1_000  # longer source lines are shown as a window around the finding


def _window(text: str, start: int, width: int) -> tuple[str, int, int]:
    """A long line (a 2 MB one-line list) cut to the part around the caret."""
    if len(text) <= _WIDE:
        return text, start, width
    lo = max(start - _WIDE // 2, 0)
    hi = min(lo + _WIDE, len(text))
    head = "..." if lo > 0 else ""
    tail = "..." if hi < len(text) else ""
    return head + text[lo:hi] + tail, start - lo + len(head), max(min(width, hi - start), 1)


def render_text(report: Report) -> str:
    if report.quiet and not report.diagnostics:
        return ""
    src = _Sources(report.cwd, report.sources)
    out: list[str] = []
    for d in report.diagnostics:
        out.append(_head(report, d))
        line = src.line(d.path, d.span.line, d.cell)
        if line is not None:
            num = str(d.span.line)
            pad = " " * len(num)
            raw = line.expandtabs(1).rstrip()
            # control characters of the source line shown as escapes (the caret follows)
            text = printable(raw)
            start = len(printable(raw[: max(d.span.column - 1, 0)]))
            if d.span.end_line == d.span.line:
                end = len(printable(raw[: max(d.span.end_column - 1, 0)]))
                width = max(end - start, 1)
            else:
                width = max(len(text) - start, 1)
            width = min(width, max(len(text) - start, 1))
            text, start, width = _window(text, start, width)
            caret = _c(report, _COLORS[d.severity.value], "^" * width)
            out.append(f"{pad} |")
            out.append(f"{num} | {text}")
            out.append(f"{pad} | {' ' * start}{caret}")
            for step in d.chain:
                out.append(f"{pad} = {_c(report, _DIM, 'via')}: {step}")
            for r in d.related:
                where = f"{r.path}:{r.span.line}:{r.span.column}"
                out.append(f"{pad} = {_c(report, _DIM, 'also')}: {where}: {r.message}")
            if d.help:
                out.append(f"{pad} = {_c(report, _BOLD, 'help')}: {d.help}")
        elif d.help:
            out.append(f"  = help: {d.help}")
        out.append("")
    out.extend(_skipped_lines(report))
    out.append(summary_line(report))
    return "\n".join(out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _skipped_lines(report: Report) -> list[str]:
    return [f"{path}: skipped ({why})" for path, why in report.skip_reasons.items()]


def summary_line(report: Report) -> str:
    """``Found 2 errors, 1 warning in 1 file.``, ``All checks passed (3 files).``; files named
    explicitly but skipped are counted apart, never as passed."""
    s = report.summary()
    skipped = len(report.skip_reasons)
    checked = max(s["files"] - skipped, 0)
    tail = f", {skipped} skipped" if skipped else ""
    if report.diagnostics:
        parts = [
            _plural(s[key], word)
            for key, word in (("errors", "error"), ("warnings", "warning"), ("infos", "info"))
            if s[key]
        ]
        files = _plural(checked, "file") + (f" ({skipped} skipped)" if skipped else "")
        return f"Found {', '.join(parts)} in {files}."
    if skipped and not checked:
        return f"Nothing checked: {_plural(skipped, 'file')} skipped."
    return f"All checks passed ({_plural(checked, 'file')}{tail})."


def render_concise(report: Report) -> str:
    if report.quiet and not report.diagnostics:
        return ""
    lines = [
        f"{d.location}: {d.code} [{d.severity.value}] {d.message}"
        for d in report.diagnostics
    ]
    lines.extend(_skipped_lines(report))
    s = report.summary()
    total = s["errors"] + s["warnings"] + s["infos"]
    checked = max(s["files"] - len(report.skip_reasons), 0)
    skipped = f" ({len(report.skip_reasons)} skipped)" if report.skip_reasons else ""
    lines.append(f"Found {_plural(total, 'finding')} in {_plural(checked, 'file')}{skipped}.")
    return "\n".join(lines)
