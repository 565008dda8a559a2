"""``flytec build`` on a chain of tasks, each awaiting the previous: is it linear?

    python benchmarks/build_chain.py [--sizes 200,500,1000,2000] [--repeat 3]

Generates, under a temporary directory, one file per size N with N tasks where task ``t<i>``
awaits ``t<i-1>`` (a call chain N deep), and, for contrast, one file of N independent tasks.
Times ``flytec build -q`` on each as a subprocess (the command a user types, start-up
included), cold, in turns, median of --repeat rounds, and prints every time as a ratio
against the 200-task chain measured in the same run, with and without the start-up
(``flytec build`` of a one-task file, measured the same way).

Target: the 2,000-task chain builds in at most 10x the time of the 200-task chain.

The plans themselves grow faster than N: each task's plan lists what its code hash covers
(``source.hashed``: every function it reaches, here every task below it), so the plans of a
chain hold N*(N+1)/2 entries in all. The figures include writing them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = 'import flyte\n\nenv = flyte.TaskEnvironment(name="chain")\n'


def chain(n: int) -> str:
    out = [HEADER, "\n@env.task\nasync def t0(x: int) -> int:\n    return x + 1\n"]
    for i in range(1, n):
        out.append(f"\n@env.task\nasync def t{i}(x: int) -> int:\n"
                   f"    return await t{i - 1}(x) + 1\n")
    return "".join(out)


def independent(n: int) -> str:
    out = [HEADER]
    for i in range(n):
        out.append(f"\n@env.task\nasync def t{i}(x: int) -> int:\n    return x + 1\n")
    return "".join(out)


def build_once(file: Path) -> float:
    env = dict(os.environ)
    repo = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = repo + os.pathsep + env.get("PYTHONPATH", "")
    out = file.parent / f"out-{file.stem}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(file.parent / ".flytec_cache", ignore_errors=True)  # every run cold
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "flytec", "build", "-q", "-o", str(out),
                        file.name], cwd=file.parent, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"flytec build {file.name} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="200,500,1000,2000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = sorted({200, *(int(s) for s in args.sizes.split(","))})
    with tempfile.TemporaryDirectory(prefix="flytec-chain-") as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[project]\nname = 'chain'\n")
        files: list[tuple[str, int, Path]] = []
        one = root / "one.py"
        one.write_text(chain(1))
        for n in sizes:
            f = root / f"chain{n}.py"
            f.write_text(chain(n))
            files.append(("chain", n, f))
        big = max(sizes)
        f = root / f"independent{big}.py"
        f.write_text(independent(big))
        files.append(("independent", big, f))
        # in turns (every file once per round), so a machine whose speed drifts slows all alike
        times: dict[Path, list[float]] = {f: [] for f in [one, *(f for _, _, f in files)]}
        for _ in range(args.repeat):
            for f in times:
                times[f].append(build_once(f))
        start = statistics.median(times[one])
        results = [(kind, n, statistics.median(times[f])) for kind, n, f in files]
    base = next(t for kind, n, t in results if kind == "chain" and n == 200)
    print(f"flytec build, cold, in turns, median of {args.repeat}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; "
          f"start-up (one task): {start:.2f} s")
    print(f"{'file':<20}{'seconds':>9}{'x 200-chain':>13}{'x without start-up':>20}")
    for kind, n, t in results:
        net = (t - start) / max(base - start, 1e-9)
        print(f"{kind + ' ' + str(n):<20}{t:>9.2f}{t / base:>13.1f}{net:>20.1f}")
    top = next(t for kind, n, t in results if kind == "chain" and n == big)
    verdict = "ok" if top / base <= 10 * big / 2000 else "over the target"
    print(f"chain {big} / chain 200 = {top / base:.1f} (target <= {10 * big / 2000:g}): {verdict}")


if __name__ == "__main__":
    main()
