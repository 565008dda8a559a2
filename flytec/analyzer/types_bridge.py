"""Bridge to the mypy-based type checks (``--types``); see docs/types.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flytec.analyzer.engine import InternalError
from flytec.config import Config
from flytec.model.diagnostic import Diagnostic

if TYPE_CHECKING:
    from flytec.analyzer.check import CheckResult


def type_diagnostics(
    result: CheckResult, config: Config
) -> tuple[list[Diagnostic], list[InternalError]]:
    """Diagnostics from mypy at task boundaries, or an internal error if unavailable."""
    return [], [InternalError("--types", "the mypy-based checks are not available yet")]
