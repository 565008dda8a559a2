"""Type checks of task signatures end to end, with mypy (``flytec check --types``).

Entry points: :func:`check_types` (diagnostics, task signatures, run statistics) and
:func:`run_mypy` (diagnostics only).  Rule metadata: :data:`TYPE_RULES`.  The Flyte stubs
mypy uses when the real ``flyte`` is absent live in :func:`stubs_dir`.

Attributes are imported lazily (PEP 562): the rule registry reads the metadata on every
``flytec check``, which must not pay for importing the mypy runner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flytec.analyzer.types.mypy_runner import TypeCheckResult as TypeCheckResult
    from flytec.analyzer.types.mypy_runner import check_types as check_types
    from flytec.analyzer.types.mypy_runner import run_mypy as run_mypy
    from flytec.analyzer.types.options import StubsMode as StubsMode
    from flytec.analyzer.types.options import TypeCheckOptions as TypeCheckOptions
    from flytec.analyzer.types.rules import RULES_BY_CODE as RULES_BY_CODE
    from flytec.analyzer.types.rules import TYPE_RULES as TYPE_RULES
    from flytec.analyzer.types.rules import TypeRule as TypeRule
    from flytec.analyzer.types.signatures import TaskParam as TaskParam
    from flytec.analyzer.types.signatures import TaskSignature as TaskSignature
    from flytec.analyzer.types.stubs_path import stubs_dir as stubs_dir

_WHERE = {
    "TypeCheckResult": "mypy_runner",
    "check_types": "mypy_runner",
    "run_mypy": "mypy_runner",
    "StubsMode": "options",
    "TypeCheckOptions": "options",
    "RULES_BY_CODE": "rules",
    "TYPE_RULES": "rules",
    "TypeRule": "rules",
    "TaskParam": "signatures",
    "TaskSignature": "signatures",
    "stubs_dir": "stubs_path",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
