"""What the pre-parse guard and CPython's compile check cost the frontend.

    python benchmarks/parse_checks.py [--modules 200] [--repeat 7]

Parses examples/ and --modules generated Flyte modules (benchmarks/check_speed.py's) with the
whole frontend (``parse_bytes``: guard, ``ast``, libcst, CPython's compile check, lowering),
in one process, cold (no IR cache), and times the guard and the compile check alone over the
same files, in turns, medians of --repeat; prints each as a share of the frontend. A cache
hit (a file whose content flytec has seen) runs neither.

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
from flytec.compiler.frontend.cpython import compile_error, parse_ast  # noqa: E402
from flytec.compiler.frontend.guard import check_cost  # noqa: E402


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
    sources = [(path, blob.decode("utf-8")) for path, blob in data]
    trees = [(path, parse_ast(source)) for path, source in sources]

    def frontend() -> None:
        for path, blob in data:
            parse.parse_bytes(blob, path, "m", False)

    def guard() -> None:
        for path, source in sources:
            check_cost(source, path)

    def compiler() -> None:
        for path, tree in trees:
            compile_error(tree, path)

    steps = {"frontend (as shipped)": frontend, "pre-parse guard": guard,
             "CPython compile check": compiler}
    frontend()  # warm-up: imports, first-call costs
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.repeat):  # in turns, so a machine whose speed drifts slows all alike
        for name, fn in steps.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    base = med["frontend (as shipped)"]
    print(f"{len(data)} files ({sum(len(b) for _, b in data) // 1024} KB), medians of "
          f"{args.repeat}, in turns, Python {sys.version.split()[0]}")
    for name, t in med.items():
        print(f"{name:<26}{t * 1000:9.1f} ms  {t / base * 100:5.1f}% of the frontend")
    share = (med["pre-parse guard"] + med["CPython compile check"]) / base
    print(f"target: both checks under 10% of the frontend: {share * 100:.1f}% "
          f"{'ok' if share < 0.10 else 'MISSED'}")

if __name__ == "__main__":
    main()
