"""Runs parity cases on one side, many cases in one process, and writes what each did.

    python parity_harness.py SIDE CASES.json OUT.json

``SIDE`` is ``sdk`` (the real flyte's local mode: the module loaded as ``flyte run --local``
loads it, then ``flyte.init(); flyte.with_runcontext(mode="local").run(task, **kwargs)``),
``flytec`` (``flytec run FILE::TASK --x ...``, the CLI command invoked in this process) or
``flytec-dynamic`` (the same with ``--dynamic``). ``CASES.json`` is a list of
``{"id", "file", "task", "kwargs"}``. For each case the output records ``stdout`` (what the
program printed, then the result rendered as ``flytec run`` prints it: its last line) or, for
a failure, ``error``: ``{"cls": <exception class>, "desc": "<code>: <first line of message>"}``.

This file must not import flytec at module level: the ``sdk`` side runs in the real flyte's
virtual environment, where it only loads flytec's ``outputs.py`` by path (the renderer).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
_FAILED = re.compile(r"^flytec: run \S+ failed: (?P<desc>.*) \((?P<cls>[\w.]+)\)$")


def _renderer() -> Any:
    """flytec's result printer, loaded by path (the SDK's environment has no flytec; the
    printer needs only the standard library and ``flytec.model.safe_text``)."""
    if str(REPO) not in sys.path:
        sys.path.append(str(REPO))
    spec = importlib.util.spec_from_file_location(
        "_parity_outputs", REPO / "flytec" / "runtime" / "outputs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render


def describe(exc: BaseException) -> dict[str, str]:
    code = getattr(exc, "code", None) or type(exc).__name__
    text = str(exc).strip()
    message = text.splitlines()[0] if text else ""
    return {"cls": type(exc).__name__, "desc": f"{code}: {message}" if message else str(code)}


def _load_like_flyte_cli(path: Path, modules: dict[Path, Any]) -> Any:
    """As ``flyte run --local FILE``: module named after the file, its folder on sys.path."""
    if path in modules:
        return modules[path]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    sys.path.append(str(path.parent))
    spec.loader.exec_module(module)
    modules[path] = module
    return module


def _typed(task: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Inputs given as JSON, validated by the task's annotations (as ``flyte run`` parses them)."""
    import typing

    from pydantic import TypeAdapter

    hints = typing.get_type_hints(task.func)
    return {k: TypeAdapter(hints[k]).validate_python(v) if k in hints else v
            for k, v in kwargs.items()}


def run_sdk(cases: list[dict[str, Any]]) -> dict[str, Any]:
    import logging

    import flyte  # the real SDK

    logging.disable(logging.CRITICAL)
    flyte.init()
    render = _renderer()
    modules: dict[Path, Any] = {}
    out: dict[str, Any] = {}
    for case in cases:
        buf = io.StringIO()
        started = time.perf_counter()
        record: dict[str, Any] = {}
        try:
            with contextlib.redirect_stdout(buf):
                module = _load_like_flyte_cli(Path(case["file"]), modules)
                task = getattr(module, case["task"])
                run = flyte.with_runcontext(mode="local").run(task, **_typed(task, case["kwargs"]))
                outputs = run.outputs()
            values = list(outputs)
            result = values[0] if len(values) == 1 else tuple(values)
            record["stdout"] = buf.getvalue() + render(result) + "\n"
        except Exception as exc:
            record["stdout"] = buf.getvalue()
            record["error"] = describe(exc)
        record["seconds"] = time.perf_counter() - started
        out[case["id"]] = record
    return out


def _tokens(kwargs: dict[str, Any]) -> list[str]:
    tokens: list[str] = []
    for name, value in kwargs.items():
        tokens += [f"--{name}", value if isinstance(value, str) else json.dumps(value)]
    return tokens


def run_flytec(cases: list[dict[str, Any]], dynamic: bool, store: str) -> dict[str, Any]:
    from flytec.cli import cli

    out: dict[str, Any] = {}
    for case in cases:
        argv = ["run", "--store", store, "--no-progress"]
        argv += ["--dynamic"] if dynamic else []
        argv += [f"{case['file']}::{case['task']}", *_tokens(case["kwargs"])]
        stdout, stderr = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        code: Any = 0
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                cli.main(argv, prog_name="flytec", standalone_mode=False)
            except SystemExit as exc:
                code = exc.code
        record: dict[str, Any] = {"stdout": stdout.getvalue(), "exit": code}
        record["seconds"] = time.perf_counter() - started
        if code != 0:
            lines = [m for ln in stderr.getvalue().splitlines() if (m := _FAILED.match(ln))]
            if lines:
                record["error"] = {"cls": lines[-1]["cls"].split(".")[-1],
                                   "desc": lines[-1]["desc"]}
            else:
                record["error"] = {"cls": "?", "desc": stderr.getvalue()[-2000:]}
        out[case["id"]] = record
    return out


def main() -> int:
    side, cases_file, out_file = sys.argv[1:4]
    cases = json.loads(Path(cases_file).read_text())
    if side == "sdk":
        results = run_sdk(cases)
    else:
        store = str(Path(out_file).with_suffix(".store"))
        results = run_flytec(cases, side == "flytec-dynamic", store)
    Path(out_file).write_text(json.dumps(results, indent=1))
    os._exit(0)  # threads of sync task bodies must not keep the process alive


if __name__ == "__main__":
    sys.exit(main())
