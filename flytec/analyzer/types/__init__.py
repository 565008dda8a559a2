"""Type checks of task signatures end to end, with mypy (``flytec check --types``).

Entry points: :func:`check_types` (diagnostics, task signatures, run statistics) and
:func:`run_mypy` (diagnostics only).  Rule metadata: :data:`TYPE_RULES`.  The Flyte stubs
mypy uses when the real ``flyte`` is absent live in :func:`stubs_dir`.
"""

from flytec.analyzer.types.mypy_runner import TypeCheckResult, check_types, run_mypy
from flytec.analyzer.types.options import StubsMode, TypeCheckOptions
from flytec.analyzer.types.rules import RULES_BY_CODE, TYPE_RULES, TypeRule
from flytec.analyzer.types.signatures import TaskParam, TaskSignature
from flytec.analyzer.types.stubs_path import stubs_dir

__all__ = [
    "RULES_BY_CODE",
    "TYPE_RULES",
    "StubsMode",
    "TaskParam",
    "TaskSignature",
    "TypeCheckOptions",
    "TypeCheckResult",
    "TypeRule",
    "check_types",
    "run_mypy",
    "stubs_dir",
]
