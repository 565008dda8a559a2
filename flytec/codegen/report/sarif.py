"""``--format sarif``: SARIF 2.1.0 as GitHub code scanning takes it.

Rules carry their help text; paths are relative to the project root (``%SRCROOT%``); each
result has a partial fingerprint that survives lines moving around it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from flytec import __version__
from flytec.analyzer.registry import Rule, all_rules
from flytec.codegen.report import Report
from flytec.model.diagnostic import Diagnostic
from flytec.model.fix import Fix, offered
from flytec.model.span import Span

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HELP_BASE = "https://github.com/flytec/flytec/blob/main/docs/rules"


def _rule_json(r: type[Rule]) -> dict[str, Any]:
    help_text = f"{r.summary}\n\nWhy: {r.why}\n\nFix: {r.fix}"
    help_md = (
        f"**{r.code} {r.name}**: {r.summary}\n\n**Why.** {r.why}\n\n**Fix.** {r.fix}\n\n"
        f"Bad:\n```python\n{_example(r.bad)}\n```\n\nGood:\n```python\n{_example(r.good)}\n```"
    )
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.why},
        "help": {"text": help_text, "markdown": help_md},
        "helpUri": f"{HELP_BASE}/{r.code}.md",
        "defaultConfiguration": {"level": _LEVEL[r.severity.value]},
        "properties": {"category": r.category.value, "tags": ["flyte", r.category.value]},
    }


def _example(ex: str | dict[str, str]) -> str:
    if isinstance(ex, str):
        return ex.strip()
    return "\n\n".join(f"# {name}\n{code.strip()}" for name, code in ex.items())


def _relative(report: Report, path: str) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = report.cwd / p
    try:
        return p.resolve().relative_to(report.root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def _fingerprint(d: Diagnostic, uri: str) -> str:
    basis = "\0".join([d.code, uri, d.task or "", d.message])
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def _fix(f: Fix, uri: str) -> dict[str, Any]:
    """SARIF's ``fix``: one artifactChange of replacements (deletedRegion, insertedContent);
    an empty region inserts. Unsafe fixes say so in their description."""
    replacements = []
    for e in f.edits:
        region: dict[str, int] = {"startLine": e.span.line, "startColumn": e.span.column,
                                  "endLine": e.span.end_line, "endColumn": e.span.end_column}
        replacement: dict[str, Any] = {"deletedRegion": region,
                                       "insertedContent": {"text": e.content}}
        if e.cell is not None:  # a notebook: the region is inside this cell
            replacement["properties"] = {"cell": e.cell}
        replacements.append(replacement)
    unsafe = "" if f.safe else " (unsafe: changes behaviour on purpose)"
    return {
        "description": {"text": f.message + unsafe},
        "artifactChanges": [
            {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
             "replacements": replacements}
        ],
        "properties": {"safety": f.safety.value},
    }


def _physical(uri: str, span: Span) -> dict[str, Any]:
    return {
        "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": span.line,
            "startColumn": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
        },
    }


def render_sarif(report: Report) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for d in report.diagnostics:
        uri = _relative(report, d.path)
        location: dict[str, Any] = {"physicalLocation": _physical(uri, d.span)}
        properties: dict[str, Any] = {"category": d.category.value, "task": d.task}
        if d.cell is not None:  # a notebook: the region is inside this cell (docs/output.md)
            location["properties"] = {"cell": d.cell}
            properties["cell"] = d.cell
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index.get(d.code, -1),
            "level": _LEVEL[d.severity.value],
            "message": {"text": d.message + (f" Help: {d.help}" if d.help else "")},
            "locations": [location],
            "partialFingerprints": {"flytec/v1": _fingerprint(d, uri)},
            "properties": properties,
        }
        if d.related:
            result["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": _physical(_relative(report, r.path), r.span),
                    "message": {"text": r.message},
                }
                for i, r in enumerate(d.related, start=1)
            ]
        fix = offered(d.fix)
        if fix is not None:
            result["fixes"] = [_fix(fix, uri)]
        results.append(result)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flytec",
                        "version": __version__,
                        "informationUri": "https://github.com/flytec/flytec",
                        "rules": [_rule_json(r) for r in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2)
