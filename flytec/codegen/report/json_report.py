"""``--format json``: exactly one JSON object, the documented contract (docs/output.md)."""

from __future__ import annotations

import json
from typing import Any

from flytec.codegen.report import Report
from flytec.model.diagnostic import Diagnostic


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": d.code,
        "name": d.name,
        "category": d.category.value,
        "severity": d.severity.value,
        "path": d.path,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "message": d.message,
        "help": d.help,
        "task": d.task,
    }
    if d.related:  # only when there are any (docs/output.md)
        out["related"] = [
            {
                "path": r.path,
                "line": r.span.line,
                "column": r.span.column,
                "end_line": r.span.end_line,
                "end_column": r.span.end_column,
                "message": r.message,
            }
            for r in d.related
        ]
    return out


def render_json(report: Report) -> str:
    doc = {
        "diagnostics": [diagnostic_json(d) for d in report.diagnostics],
        "summary": report.summary(),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
