"""What `flytec check --fix` costs on a notebook: the same code (one un-awaited task call,
FLY103, to fix) as a `.py` file, as a notebook without outputs, and as a notebook with about
50 MB of outputs (a base64 PNG and a long text stream, as Jupyter stores them).

    python benchmarks/notebook_fix.py [--megabytes 50] [--repeat 5]

Every figure is a subprocess without the cache, start-up included: `flytec check FILE`, and
`flytec check --fix FILE` on a fresh copy of the unfixed file (copied outside the timing).
Measured in turns; medians of wall and CPU seconds, with ratios against the plain check of
the same file and against `--fix` on the `.py` file, in the same run. `--fix` checks, applies
the fix in memory, checks the fixed text again, writes the file (for a notebook: only the
edited cell's `source` is replaced in the JSON) and checks it once more from disk.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.notebooks import CODE, timed  # noqa: E402
from tests.notebooks.nbwrite import write  # noqa: E402
from tests.notebooks.test_outputs import huge_outputs  # noqa: E402

BUGGY = [*CODE[:-1], ("code", "@env.task\nasync def main(n: int) -> int:\n"
                              "    step0(n)\n    return await step1(n)\n")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--megabytes", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="flytec-nbfix-bench-"))
    try:
        (work / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
        originals = work / "originals"
        originals.mkdir()
        (originals / "code.py").write_text("\n".join(src for _, src in BUGGY))
        write(originals / "small.ipynb", BUGGY)
        outputs = huge_outputs(args.megabytes)
        big = write(originals / "big.ipynb", BUGGY,
                    outputs={len(BUGGY): outputs[3] + outputs[4]})
        files = {"code.py": "code.py", "notebook, no outputs": "small.ipynb",
                 f"notebook, {big.stat().st_size / 1e6:.0f} MB": "big.ipynb"}
        flytec = [sys.executable, "-m", "flytec", "check", "--no-cache"]
        times: dict[tuple[str, str, int], list[float]] = {}
        for _ in range(args.repeat):
            for name, f in files.items():
                for mode, extra in (("check", []), ("--fix", ["--fix"])):
                    shutil.copy(originals / f, work / f)
                    for i, t in enumerate(timed([*flytec, *extra, f], work)):
                        times.setdefault((name, mode, i), []).append(t)
        for name, f in files.items():  # the fix was made, and only in the cell's source
            fixed = (work / f).read_text(encoding="utf-8")
            assert fixed.count("await step0(n)") == 1, name
            assert len(fixed) == len((originals / f).read_text(encoding="utf-8")) + 6, name
        for i, what in enumerate(("wall", "CPU")):
            print(f"{what} seconds, median of {args.repeat}, subprocess, no cache")
            for name in files:
                check = statistics.median(times[(name, "check", i)])
                fix = statistics.median(times[(name, "--fix", i)])
                py_fix = statistics.median(times[("code.py", "--fix", i)])
                print(f"  {name:<22} check {check:6.3f} s   --fix {fix:6.3f} s"
                      f" ({fix / check:4.2f}x check, {fix / py_fix:4.2f}x --fix of code.py)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
