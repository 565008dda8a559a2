"""How fast is `flytec check`? Ratios against baselines measured in the same run.

    python benchmarks/check_speed.py [--modules 1000] [--repeat 5]

1. Throughput: flytec's whole check pipeline (parse, lower, resolve, recover, all rules),
   cold (no cache), against bare ``libcst.parse_module`` over the same Flyte files, in one
   process. flytec is measured as users run it (the default: files parsed by one process
   per core) and restricted to one process (``--jobs 1``).
   Target: flytec at least 50% of libcst's throughput (ratio >= 0.5).
2. Pre-commit: `flytec check` on 5 changed files of a 1,000-module project, as a
   subprocess (start-up included), the other modules cached by an earlier run.
   Target: under 0.5 s wall.
3. `flytec --version`, against `python -c pass`. Target: under 0.15 s.

Medians over --repeat runs. The project is generated under a temporary directory.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENVS = '''import flyte

driver = flyte.TaskEnvironment(
    name="driver", resources=flyte.Resources(cpu=1, memory="1Gi"), cache="auto"
)
worker = flyte.TaskEnvironment(
    name="worker",
    resources=flyte.Resources(cpu=2, memory="4Gi"),
    image=flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("pandas"),
)
driver.add_dependency(worker)
'''

MODULE = '''"""Pipeline stage {i}: extract, transform and load one slice of the data."""

import asyncio
from dataclasses import dataclass

import flyte
import flyte.errors

from {pkg}.envs import driver, worker
from {pkg}.stage_{prev} import transform_{prev}

SCALE = {i}


@dataclass
class Row{i}:
    key: str
    value: float


def _normalize(values: list[float]) -> list[float]:
    top = max(values) if values else 1.0
    return [v / top for v in values]


@worker.task(retries=3, timeout=600)
async def extract_{i}(day: str, limit: int = 100) -> list[float]:
    rows = [float(len(day) * k + SCALE) for k in range(limit)]
    return _normalize(rows)


@worker.task(cache="auto")
async def transform_{i}(values: list[float], factor: float = 2.0) -> list[float]:
    return [v * factor for v in values if v > 0]


@worker.task
def summarize_{i}(values: list[float]) -> Row{i}:
    return Row{i}(key="stage-{i}", value=sum(values) / max(len(values), 1))


@driver.task
async def main_{i}(days: list[str], factor: float = 1.5) -> float:
    extracted = await asyncio.gather(*[extract_{i}(day=d) for d in days])
    with flyte.group("transform"):
        transformed = [await transform_{i}(values=v, factor=factor) for v in extracted]
    previous = await transform_{prev}(values=transformed[0])
    try:
        row = await summarize_{i}.aio(values=previous)
    except flyte.errors.RuntimeUserError as e:
        if e.code != "ValueError":
            raise
        return 0.0
    if row.value > 1.0:
        return row.value * factor
    return row.value
'''


def generate(root: Path, modules: int) -> list[Path]:
    pkg = root / "pipeline"
    pkg.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    (pkg / "__init__.py").write_text("")
    (pkg / "envs.py").write_text(ENVS)
    files = []
    for i in range(modules):
        f = pkg / f"stage_{i}.py"
        # modules come in packages of ten: each imports the first module of its ten
        head = (i // 10) * 10
        prev = head if head != i else (i + 1) % modules
        f.write_text(MODULE.format(i=i, prev=prev, pkg="pipeline"))
        files.append(f)
    return files


def median_time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        gc.collect()  # each repetition starts from a clean heap, as a new process would
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def interleaved(fns, repeat: int) -> tuple[float, ...]:  # type: ignore[no-untyped-def]
    """Medians of several measurements taken in turns, so that a machine that is slower
    for a while (a busy neighbour on a shared host) slows them all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            gc.collect()
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return tuple(statistics.median(ts) for ts in times)


