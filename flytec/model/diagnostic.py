"""Diagnostics: what every rule reports and every output format prints."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from flytec.model.fix import Fix, fix_from_json, fix_to_json
from flytec.model.span import Span


class Severity(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Category(str, enum.Enum):
    """The categories, exactly these seven."""

    SYNTAX = "syntax"  # the file does not parse (or cannot be read)
    STRUCTURE = "structure"  # how tasks are defined, called and awaited
    TYPE = "type"  # signatures, annotations, argument and result types
    NONDETERMINISM = "nondeterminism"
    GLOBAL_STATE = "global-state"
    OOM = "oom"  # memory and driver-pod risks
    DEPLOY = "deploy"  # environments, dependencies, configuration


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    """Another place that belongs to the same problem (SARIF ``relatedLocations``)."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, located in one file.

    ``path`` is the path as given to/derived by flytec (relative to the project root when
    possible). ``task`` is ``"env.function"`` when the finding belongs to a task.
    """

    code: str
    name: str
    category: Category
    severity: Severity
    path: str
    span: Span
    message: str
    help: str = ""
    task: str | None = None
    # A chain of explanations ("task `etl.main` calls helper `stamp()` ...").
    chain: tuple[str, ...] = field(default=())
    # The edits that repair it (``flytec check --fix``), when its rule can offer them.
    fix: Fix | None = None
    # In a notebook: the cell (1-based, among all cells); ``span`` is then inside the cell.
    cell: int | None = None
    # The other places of the same problem: reported once, where the fix goes.
    related: tuple[RelatedLocation, ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        return (self.path, self.cell or 0, self.span.line, self.span.column, self.code,
                self.message)

    @property
    def location(self) -> str:
        """``path:line:column``, or ``path:cell N:line:column`` in a notebook."""
        cell = "" if self.cell is None else f"cell {self.cell}:"
        return f"{self.path}:{cell}{self.span.line}:{self.span.column}"


def diagnostic_to_json(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic as plain JSON values (the caches store these)."""
    return {
        "code": d.code,
        "name": d.name,
        "category": d.category.value,
        "severity": d.severity.value,
        "path": d.path,
        "span": [d.span.line, d.span.column, d.span.end_line, d.span.end_column],
        "message": d.message,
        "help": d.help,
        "task": d.task,
        "chain": list(d.chain),
        "fix": None if d.fix is None else fix_to_json(d.fix),
        "cell": d.cell,
        "related": [
            [r.path, r.span.line, r.span.column, r.span.end_line, r.span.end_column, r.message]
            for r in d.related
        ],
    }


def diagnostic_from_json(data: dict[str, Any]) -> Diagnostic:
    """The inverse of :func:`diagnostic_to_json`; raises on malformed data."""
    line, column, end_line, end_column = (int(x) for x in data["span"])
    return Diagnostic(
        code=str(data["code"]),
        name=str(data["name"]),
        category=Category(data["category"]),
        severity=Severity(data["severity"]),
        path=str(data["path"]),
        span=Span(line, column, end_line, end_column),
        message=str(data["message"]),
        help=str(data["help"]),
        task=None if data["task"] is None else str(data["task"]),
        chain=tuple(str(c) for c in data["chain"]),
        fix=None if data.get("fix") is None else fix_from_json(data["fix"]),
        cell=None if data.get("cell") is None else int(data["cell"]),
        related=tuple(
            RelatedLocation(str(r[0]), Span(int(r[1]), int(r[2]), int(r[3]), int(r[4])), str(r[5]))
            for r in data.get("related", ())
        ),
    )
