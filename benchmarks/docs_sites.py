"""What flytec's pictures cost a Sphinx build: a site of PAGES pages, each drawing
``examples/etl.py::main`` with the ``flytec-graph`` directive, against the same pages
without the directive (the baseline) in the same run.

    python benchmarks/docs_sites.py [--pages 20] [--repeat 3]

Every figure is ``sphinx-build -E -b html`` as a subprocess (a full build), with no
``.flytec_cache`` (cold) and with the cache the previous build left (warm), plus ``-j 2``
warm; then the incremental rebuild after an edit to etl.py (only the pages that draw it are
read again) against a rebuild with nothing changed. Medians printed, wall and CPU time,
with ratios against the baseline.
"""

from __future__ import annotations

import argparse
import os
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

PAGE = """Page {n}
=======

The nightly ETL, page {n}: it extracts each day's orders, transforms them and loads them.

{picture}
"""
PICTURE = ".. flytec-graph:: ../examples/etl.py::main\n   :caption: The nightly ETL\n"


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"sphinx-build failed:\n{p.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def site(root: Path, pages: int, picture: bool) -> Path:
    (root / "examples").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    shutil.copy(ROOT / "examples" / "etl.py", root / "examples" / "etl.py")
    docs = root / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text('extensions = ["flytec.sphinx"]\nproject = "bench"\n')
    names = [f"page{n}" for n in range(pages)]
    (docs / "index.rst").write_text("Bench\n=====\n\n.. toctree::\n\n"
                                    + "".join(f"   {n}\n" for n in names))
    for n in range(pages):
        (docs / f"page{n}.rst").write_text(PAGE.format(n=n, picture=PICTURE if picture else ""))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    work = Path(tempfile.mkdtemp(prefix="flytec-docs-bench-"))
    sphinx = [sys.executable, "-m", "sphinx", "-q", "-b", "html"]
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    try:
        sites = {kind: site(work / kind, args.pages, kind == "pictures")
                 for kind in ("baseline", "pictures")}
        for _ in range(args.repeat):
            for kind, docs in sites.items():
                out = str(docs.parent / "html")
                shutil.rmtree(docs.parent / ".flytec_cache", ignore_errors=True)
                for mode, extra in (("full, cold", []), ("full, warm", []),
                                    ("full, warm, -j 2", ["-j", "2"])):
                    times.setdefault((kind, mode), []).append(
                        timed([*sphinx, "-E", *extra, str(docs), out], env))
                times.setdefault((kind, "rebuild, nothing changed"), []).append(
                    timed([*sphinx, str(docs), out], env))
                etl = docs.parent / "examples" / "etl.py"
                etl.write_text(etl.read_text() + "\n# edited\n")
                later = time.time() + 5
                os.utime(etl, (later, later))
                times.setdefault((kind, "rebuild, etl.py edited"), []).append(
                    timed([*sphinx, str(docs), out], env))
        modes = list(dict.fromkeys(m for _, m in times))
        for i, what in enumerate(("wall", "CPU")):
            print(f"sphinx-build, {args.pages} pages, {what} seconds, median of {args.repeat}")
            print(f"  {'':28} {'baseline':>9} {'pictures':>9} {'ratio':>6}")
            for mode in modes:
                base = statistics.median(t[i] for t in times[("baseline", mode)])
                pics = statistics.median(t[i] for t in times[("pictures", mode)])
                print(f"  {mode:28} {base:9.2f} {pics:9.2f} {pics / base:6.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
