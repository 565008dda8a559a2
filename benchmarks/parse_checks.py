"""What the pre-parse guard and CPython's compile check cost the frontend.

    python benchmarks/parse_checks.py [--modules 200] [--repeat 7]

Parses examples/ and --modules generated Flyte modules (benchmarks/check_speed.py's) with the
whole frontend (``parse_bytes``: guard, ``ast``, libcst, CPython's compile check, lowering),
in one process, cold (no IR cache), in turns with the same frontend with the guard and the
compile check switched off; medians of --repeat. Prints each as a ratio of the baseline.
A cache hit (a file whose content flytec has seen) runs neither.

Target: both checks together under 10% of the frontend.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import check_speed  # noqa: E402

from flytec.compiler.frontend import parse  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--modules", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted((HERE.parent / "examples").rglob("*.py"))
        files += check_speed.generate(Path(tmp), args.modules)
        data = [(str(p), p.read_bytes()) for p in files]
    real_guard, real_compile = parse.check_cost, parse.compile_error

    def frontend() -> None:
        for path, blob in data:
            parse.parse_bytes(blob, path, "m", False)

    def run(with_checks: bool) -> float:
        if with_checks:
            parse.check_cost, parse.compile_error = real_guard, real_compile
        else:
            parse.check_cost = lambda source, path: None  # type: ignore[assignment]
            parse.compile_error = lambda tree, path: None  # type: ignore[assignment]
        t = time.perf_counter()
        frontend()
        return time.perf_counter() - t

    frontend()  # warm-up: imports, first-call costs
    on: list[float] = []
    off: list[float] = []
    for _ in range(args.repeat):
        off.append(run(False))
        on.append(run(True))
    parse.check_cost, parse.compile_error = real_guard, real_compile
    base, full = statistics.median(off), statistics.median(on)
    print(f"{len(data)} files ({sum(len(b) for _, b in data) // 1024} KB), medians of "
          f"{args.repeat}, in turns, Python {sys.version.split()[0]}")
    print(f"frontend without guard and compile check  {base * 1000:8.1f} ms")
    print(f"frontend with both (as shipped)           {full * 1000:8.1f} ms  "
          f"ratio {full / base:.3f}")
    verdict = "ok" if full / base <= 1.10 else "MISSED"
    print(f"target: ratio <= 1.10: {verdict}")


if __name__ == "__main__":
    main()
