"""The hostile files of issue 20 (and what fuzzing found) through the whole fuzz harness.

Each file in fuzz_regressions/ goes through ``check``, ``build`` (Argo, Jobs) and ``graph``
like a generated program: no traceback, no internal error, valid JSON/YAML. The verdicts
themselves are asserted in test_parse_verdicts.py and test_parse_cost.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.fuzz_harness import Tally, run_program

CORPUS = Path(__file__).resolve().parent / "fuzz_regressions"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.py")), ids=lambda p: p.stem)
def test_hostile_file_never_crashes_flytec(path: Path) -> None:
    tally = Tally()
    run_program(path.read_bytes(), tally)
    assert tally.invocations == 5
    assert tally.failures == [], [(f.command, f.reason) for f in tally.failures]
