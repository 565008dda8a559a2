"""Parity with the real Flyte SDK: every program of ``programs/`` run by the SDK's local mode,
by ``flytec run FILE::TASK`` and by ``flytec run --dynamic`` gives the same stdout (what it
printed, then its result as ``flytec run`` prints it), or fails with the same error class and
the same ``code: message``.

A program declares its cases in comments: ``# parity: TASK {"x": 1}`` (inputs as JSON),
``# parity-stdout: unordered`` where the SDK itself runs the prints concurrently (the lines are
then compared as a multiset), and ``# parity-python: 3.11`` where the program needs that
Python (the flytec sides run on every interpreter CI has, the SDK's on ``.venv-flyte``'s).
One process per side runs all the cases (the three sides at once), so the test costs a few
seconds. The real SDK comes from ``FLYTEC_REAL_FLYTE_PYTHON`` (``make test`` installs it into
``.venv-flyte``); without it the test is skipped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
HARNESS = HERE / "parity_harness.py"
REPO = HERE.parents[1]
_CASE = re.compile(r"^# parity: (?P<task>\w+)(?: (?P<kwargs>\{.*\}))?\s*$")
_PYTHON = re.compile(r"^# parity-python: (?P<major>\d+)\.(?P<minor>\d+)\s*$", re.M)
SIDES = ("sdk", "flytec", "flytec-dynamic")


def _cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(PROGRAMS.glob("*.py")):
        text = path.read_text()
        unordered = "# parity-stdout: unordered" in text
        needs = _PYTHON.search(text)
        for n, line in enumerate(text.splitlines(), start=1):
            m = _CASE.match(line)
            if m:
                cases.append({
                    "id": f"{path.stem}::{m['task']}@{n}",
                    "file": str(path),
                    "task": m["task"],
                    "kwargs": json.loads(m["kwargs"] or "{}"),
                    "unordered": unordered,
                    "python": f"{needs['major']}.{needs['minor']}" if needs else None,
                })
    return cases


CASES = _cases()


def _real_python() -> str | None:
    configured = os.environ.get("FLYTEC_REAL_FLYTE_PYTHON")
    return configured if configured and Path(configured).exists() else None


def _side(side: str, python: str, work: Path) -> dict[str, Any]:
    cases_file, out_file = work / f"{side}.cases.json", work / f"{side}.out.json"
    cases_file.write_text(json.dumps(CASES))
    env = {**os.environ, "HOME": str(work / f"home-{side}"), "PYTHONHASHSEED": "0"}
    env.pop("FLYTEC_HOME", None)
    if side != "sdk":
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    else:
        env.pop("PYTHONPATH", None)
    (work / f"home-{side}").mkdir()
    proc = subprocess.run(
        [python, str(HARNESS), side, str(cases_file), str(out_file)],
        capture_output=True, text=True, env=env, cwd=str(PROGRAMS), timeout=300,
    )
    if not out_file.exists():
        raise AssertionError(f"{side} harness failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return dict(json.loads(out_file.read_text()))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    real = _real_python()
    if real is None:
        pytest.skip("no Python with the real flyte: set FLYTEC_REAL_FLYTE_PYTHON (make test does)")
    work = tmp_path_factory.mktemp("parity")
    pythons = {"sdk": real, "flytec": sys.executable, "flytec-dynamic": sys.executable}
    with ThreadPoolExecutor(len(SIDES)) as pool:
        futures = {s: pool.submit(_side, s, pythons[s], work) for s in SIDES}
        return {s: f.result() for s, f in futures.items()}


def test_the_corpus_is_large_enough() -> None:
    assert len({c["file"] for c in CASES}) >= 50
    assert len(CASES) >= 60


def _key_order_free(line: str) -> str:
    """The SDK sends ``dict[str, T]`` through a protobuf map: key order is not kept."""
    try:
        return json.dumps(json.loads(line), sort_keys=True)
    except ValueError:
        return line


# Messages CPython words differently by version (the SDK runs on its own interpreter, flytec
# on each of 3.10 to 3.13): each pattern, the wording of 3.11 and later.
_WORDINGS = [
    (re.compile(r"local variable '(\w+)' referenced before assignment"),
     r"cannot access local variable '\1' where it is not associated with a value"),
]


def _worded(error: Any) -> Any:
    if not isinstance(error, dict) or not isinstance(error.get("desc"), str):
        return error
    desc = error["desc"]
    for pattern, wording in _WORDINGS:
        desc = pattern.sub(wording, desc)
    return {**error, "desc": desc}


def _comparable(record: dict[str, Any], unordered: bool) -> tuple[Any, ...]:
    lines = record["stdout"].splitlines()
    if "error" not in record and lines:
        lines[-1] = _key_order_free(lines[-1])  # the result line
    stdout: Any = sorted(lines) if unordered else lines
    return stdout, _worded(record.get("error"))


# Where the *static* plan still runs differently from the body (issue 18's first part, the
# compiler's equivalence check, is separate work): remove an entry once its plan is fixed or
# made dynamic (the strict xfail then reports it).
STATIC_DIFFERS: dict[str, str] = {}


def _params() -> list[Any]:
    return [
        pytest.param(c, id=c["id"], marks=[
            pytest.mark.min_python(c["python"], "the program needs it")] if c["python"] else [])
        for c in CASES
    ]


@pytest.mark.parametrize("case", _params())
@pytest.mark.parametrize("side", ["flytec", "flytec-dynamic"])
def test_flytec_matches_the_sdk(
    outcomes: dict[str, dict[str, Any]], side: str, case: dict[str, Any]
) -> None:
    sdk, ours = outcomes["sdk"][case["id"]], outcomes[side][case["id"]]
    same = _comparable(ours, case["unordered"]) == _comparable(sdk, case["unordered"])
    known = STATIC_DIFFERS.get(case["id"].split("@")[0]) if side == "flytec" else None
    if known is not None:
        assert not same, "the static run now matches the SDK: remove it from STATIC_DIFFERS"
        pytest.xfail(f"static plan differs: {known}")
    assert _comparable(ours, case["unordered"]) == _comparable(sdk, case["unordered"])
