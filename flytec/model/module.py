"""The per-module IR produced by the frontend: what one source file contains."""

from __future__ import annotations

from dataclasses import dataclass, field

from flytec.model.body import Call, ClassDef, FunctionDef, ImportBinding, Stmt
from flytec.model.notebook import CellMap
from flytec.model.span import Span

# Bumped whenever the IR's shape changes (or what the frontend reports for a file), so cached
# IR of an older shape is never loaded.
IR_FORMAT = 5


@dataclass
class ModuleProblem:
    """Why a file could not be (fully) analysed.

    ``kind`` is one of ``"syntax"`` (CPython rejects it), ``"encoding"`` (not UTF-8),
    ``"too-large"`` (bytes or tokens over the limits), ``"too-deep"`` (nesting beyond what
    the frontend follows), ``"cannot-analyse"`` (CPython compiles it, libcst rejects it) or
    ``"internal"`` (a frontend bug; the message says so).
    """

    kind: str
    message: str
    span: Span


@dataclass(frozen=True)
class SuppressionComment:
    """A suppression comment that names flytec codes (``# noqa: FLY103``,
    ``# flytec: ignore[FLY103]``, ``# flytec: ignore-file[FLY103]``): where it is and what it
    names, so that unknown and unused codes can be reported (FLY006)."""

    line: int
    column: int  # 1-based column of the ``#``
    end_column: int
    codes: tuple[str, ...]  # the FLY codes named, in order
    file_wide: bool = False


@dataclass
class GlobalAssign:
    """A module-level binding made by an assignment (``X = ...`` or ``X: T = ...``)."""

    name: str
    value: Stmt  # the Assign / AnnAssign / AugAssign statement
    span: Span  # the target name


@dataclass
class ModuleIR:
    path: str
    module: str  # dotted module name ("pkg.tasks"); "__main__"-like names for loose files
    is_package: bool  # an ``__init__.py``
    content_hash: str
    mentions_flyte: bool
    body: list[Stmt] = field(default_factory=list)
    imports: list[ImportBinding] = field(default_factory=list)
    functions: list[FunctionDef] = field(default_factory=list)  # module-level
    nested_functions: list[FunctionDef] = field(default_factory=list)  # in defs or classes
    classes: list[ClassDef] = field(default_factory=list)
    globals: list[GlobalAssign] = field(default_factory=list)
    problems: list[ModuleProblem] = field(default_factory=list)
    # line -> suppressed codes; an empty frozenset means every code on that line
    suppressions: dict[int, frozenset[str]] = field(default_factory=dict)
    # codes suppressed for the whole file; empty frozenset with file_suppress_all for all
    file_suppressions: frozenset[str] = frozenset()
    file_suppress_all: bool = False
    suppression_comments: list[SuppressionComment] = field(default_factory=list)
    line_count: int = 0
    positions: str = "ast"  # how spans were computed: "ast" index or "libcst" provider
    calls: list[Call] | None = None  # calls in module-level code, walk order (frontend)
    # a notebook (.ipynb): the module is its code cells; where each line comes from
    notebook: CellMap | None = None

    def function(self, name: str) -> FunctionDef | None:
        for f in self.functions:
            if f.name == name:
                return f
        return None

    def binding(self, local: str) -> ImportBinding | None:
        found = None
        for b in self.imports:
            if b.local == local:
                found = b  # the last binding wins, as at run time
        return found
