"""Side-effect statements of a static plan (``effect`` glue) on Argo: driver steps of their
own, ordered by ``depends``; the harness's results and effects equal ``flytec run``'s."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from argo_harness import ArgoFailure, Harness
from k8s_helpers import REPO

from flytec.codegen.k8s import EmitOptions, emit
from flytec.model.plan import Plan
from flytec.runtime.runner import RunOptions, execute

PROGRAM = REPO / "tests" / "runtime" / "programs" / "side_effects.py"


@lru_cache(maxsize=1)
def plans() -> tuple[Plan, ...]:
    from flytec.analyzer.check import project_for
    from flytec.codegen.plan import build_plans
    from flytec.codegen.plan.select import load_project
    from flytec.config import load_config

    config = load_config(project_for([PROGRAM], REPO))
    loaded = load_project([PROGRAM], REPO, config)
    return tuple(p for _, p in build_plans(loaded.result.program, loaded.result.project,
                                           loaded.requested))


def manifest(task: str) -> object:
    ps = list(plans())
    for m, p in zip(emit(ps, EmitOptions(target="argo")), ps):
        if p.task == f"side_effects.{task}":
            return m
    raise AssertionError(task)


@pytest.fixture
def counters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "counters"
    d.mkdir()
    monkeypatch.setenv("COUNTER_DIR", str(d))
    return d


def notes(counters: Path) -> list[str]:
    path = counters / "notes"
    out = path.read_text().splitlines() if path.exists() else []
    path.unlink(missing_ok=True)
    return out


@pytest.mark.parametrize("x", [2, 5])
def test_effects_are_steps_in_program_order(
    x: int, tmp_path: Path, counters: Path
) -> None:
    m = manifest("noted")
    assert m.mode == "static"  # type: ignore[attr-defined]
    objects = list(yaml.safe_load_all(m.text))  # type: ignore[attr-defined]
    harness = Harness(objects, tmp_path / "argo", REPO)
    got = harness.run({"x": str(x)})
    on_argo = notes(counters)
    outcome = execute(RunOptions(target=f"{PROGRAM}::noted", input_tokens=["--x", str(x)],
                                 store=str(tmp_path / "store"), progress=False,
                                 capture_logs=False))
    assert outcome.status == "SUCCEEDED", outcome.error
    assert got == {"o0": str(outcome.result)}
    assert on_argo == notes(counters)
    assert on_argo[0] == "start" and on_argo[-1] == f"end {(x * x) ** 2}"
    assert any(s.startswith("do-assert") or "assert" in s for s in harness.steps_run)


def test_a_failing_assert_fails_the_workflow(tmp_path: Path, counters: Path) -> None:
    objects = list(yaml.safe_load_all(manifest("noted").text))  # type: ignore[attr-defined]
    harness = Harness(objects, tmp_path / "argo", REPO)
    with pytest.raises(ArgoFailure, match="AssertionError: no sevens"):
        harness.run({"x": "7"})
    assert notes(counters) == ["start", "squared 49", "big"]


def test_effects_whose_values_are_read_make_a_driver_pod() -> None:
    m = manifest("chatty")  # `ordered.sort()` is an effect, and later steps read `ordered`
    assert m.mode == "driver"  # type: ignore[attr-defined]
