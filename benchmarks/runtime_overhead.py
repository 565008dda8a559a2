"""``flytec run`` against bare asyncio and the real flyte SDK's local mode: per task and end to end.

    python benchmarks/runtime_overhead.py [--repeats 3] [--sizes 100,1000,10000] [--big 100000]
                                          [--no-flyte]

One driver task fans out N trivial async tasks with ``asyncio.gather``. Each measurement runs
in a fresh process (so peak memory is per measurement), in turns:

* ``asyncio``: bare ``asyncio.gather`` over the same coroutine function (the floor);
* ``flytec``: flytec's runtime with its defaults (SQLite store, recovery journaling on);
* ``flyte``: ``flyte.with_runcontext(mode="local").run(...)`` from the real SDK (flyte 2.12.1,
  from ``$FLYTEC_REAL_FLYTE_PYTHON``, else the repository's ``.venv-flyte`` that ``make test``
  installs, created here if missing).

Two figures per side, like for like:

* **per task**: the run alone, in-process, after the program is loaded (flytec: after its plan
  is built; the SDK: after ``flyte.init()`` and a warm-up run of N=1, so its one-time set-up
  is not spread over the tasks), divided by N;
* **end to end**: process start to result, timed around the command a user types:
  ``flytec run --no-progress bench_fanout.py::main --n N`` and
  ``flyte run --local bench_fanout.py main --n N`` (imports, loading, plan building included).

Targets: flytec within 10x of bare asyncio per task, at least 15x faster than flyte's local mode
per task from N=1,000 (at N=100 fixed costs dominate both), and 100,000 tasks in under 10 s
with peak memory under 500 MB. End to end has no target; it is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLYTE_VENV = HERE.parent / ".venv-flyte"  # the Makefile's (`make flyte`)
FLYTE_VERSION = "2.12.1"

PROGRAM = """
import asyncio
import flyte

env = flyte.TaskEnvironment(name="bench")


@env.task
async def leaf(i: int) -> int:
    return i


@env.task
async def main(n: int) -> int:
    return sum(await asyncio.gather(*[leaf(i) for i in range(n)]))
