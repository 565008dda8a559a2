"""What ``flytec check --types`` costs: mypy on the files, cold and warm, against baselines.

Every measurement is a fresh process (as a pre-commit hook or CI step would be), timed from
outside, repeated; the table shows medians.  Scenarios:

* ``python -c pass``: interpreter start-up, the floor of any command.
* ``libcst parse``: import flytec and libcst and parse every file -- a stand-in for
  ``flytec check`` without ``--types`` until the CLI exists.
* ``types cold``: a copy of the files with no ``.flytec_cache`` at all (first run, fresh CI).
* ``types, mypy warm``: flytec's result cache removed, mypy's own cache kept (every file
  edited since the last run).
* ``types warm``: nothing changed since the last run (results served from flytec's cache).

The child processes end with ``os._exit`` once the results are printed, as mypy's own CLI
does: freeing mypy's build at a normal interpreter exit costs about a second more (measured
separately as "no fast exit").

With ``FLYTEC_REAL_FLYTE_PYTHON`` set (a Python that has ``flyte``), the cold and mypy-warm
runs are repeated with the real SDK instead of flytec's stubs.

    python benchmarks/types_cost.py [--files DIR] [--repeat N]
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

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILES = REPO / "tests" / "types" / "fixtures" / "proj"

_PARSE = """
import sys
from pathlib import Path
import libcst
import flytec
for p in sorted(Path(sys.argv[1]).rglob("*.py")):
    libcst.parse_module(p.read_bytes())
"""

_CHECK = """
import sys
from pathlib import Path
from flytec.analyzer.types import TypeCheckOptions, check_types
root = Path(sys.argv[1])
files = sorted(p for p in root.rglob("*.py") if ".flytec_cache" not in p.parts)
python = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "--normal-exit" else None
options = TypeCheckOptions(stubs=sys.argv[2], python_executable=python)
result = check_types(files, root, options)
print(len(files), result.checked, result.cached, len(result.diagnostics), flush=True)
if sys.argv[-1] != "--normal-exit":
    import os
    os._exit(0)  # what mypy's own CLI does: skip freeing the build at interpreter exit
"""


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _fresh_copy(source: Path, base: Path, index: int) -> Path:
    target = base / f"copy{index}"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".flytec_cache"))
    return target


def _measure(files: Path, repeat: int, stubs: str, python: str | None) -> dict[str, float]:
    extra = [python] if python else []
    times: dict[str, list[float]] = {"cold": [], "mypy_warm": [], "warm": [], "slow_exit": []}
    with tempfile.TemporaryDirectory(prefix="flytec-bench-") as tmp:
        for i in range(repeat):
            root = _fresh_copy(files, Path(tmp), i)
            check = [sys.executable, "-c", _CHECK, str(root), stubs, *extra]
            times["cold"].append(_timed(check))
            shutil.rmtree(root / ".flytec_cache" / "types")
            times["mypy_warm"].append(_timed(check))
            times["warm"].append(_timed(check))
            shutil.rmtree(root / ".flytec_cache")
            times["slow_exit"].append(_timed([*check, "--normal-exit"]))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=Path, default=DEFAULT_FILES, help="directory to check")
    parser.add_argument("--repeat", type=int, default=5, help="runs per scenario (median)")
    args = parser.parse_args()
    files: Path = args.files.resolve()
    count = len([p for p in files.rglob("*.py") if ".flytec_cache" not in p.parts])
    lines = sum(
        len(p.read_text(errors="replace").splitlines())
        for p in files.rglob("*.py")
        if ".flytec_cache" not in p.parts
    )

    startup = statistics.median(_timed([sys.executable, "-c", "pass"]) for _ in range(args.repeat))
    parse = statistics.median(
        _timed([sys.executable, "-c", _PARSE, str(files)]) for _ in range(args.repeat)
    )
    stubs = _measure(files, args.repeat, "always", None)
    real_python = os.environ.get("FLYTEC_REAL_FLYTE_PYTHON")
    real = _measure(files, args.repeat, "never", real_python) if real_python else None

    import mypy.version

    print(f"files: {files} ({count} files, {lines} lines); median of {args.repeat} runs")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or '?'}; "
        f"Python {platform.python_version()}, mypy {mypy.version.__version__}"
    )
    print(f"{'scenario':<34}{'median s':>10}")
    rows = [
        ("python -c pass", startup),
        ("libcst parse (no --types)", parse),
        ("--types cold (stubs)", stubs["cold"]),
        ("--types, mypy warm (stubs)", stubs["mypy_warm"]),
        ("--types warm (stubs)", stubs["warm"]),
        ("--types cold (stubs), no fast exit", stubs["slow_exit"]),
    ]
    if real is not None:
        rows += [
            ("--types cold (real flyte)", real["cold"]),
            ("--types, mypy warm (real flyte)", real["mypy_warm"]),
            ("--types warm (real flyte)", real["warm"]),
        ]
    for name, seconds in rows:
        print(f"{name:<34}{seconds:>10.2f}")


if __name__ == "__main__":
    main()
