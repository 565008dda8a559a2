"""What outputs cost `flytec check` on a notebook: the same code cells with no outputs, and
with about 50 MB of them (a base64 PNG and a long text stream, as Jupyter stores them).

    python benchmarks/notebooks.py [--megabytes 50] [--repeat 5]

Every figure is `flytec check FILE` as a subprocess, start-up included (as pre-commit runs
it), cold (no `.flytec_cache`) and warm (nothing changed); the same code as a `.py` file is
the baseline. Measured in turns, medians printed, with ratios against the `.py` file in the
same run, wall and CPU time. Issue 13 asks that a notebook with 50 MB of outputs check as
fast as its code: outputs are never decoded into anything flytec looks at, but a notebook's
cache key is its content, so a warm run still reads and hashes the 50 MB, and a cold run
parses the JSON once (the standard library's C parser).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.notebooks.nbwrite import write  # noqa: E402
from tests.notebooks.test_outputs import huge_outputs  # noqa: E402

CODE = [
    ("code", "import asyncio\n\nimport flyte\n\nenv = flyte.TaskEnvironment(name='bench')\n"),
    *[("code", f"@env.task\nasync def step{i}(n: int) -> int:\n    return n + {i}\n")
      for i in range(40)],
    ("code", "@env.task\nasync def main(n: int) -> list[int]:\n"
             "    return list(await asyncio.gather(*[step0(n), step1(n)]))\n"),
]


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run: on a shared machine the CPU time is
    the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--megabytes", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="flytec-nb-bench-"))
    try:
        (work / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
        py = work / "code.py"
        py.write_text("\n".join(src for _, src in CODE))
        small = write(work / "small.ipynb", CODE)
        outputs = huge_outputs(args.megabytes)
        big = write(work / "big.ipynb", CODE, outputs={len(CODE): outputs[3] + outputs[4]})
        files = {"code.py": py, "notebook, no outputs": small,
                 f"notebook, {big.stat().st_size / 1e6:.0f} MB": big}
        times: dict[tuple[str, str, int], list[float]] = {}
        flytec = [sys.executable, "-m", "flytec", "check"]
        for _ in range(args.repeat):
            for name, f in files.items():
                shutil.rmtree(work / ".flytec_cache", ignore_errors=True)
                for mode in ("cold", "warm"):
                    for i, t in enumerate(timed([*flytec, f.name], work)):
                        times.setdefault((name, mode, i), []).append(t)
        for i, what in enumerate(("wall", "CPU")):
            print(f"flytec check, {what} seconds, median of {args.repeat} (ratio to code.py)")
            for name in files:
                cells = []
                for mode in ("cold", "warm"):
                    t = statistics.median(times[(name, mode, i)])
                    base = statistics.median(times[("code.py", mode, i)])
                    cells.append(f"{mode} {t:6.3f} s ({t / base:4.2f}x)")
                print(f"  {name:<24} " + "   ".join(cells))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