"""


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(kind: str, n: int, workdir: Path) -> dict[str, float]:
    """One measurement in this (fresh) process."""
    prog = workdir / "bench_fanout.py"
    prog.write_text(PROGRAM)
    if kind == "asyncio":

        async def leaf(i: int) -> int:
            return i

        async def main(n: int) -> int:
            return sum(await asyncio.gather(*[leaf(i) for i in range(n)]))

        import asyncio

        start = time.perf_counter()
        total = asyncio.run(main(n))
        seconds = time.perf_counter() - start
    elif kind == "flytec":
        from flytec.runtime.runner import RunOptions, execute

        store = workdir / "store"
        opts = RunOptions(target=f"{prog}::main", inputs={"n": n}, store=str(store), progress=False)
        outcome = execute(opts)
        assert outcome.status == "SUCCEEDED", outcome.error
        total, seconds = outcome.result, outcome.duration
    elif kind == "flyte":
        import importlib.util
        import logging

        logging.disable(logging.WARNING)
        import flyte  # type: ignore[import-not-found,unused-ignore]

        spec = importlib.util.spec_from_file_location("bench_fanout", prog)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_fanout"] = module
        spec.loader.exec_module(module)
        flyte.init()
        flyte.with_runcontext(mode="local").run(module.main, n=1)  # warm-up: one-time set-up
        start = time.perf_counter()
        run = flyte.with_runcontext(mode="local").run(module.main, n=n)
        seconds = time.perf_counter() - start
        out = run.outputs()
        total = out[0] if isinstance(out, tuple) else getattr(out, "o0", out)
    else:
        raise SystemExit(f"unknown kind {kind}")
    assert int(total) == n * (n - 1) // 2, total
    return {"seconds": seconds, "peak_mb": _peak_mb()}


def ensure_flyte_venv() -> Path | None:
    configured = os.environ.get("FLYTEC_REAL_FLYTE_PYTHON")
    if configured and Path(configured).exists():
        return Path(configured)
    python = FLYTE_VENV / "bin" / "python"
    if python.exists():
        return python
    print(f"creating {FLYTE_VENV} with flyte=={FLYTE_VERSION} ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(FLYTE_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"flyte=={FLYTE_VERSION}"], check=True
        )
        (FLYTE_VENV / f".flyte-{FLYTE_VERSION}").touch()  # the Makefile's stamp
    except subprocess.CalledProcessError as exc:
        print(f"cannot install flyte: {exc}", file=sys.stderr)
        return None
    return python


def end_to_end(python: str, kind: str, n: int) -> float:
    """Seconds from process start to result for the CLI command of ``kind``."""
    with tempfile.TemporaryDirectory() as tmp:
        prog = Path(tmp) / "bench_fanout.py"
        prog.write_text(PROGRAM)
        env = dict(os.environ)
        env.pop("FLYTEC_HOME", None)
        if kind == "flytec":
            env["PYTHONPATH"] = str(HERE.parent)
            argv = [python, "-m", "flytec", "run", "--no-progress", "--store",
                    str(Path(tmp) / "store"), f"{prog}::main", "--n", str(n)]
        else:
            env["HOME"] = tmp  # a fresh local cache
            argv = [str(Path(python).parent / "flyte"), "run", "--local", str(prog), "main",
                    "--n", str(n)]
        start = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp, timeout=900)
        seconds = time.perf_counter() - start
        if proc.returncode != 0 or str(n * (n - 1) // 2) not in proc.stdout:
            tail = proc.stdout[-1000:] + proc.stderr[-2000:]
            raise RuntimeError(f"{kind} CLI N={n} failed:\n{tail}")
        return seconds


def measure(python: str, kind: str, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = (
            {**os.environ, "PYTHONPATH": str(HERE.parent)} if kind != "flyte" else dict(os.environ)
        )
        env.pop("FLYTEC_HOME", None)
        proc = subprocess.run(
            [python, str(Path(__file__).resolve()), "--worker", kind, str(n), tmp],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
            timeout=900,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{kind} N={n} failed:\n{proc.stderr[-2000:]}")
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--big", type=int, default=100000, help="flytec-only size (0: skip)")
    parser.add_argument("--no-flyte", action="store_true", help="skip the real SDK")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "N", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, n, workdir = args.worker
        print(json.dumps(worker(kind, int(n), Path(workdir))))
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s]
    flyte_python = None if args.no_flyte else ensure_flyte_venv()
    plan: list[tuple[str, str, int]] = []
    for n in sizes:
        plan.append(("asyncio", sys.executable, n))
        plan.append(("flytec", sys.executable, n))
        if flyte_python is not None:
            plan.append(("flyte", str(flyte_python), n))
    if args.big:
        plan.append(("asyncio", sys.executable, args.big))
        plan.append(("flytec", sys.executable, args.big))

    rows: dict[tuple[str, int], dict[str, float]] = {}
    samples: dict[tuple[str, int], list[dict[str, float]]] = {}
    for _ in range(args.repeats):  # in turns, so a slow minute hits every side alike
        for kind, python, n in plan:
            sample = measure(python, kind, n)
            if kind != "asyncio" and n in sizes:
                sample["e2e"] = end_to_end(python, kind, n)
            samples.setdefault((kind, n), []).append(sample)
    for (kind, n), runs in samples.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = statistics.median(r["peak_mb"] for r in runs)
        row = {"seconds": seconds, "per_task_us": seconds / n * 1e6, "peak_mb": peak}
        if "e2e" in runs[0]:
            row["e2e"] = statistics.median(r["e2e"] for r in runs)
        rows[(kind, n)] = row
        e2e = f"  end to end {row['e2e']:7.3f} s" if "e2e" in row else ""
        print(
            f"{kind:8} N={n:>7}  {seconds:8.3f} s  {seconds / n * 1e6:9.1f} us/task  "
            f"peak {peak:7.1f} MB{e2e}",
            file=sys.stderr,
            flush=True,
        )

    print(
        f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"median of {args.repeats}\n"
    )
    print(
        "| N | asyncio us/task | flytec us/task | flyte us/task | flytec/asyncio | "
        "flyte/flytec | flytec peak MB | flyte peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    ok = True
    for n in sorted({n for _, n in rows}):
        a, c, f = rows.get(("asyncio", n)), rows.get(("flytec", n)), rows.get(("flyte", n))
        if not (a and c):
            continue
        ratio_a = c["per_task_us"] / a["per_task_us"]
        ratio_f = f"{f['per_task_us'] / c['per_task_us']:.1f}x" if f else "-"
        flyte_us = f"{f['per_task_us']:.1f}" if f else "-"
        flyte_mb = f"{f['peak_mb']:.0f}" if f else "-"
        print(
            f"| {n:,} | {a['per_task_us']:.1f} | {c['per_task_us']:.1f} | {flyte_us} | "
            f"{ratio_a:.1f}x | {ratio_f} | {c['peak_mb']:.0f} | {flyte_mb} |"
        )
        if ratio_a > 10:
            ok = False
        if f and n >= 1000 and f["per_task_us"] / c["per_task_us"] < 15:
            ok = False  # at N=100 both sides' fixed costs (event loop, store) dominate
    print("\nend to end (process start to result, the CLI a user types):\n")
    print("| N | flytec run | flyte run --local | flyte / flytec |")
    print("|---|---|---|---|")
    for n in sizes:
        c, f = rows.get(("flytec", n)), rows.get(("flyte", n))
        if not c or "e2e" not in c:
            continue
        fe = f"{f['e2e'] * 1000:,.0f} ms" if f and "e2e" in f else "-"
        ratio = f"{f['e2e'] / c['e2e']:.2f}x" if f and "e2e" in f else "-"
        print(f"| {n:,} | {c['e2e'] * 1000:,.0f} ms | {fe} | {ratio} |")
    big = rows.get(("flytec", args.big)) if args.big else None
    if big is not None:
        print(f"\nflytec {args.big:,} tasks: {big['seconds']:.2f} s, peak {big['peak_mb']:.0f} MB")
        ok = ok and big["seconds"] < 10 and big["peak_mb"] < 500
    print("\ntargets met" if ok else "\nTARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
