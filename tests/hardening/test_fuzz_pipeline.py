"""Generated programs, wrapped as Flyte code, never crash check, build or graph.

hypothesmith writes syntactically valid Python from CPython's grammar; the harness
(``fuzz_harness``) wraps each program at module level and inside a task body and runs
``check``, ``build`` (plans, Argo, Jobs) and ``graph`` in-process, failing on a traceback,
an internal error (FLY000) or output that is not valid JSON/YAML. Bounded and derandomized
so the suite stays fast and reproducible; ``benchmarks/fuzz.py --examples N`` runs longer.
"""

from __future__ import annotations

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings

from tests.hardening.fuzz_harness import WRAPPERS, Tally, run_program


@pytest.mark.parametrize("wrap", sorted(WRAPPERS))
def test_generated_programs_never_crash_flytec(wrap: str) -> None:
    tally = Tally()

    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hypothesmith.from_grammar())
    def one(code: str) -> None:
        run_program(WRAPPERS[wrap](code), tally)

    one()
    assert tally.programs >= 10
    assert tally.failures == [], "\n\n".join(
        f"{f.command}: {f.reason}\n{f.program}" for f in tally.failures[:3])
