"""``--format json``: exactly one JSON object, the documented contract (docs/output.md)."""

from __future__ import annotations

import json
from typing import Any

from flytec.codegen.report import Report
from flytec.model.diagnostic import Diagnostic
from flytec.model.fix import Fix, offered
from flytec.model.safe_text import escape_json_text


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": d.code,
        "name": d.name,
        "category": d.category.value,
        "severity": d.severity.value,
        "path": d.path,
        "cell": d.cell,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "message": d.message,
        "help": d.help,
        "task": d.task,
        "fix": None if (fix := offered(d.fix)) is None else fix_json(fix),
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


def fix_json(f: Fix) -> dict[str, Any]:
    """A fix as ruff writes one: its edits with 1-based line/column ranges (end exclusive;
    an empty range inserts), applied together, and its safety."""
    return {
        "message": f.message,
        "safety": f.safety.value,
        "edits": [
            {
                "content": e.content,
                "location": {"line": e.span.line, "column": e.span.column},
                "end_location": {"line": e.span.end_line, "column": e.span.end_column},
                **({} if e.cell is None else {"cell": e.cell}),  # a notebook's edit
            }
            for e in f.edits
        ],
    }


def render_json(report: Report) -> str:
    doc = {
        "diagnostics": [diagnostic_json(d) for d in report.diagnostics],
        "summary": report.summary(),
    }
    return escape_json_text(json.dumps(doc, indent=2, ensure_ascii=False))
