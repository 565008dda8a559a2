"""The tests that read flytec's standard error still pass when the interpreter prints an
unrelated warning on start-up (here a site-wide ``sitecustomize`` that writes to stderr): they
assert on the lines flytec writes, not on the whole stream."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import test_k8s_values
import test_k8s_worker
from k8s_helpers import flytec_lines

NOISE = "Warning: an unrelated sitecustomize says hello on start-up"


@pytest.fixture
def noisy_startup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "noise"
    site.mkdir()
    (site / "sitecustomize.py").write_text(f"import sys\nsys.stderr.write({NOISE!r} + '\\n')\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p))


def test_the_noise_is_there(noisy_startup: None) -> None:
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-c", "pass"], capture_output=True, text=True)
    assert res.stderr.strip() == NOISE
    assert flytec_lines(res.stderr) == []


@pytest.mark.parametrize("test", [
    test_k8s_worker.test_failing_task_exits_1_with_error_json,
    test_k8s_worker.test_bad_usage_exits_2_on_one_line,
    test_k8s_worker.test_a_marker_without_its_artifact_is_a_usage_error,
    test_k8s_values.test_validate_without_the_k8s_extra_names_it,
], ids=lambda t: t.__name__)
def test_stderr_assertions_ignore_start_up_noise(
    noisy_startup: None, tmp_path: Path, test: object
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    test(work)  # type: ignore[operator]