def throughput(
    files: list[Path], root: Path, repeat: int
) -> tuple[float, float, float, float]:
    import libcst

    from flytec.analyzer.check import check_paths
    from flytec.config import Config

    sources = [f.read_text() for f in files]

    def bare() -> None:
        for s in sources:
            libcst.parse_module(s)

    def cold() -> None:
        check_paths(files, Config(cache=False), cwd=root)

    def cold_one_process() -> None:
        check_paths(files, Config(cache=False, jobs=1), cwd=root)

    cache_root = root / ".flytec_cache"

    def warm() -> None:
        check_paths(files, Config(cache=True), cwd=root)

    shutil.rmtree(cache_root, ignore_errors=True)
    warm()  # fill the cache
    return interleaved([bare, cold, cold_one_process, warm], repeat)  # type: ignore[return-value]


def wall(cmd: list[str], cwd: Path, repeat: int) -> float:
    def run() -> None:
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return median_time(run, repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--modules", type=int, default=1000)
    ap.add_argument("--throughput-files", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    flytec = shutil.which("flytec") or str(Path(sys.executable).parent / "flytec")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python"
          f" {platform.python_version()}, {platform.system()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = generate(root, args.modules)
        sample = files[: args.throughput_files]
        bare, cold, cold1, warm = throughput(sample, root, args.repeat)
        n = len(sample)
        print(f"\n1. throughput over {n} Flyte modules (median of {args.repeat}):")
        print(f"   bare libcst.parse_module   {bare * 1000:8.1f} ms  ({bare / n * 1000:.2f} ms/file)")
        from flytec.compiler.frontend.parallel import available_jobs

        jobs = available_jobs(0)
        print(f"   flytec check, cold         {cold * 1000:8.1f} ms  ({cold / n * 1000:.2f} ms/file,"
              f" {jobs} parse processes: the default)")
        print(f"   flytec check, cold, -j 1   {cold1 * 1000:8.1f} ms  ({cold1 / n * 1000:.2f} ms/file,"
              " one process)")
        print(f"   flytec check, warm cache   {warm * 1000:8.1f} ms  ({warm / n * 1000:.2f} ms/file)")
        ratio = bare / cold
        print(f"   throughput ratio flytec/libcst (cold): {ratio:.2f}  (target >= 0.50)"
              f" {'OK' if ratio >= 0.5 else 'MISSED'}")
        print(f"   the same in one process (-j 1):        {bare / cold1:.2f}")

        # pre-commit: an earlier run cached every module; 5 files change
        subprocess.run([flytec, "check", "pipeline", "--fail-on", "never"], cwd=root,
                       stdout=subprocess.DEVNULL)
        changed = files[10:15]
        for f in changed:
            f.write_text(f.read_text() + "\n# edited\n")
        rel = [str(f.relative_to(root)) for f in changed]
        cmd = [flytec, "check", *rel, "--fail-on", "never"]

        def precommit() -> None:
            for f in changed:  # each repeat sees new content: a cache miss for those 5
                f.write_text(f.read_text() + "#\n")
            subprocess.run(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        pre = median_time(precommit, args.repeat)
        base = wall([sys.executable, "-c", "pass"], root, args.repeat)
        print(f"\n2. pre-commit: 5 changed files of a {args.modules}-module project"
              f" (subprocess, start-up included):")
        print(f"   python -c pass              {base * 1000:8.1f} ms")
        print(f"   flytec check <5 files>      {pre * 1000:8.1f} ms  ({pre / base:.1f}x python"
              f" start-up)  target < 500 ms {'OK' if pre < 0.5 else 'MISSED'}")

        ver = wall([flytec, "--version"], root, args.repeat)
        print("\n3. start-up:")
        print(f"   flytec --version            {ver * 1000:8.1f} ms  ({ver / base:.1f}x python"
              f" start-up)  target < 150 ms {'OK' if ver < 0.15 else 'MISSED'}")


if __name__ == "__main__":
    main()
