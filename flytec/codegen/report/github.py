"""``--format github``: GitHub Actions workflow commands (annotations on the PR diff)."""

from __future__ import annotations

from flytec.codegen.report import Report

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    lines = []
    for d in report.diagnostics:
        cell = "" if d.cell is None else f" (cell {d.cell})"  # a notebook: lines in the cell
        props = ",".join(
            [
                f"file={_prop(d.path)}",
                f"line={d.span.line}",
                f"col={d.span.column}",
                f"endLine={d.span.end_line}",
                f"endColumn={d.span.end_column}",
                f"title={_prop(f'{d.code} {d.name}' + cell)}",
            ]
        )
        message = d.message + (f"\n\nhelp: {d.help}" if d.help else "")
        lines.append(f"::{_LEVEL[d.severity.value]} {props}::{_data(message)}")
    return "\n".join(lines)
