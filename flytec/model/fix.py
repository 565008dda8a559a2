"""Fixes: the edits a rule proposes for one of its findings (``flytec check --fix``).

An :class:`Edit` replaces the text of a :class:`~flytec.model.span.Span` (1-based lines and
character columns, end exclusive, as the frontend's libcst positions give them) by new text;
an empty span inserts. A :class:`Fix` is the set of edits that repairs one finding, applied
together or not at all, with its :class:`Safety`: a *safe* fix keeps the program's meaning
where the finding is right, an *unsafe* one changes behaviour on purpose and is only applied
with ``--unsafe-fixes``. Rules declare how often they can offer a fix with
:class:`Applicability`.

In a notebook, a fix is expressed in cell coordinates (docs/fixes.md): each edit names its
``cell`` (1-based, among all cells) and its span is inside that cell. A fix that cannot be
(an edit crossing from one cell into the next, or changing a neutralised IPython line) is
kept with the reason in ``blocked``: it is reported, never applied nor offered.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from flytec.model.span import Span


class Safety(str, enum.Enum):
    SAFE = "safe"  # keeps the meaning the finding says the author wanted
    UNSAFE = "unsafe"  # changes behaviour on purpose: only with --unsafe-fixes


class Applicability(str, enum.Enum):
    """How often a rule's findings come with a fix."""

    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text in ``span`` by ``content`` (insert when the span is empty)."""

    span: Span
    content: str
    cell: int | None = None  # in a notebook: the cell ``span`` is inside

    @staticmethod
    def insert(line: int, column: int, content: str, cell: int | None = None) -> Edit:
        return Edit(Span(line, column, line, column), content, cell)


@dataclass(frozen=True, slots=True)
class Fix:
    """The edits that repair one finding; ``imports`` are modules the edited code needs
    (``"flyte.errors"``), added as ``import X`` statements when the file lacks them."""

    message: str
    edits: tuple[Edit, ...]
    safety: Safety = Safety.SAFE
    imports: tuple[str, ...] = ()
    # why it cannot be applied (a notebook fix crossing cells or changing a magic line)
    blocked: str | None = None

    @property
    def safe(self) -> bool:
        return self.safety is Safety.SAFE

    @property
    def applicable(self) -> bool:
        return self.blocked is None


def offered(f: Fix | None) -> Fix | None:
    """The fix as outputs and editors offer it: none when it is blocked."""
    return f if f is not None and f.blocked is None else None


def fix_to_json(f: Fix) -> dict[str, Any]:
    return {
        "message": f.message,
        "safety": f.safety.value,
        "edits": [[*e.span, e.content, *([] if e.cell is None else [e.cell])]
                  for e in f.edits],
        "imports": list(f.imports),
        **({} if f.blocked is None else {"blocked": f.blocked}),
    }


def fix_from_json(data: dict[str, Any]) -> Fix:
    edits = []
    for raw in data["edits"]:
        line, column, end_line, end_column, content, *cell = raw
        edits.append(Edit(Span(int(line), int(column), int(end_line), int(end_column)),
                          str(content), int(cell[0]) if cell else None))
    return Fix(
        message=str(data["message"]),
        edits=tuple(edits),
        safety=Safety(data["safety"]),
        imports=tuple(str(i) for i in data.get("imports", ())),
        blocked=None if data.get("blocked") is None else str(data["blocked"]),
    )
