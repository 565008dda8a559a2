"""How `flytec check` scales with the project: cold, warm, pre-commit and many tasks.

    python benchmarks/incremental.py [--sizes 1000,3000,10000] [--tasks 2000,20000] [--repeat 3]

Projects are generated (benchmarks/projects.py: 20% Flyte modules, each importing two
others) under a temporary directory. Every figure is `flytec check` as a subprocess, start-up
included, as pre-commit runs it:

- cold: no `.flytec_cache` at all;
- warm: nothing changed since the last run;
- pre-commit: 5 Flyte modules edited, only those 5 passed;
- many tasks: one file with N trivial tasks, cold.

Measurements are taken in turns (one of each, then again), medians printed, with ratios
against the smallest size measured in the same run, and each run's peak memory (RSS).
Targets (issue 11): warm 10k <= 1.0 s and <= 3x warm 1k; pre-commit 10k <= 0.5 s and <= 1.5x
pre-commit 1k; cold 10k <= 11x cold 1k; 20k tasks <= 10x 2k tasks; peak memory at 10k < 400 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from projects import flyte_indices, module_path, write_many_tasks, write_project  # noqa: E402

FLYTEC = [sys.executable, "-m", "flytec", "check"]


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(after, before) / 1024  # ru_maxrss is the max over children so far


def peak_of(args: list[str], cwd: Path) -> float:
    """Peak RSS in MB of one run, measured alone (GNU time when present)."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if os.path.exists(gnu_time):
        out = subprocess.run([gnu_time, "-f", "%M", *args], cwd=cwd, capture_output=True,
                             text=True, check=False)
        try:
            return int(out.stderr.strip().splitlines()[-1]) / 1024
        except (ValueError, IndexError):
            pass
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,3000,10000")
    ap.add_argument("--tasks", default="2000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    task_counts = [int(s) for s in args.tasks.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="flytec-inc-"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}")
    figures: dict[str, list[float]] = {}
    jobs: list[tuple[str, Callable[[], float]]] = []
    projects: dict[int, Path] = {}
    for n in sizes:
        root = tmp / f"p{n}"
        write_project(root, n)
        projects[n] = root
        subprocess.run([*FLYTEC, "."], cwd=root, capture_output=True, check=False)  # warm up

        def cold(root: Path = root) -> float:
            shutil.rmtree(root / ".flytec_cache", ignore_errors=True)
            wall = timed([*FLYTEC, "."], root)[0]
            return wall

        def warm(root: Path = root) -> float:
            return timed([*FLYTEC, "."], root)[0]

        def precommit(root: Path = root, n: int = n) -> float:
            picks = flyte_indices(n)[1::max(1, len(flyte_indices(n)) // 5)][:5]
            files = [module_path(root, i) for i in picks]
            stamp = time.time_ns()
            for f in files:
                f.write_text(f.read_text() + f"\n# edited {stamp}\n")
            return timed([*FLYTEC, *[str(f.relative_to(root)) for f in files]], root)[0]

        jobs += [(f"cold {n}", cold), (f"warm {n}", warm), (f"pre-commit {n}", precommit)]
    for t in task_counts:
        d = tmp / f"t{t}"
        d.mkdir()
        (d / "pyproject.toml").write_text("[project]\nname = 'many'\n")
        write_many_tasks(d / "tasks.py", t)

        def many(d: Path = d) -> float:
            return timed([*FLYTEC, "tasks.py", "--no-cache"], d)[0]

        jobs.append((f"tasks {t}", many))
    for _ in range(args.repeat):
        for name, job in jobs:
            figures.setdefault(name, []).append(job())
    med = {k: statistics.median(v) for k, v in figures.items()}
    base = sizes[0]
    print(f"\nmedians of {args.repeat} (seconds, ratio against the {base}-module run):")
    for kind in ("cold", "warm", "pre-commit"):
        for n in sizes:
            v = med[f"{kind} {n}"]
            print(f"  {kind:<10} {n:>6} modules: {v:6.2f} s  ({v / med[f'{kind} {base}']:.2f}x)")
    for t in task_counts:
        v = med[f"tasks {t}"]
        print(f"  one file, {t:>6} tasks: {v:6.2f} s  "
              f"({v / med[f'tasks {task_counts[0]}']:.2f}x)")
    print("\npeak memory (MB, one run each):")
    for n in sizes:
        root = projects[n]
        shutil.rmtree(root / ".flytec_cache", ignore_errors=True)
        print(f"  cold {n:>6}: {peak_of([*FLYTEC, '.'], root):6.0f}    "
              f"warm {n:>6}: {peak_of([*FLYTEC, '.'], root):6.0f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
