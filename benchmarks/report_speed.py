"""``flytec report`` on a real corpus: how long the review site takes, against ``flytec check``
and ``flytec build`` of the same tree measured in the same run.

    python benchmarks/report_speed.py [--corpus DIR] [--repeat 3]

The corpus defaults to flyte-sdk's ``examples/`` unpacked at /tmp/flyte-sdk/examples (529
Python files); get it with

    git clone --depth 1 https://github.com/flyteorg/flyte-sdk /tmp/flyte-sdk

It is copied into a temporary project (a ``pyproject.toml`` of its own, so the cache lands
there), and each command runs as a subprocess (the command a user types, start-up included),
in turns, median of --repeat rounds:

* cold: ``.flytec_cache/`` removed before every run (every file parsed, in one process per
  core as by default);
* warm: after a first run filled ``.flytec_cache/`` (the IR of every module is read back).

Every time is printed with its ratio to ``flytec check`` and ``flytec build`` in the same
state. ``report`` analyses as ``build`` does (check, then every task's plan) but writes and
validates no plan files; it draws each workflow with Graphviz and writes the pages instead.

Target: the cold report of the corpus in well under a minute (at most 30 s).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path("/tmp/flyte-sdk/examples")
TARGET = 30.0


def run(args: list[str], cwd: Path) -> float:
    env = dict(os.environ)
    repo = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = repo + os.pathsep + env.get("PYTHONPATH", "")
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "flytec", *args], cwd=cwd, env=env,
                       capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if r.returncode not in (0, 1):  # 1: check and build found errors in the corpus
        sys.exit(f"flytec {' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}: git clone --depth 1 "
                 "https://github.com/flyteorg/flyte-sdk /tmp/flyte-sdk (or give --corpus DIR)")
    with tempfile.TemporaryDirectory(prefix="flytec-report-bench-") as tmp:
        root = Path(tmp)
        shutil.copytree(args.corpus, root / "examples")
        (root / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
        files = sum(1 for _ in (root / "examples").rglob("*.py"))
        commands = {
            "check": ["check", "examples", "-q", "--fail-on", "never"],
            "build": ["build", "examples", "-q", "-o", "plans"],
            "report": ["report", "examples", "-q", "-o", "site"],
        }
        times: dict[tuple[str, str], list[float]] = {}
        for state in ("cold", "warm"):
            if state == "warm":
                for cmd in commands.values():  # fill the cache
                    run(cmd, root)
            for _ in range(args.repeat):  # in turns: a drifting machine slows all alike
                for name, cmd in commands.items():
                    if state == "cold":
                        shutil.rmtree(root / ".flytec_cache", ignore_errors=True)
                    times.setdefault((state, name), []).append(run(cmd, root))
        pages = sum(1 for _ in (root / "site").rglob("*.html"))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"flytec report of {args.corpus} ({files} Python files, {pages} pages), "
          f"median of {args.repeat}, in turns; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"{'':<8}{'command':<10}{'seconds':>9}{'x check':>9}{'x build':>9}")
    for state in ("cold", "warm"):
        for name in commands:
            t = med[(state, name)]
            print(f"{state:<8}{name:<10}{t:>9.2f}{t / med[(state, 'check')]:>9.2f}"
                  f"{t / med[(state, 'build')]:>9.2f}")
    cold = med[("cold", "report")]
    verdict = "ok" if cold <= TARGET else "over the target"
    print(f"cold report {cold:.1f} s (target <= {TARGET:g} s): {verdict}")


if __name__ == "__main__":
    main()
