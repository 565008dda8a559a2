"""Human output: ``text`` (with the source line and a caret, like ruff or rustc) and
``concise`` (one line per finding)."""

from __future__ import annotations

from pathlib import Path

from flytec.codegen.report import Report
from flytec.model.diagnostic import Diagnostic

_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"


class _Sources:
    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.cache: dict[str, list[str]] = {}

    def line(self, path: str, n: int) -> str | None:
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


def _c(report: Report, code: str, text: str) -> str:
    return f"{code}{text}{_RESET}" if report.color else text


def _head(report: Report, d: Diagnostic) -> str:
    sev = _c(report, _COLORS[d.severity.value], d.severity.value)
    loc = _c(report, _BOLD, f"{d.path}:{d.span.line}:{d.span.column}")
    code = _c(report, _BOLD, d.code)
    return f"{loc}: {code} {sev}: {d.message}"


def render_text(report: Report) -> str:
    src = _Sources(report.cwd)
    out: list[str] = []
    for d in report.diagnostics:
        out.append(_head(report, d))
        line = src.line(d.path, d.span.line)
        if line is not None:
            num = str(d.span.line)
            pad = " " * len(num)
            text = line.expandtabs(1).rstrip()
            start = max(d.span.column - 1, 0)
            if d.span.end_line == d.span.line:
                width = max(d.span.end_column - d.span.column, 1)
            else:
                width = max(len(text) - start, 1)
            width = min(width, max(len(text) - start, 1))
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
    s = report.summary()
    if report.diagnostics:
        parts = []
        for key, word in (("errors", "error"), ("warnings", "warning"), ("infos", "info")):
            n = s[key]
            if n:
                parts.append(f"{n} {word}{'s' if n != 1 else ''}")
        files = f"{s['files']} file{'s' if s['files'] != 1 else ''}"
        out.append(f"Found {', '.join(parts)} in {files}.")
    else:
        out.append(f"All checks passed ({s['files']} file{'s' if s['files'] != 1 else ''}).")
    return "\n".join(out)


def render_concise(report: Report) -> str:
    lines = [
        f"{d.path}:{d.span.line}:{d.span.column}: {d.code} [{d.severity.value}] {d.message}"
        for d in report.diagnostics
    ]
    s = report.summary()
    total = s["errors"] + s["warnings"] + s["infos"]
    lines.append(f"Found {total} finding{'s' if total != 1 else ''} in {s['files']} files.")
    return "\n".join(lines)
