"""The shim: `import flyte` in user code gets flytec's implementation, with the SDK's behaviour."""

from __future__ import annotations

import asyncio
import pickle
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from runtime_helpers import PROGRAMS

from flytec.runtime.loader import install_shim


@pytest.fixture(scope="module")
def flyte() -> Any:
    install_shim()
    import flyte as shim

    return shim


def test_shim_wins_over_an_installed_flyte(tmp_path: Path) -> None:
    site = tmp_path / "site" / "flyte"
    site.mkdir(parents=True)
    (site / "__init__.py").write_text("raise ImportError('the real flyte was imported')\n")
    prog = tmp_path / "prog.py"
    prog.write_text(
        "import flyte, flyte.io, flyte.errors\nfrom flyte.io import File\n"
        "env = flyte.TaskEnvironment(name='p')\n"
        "@env.task\nasync def main() -> str:\n    return flyte.__file__\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "flytec.runtime",
            "--store",
            str(tmp_path / "s"),
            "--no-progress",
            f"{prog}::main",
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "flytec/runtime/shim/flyte/__init__.py" in proc.stdout.strip().splitlines()[-1]


def test_unknown_sdk_names_are_accepting_standins(flyte: Any) -> None:
    trig = flyte.Trigger("nightly", flyte.Cron("0 0 * * *"))
    assert trig is not None
    import flyte.app

    class MyApp(flyte.app.AppEnvironment):  # subclassable
        pass

    assert MyApp(name="x") is not None
    from flyte.extras import ContainerTask  # a submodule the shim does not have

    assert ContainerTask("c") is not None
    assert flyte.some_new_function(1, 2) is not None


def test_task_outside_a_run_calls_the_function(flyte: Any) -> None:
    env = flyte.TaskEnvironment(name="outside")

    @env.task
    def inc(x: int) -> int:
        return x + 1

    @env.task
    async def ainc(x: int) -> int:
        return x + 1

    assert inc(1) == 2
    assert asyncio.run(ainc(1)) == 2
    assert asyncio.run(inc.aio(4)) == 5
    assert inc.name == "outside.inc" and inc.short_name == "inc"
    assert inc.forward(9) == 10


def test_decoration_and_configuration_errors_match_the_sdk(flyte: Any) -> None:
    env = flyte.TaskEnvironment(name="cfg")
    with pytest.raises(ValueError, match="variable positional or keyword"):

        @env.task
        def bad(*args: int) -> int:
            return 0

    with pytest.raises(ValueError):
        flyte.TaskEnvironment(name="Not Valid")
    with pytest.raises(TypeError):
        flyte.Image()
    img = flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("pandas")
    assert isinstance(img, flyte.Image)
    assert flyte.Cache("enable").behavior == "auto"
    assert flyte.Cache(behavior="off").behavior == "disable"
    with pytest.raises(ValueError):
        flyte.Cache(behavior="sometimes")
    with pytest.raises(ValueError):
        flyte.ReusePolicy(idle_ttl=5)
    with pytest.raises(ValueError):
        flyte.Backoff(base=timedelta(seconds=1), factor=2)
    assert flyte.Secret(key="my-secret").env_var == "MY_SECRET"
    assert flyte.Secret(key="k", group="g").env_var == "G_K"
    with pytest.raises(ValueError):
        import flyte.remote

        flyte.remote.Task.get("x.y")


def test_override_ignores_falsy_values(flyte: Any) -> None:
    env = flyte.TaskEnvironment(name="ovr")

    @env.task(retries=3, timeout=10)
    async def t(x: int) -> int:
        return x

    same = t.override(retries=0, env_vars={})
    assert same.retries.count == 3 and same.timeout == 10
    changed = t.override(retries=1, timeout=timedelta(seconds=2))
    assert changed.retries.count == 1 and changed.timeout == timedelta(seconds=2)
    assert t.retries.count == 3  # the original is untouched
    with pytest.raises(ValueError):
        t.override(name="other")


def test_errors_keep_code_and_survive_pickling(flyte: Any) -> None:
    import flyte.errors as errors

    err = errors.RuntimeUserError("ValueError", "boom")
    assert err.code == "ValueError" and err.kind == "user" and str(err) == "boom"
    timeout = pickle.loads(pickle.dumps(errors.TaskTimeoutError("late")))
    assert isinstance(timeout, errors.TaskTimeoutError) and timeout.code == "TaskTimeoutError"
    assert issubclass(errors.NonRecoverableError, errors.RuntimeUserError)
    assert errors.SyncTaskCallInAsyncContextError("m").code == "SyncTaskCallInAsyncContextError"
    with pytest.raises(errors.RuntimeUserError):
        _ = err + 1  # arithmetic on an error from flyte.map re-raises it


def test_flyte_run_runs_locally_and_records(flyte: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("FLYTEC_HOME", str(tmp_path / "home"))
    env = flyte.TaskEnvironment(name="viarun")

    @env.task
    async def sq(x: int) -> int:
        return x * x

    @env.task
    async def total(n: int) -> int:
        return sum(await asyncio.gather(*[sq(i) for i in range(n)]))

    flyte.init_from_config()
    run = flyte.with_runcontext(mode="local").run(total, n=4)
    assert run.outputs()[0] == 14 and run.outputs().o0 == 14
    assert Path(run.url).is_dir()
    run2 = flyte.run(total, 3)
    assert run2.outputs()[0] == 5
    assert (tmp_path / "home" / "flytec.db").exists()


def test_programs_directory_has_every_program_used() -> None:
    names = {p.name for p in PROGRAMS.glob("*.py")}
    assert {
        "etl.py",
        "mapping.py",
        "flaky.py",
        "traced.py",
        "sync_tasks.py",
        "resumable.py",
        "cpu.py",
        "features.py",
        "fanout.py",
        "concurrency.py",
    } <= names
