"""Does `flytec check --fix` hold up on real code? Fix every file of some trees and check.

    python benchmarks/fix_corpus.py [ROOT ...]      # default: examples/ and /tmp/corpus-sdk

A real corpus is not part of the repository; fetch flyte-sdk's examples first, e.g.

    git --git-dir=<flyte-sdk git dir> archive HEAD examples | tar -x -C /tmp/corpus-sdk

Each ROOT is copied to a temporary directory (the original is never written), then, once
with the safe fixes only and once with --unsafe-fixes:

1. one pass of fixes in memory: every changed line of a file is inside the span of an edit
   the fixes reported (the JSON/SARIF edits), or an import a fix added; in a notebook, of
   a cell, by the edits naming that cell, and no byte outside the cells' sources changed;
2. the full fix (bounded passes): every fixed file (every fixed cell) still parses;
   re-checking it, the fixed findings are gone and no finding of a new kind appears
   (counted, per code);
3. `flytec check --diff` then `flytec check --fix` as subprocesses: the diff printed is
   exactly the change written.

It prints counts per root and mode and exits 1 when a fixed file does not parse, a change
falls outside the reported spans, or --diff differs from what --fix writes.

With ``--timing N`` it also times, as subprocesses without the cache, in turns, N times
each: `flytec check`, `flytec check --diff` and `flytec check --diff --unsafe-fixes`, and
prints their medians and ratios against the plain check measured in the same run.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flytec.analyzer.check import check_paths  # noqa: E402
from flytec.analyzer.fix import fix_paths  # noqa: E402
from flytec.compiler.frontend.notebook import cell_parses, read_notebook  # noqa: E402
from flytec.compiler.frontend.notebook_edit import source_spans  # noqa: E402
from flytec.config import Config  # noqa: E402
from flytec.model.diagnostic import Diagnostic  # noqa: E402


def _outside_sources(original: bytes, fixed: bytes) -> bool:
    """Whether a notebook's bytes changed anywhere but in its cells' sources."""
    def rest(data: bytes) -> list[str]:
        text = data.decode("utf-8")
        out, pos = [], 0
        for a, b in sorted(source_spans(text).values()):
            out.append(text[pos:a])
            pos = b
        return [*out, text[pos:]]
    return rest(original) != rest(fixed)


def _outside_cell_edits(original: bytes, fixed: bytes, applied: list[Diagnostic]
                        ) -> list[str]:
    """A notebook's cells changed where no reported edit of that cell is."""
    before, after = dict(read_notebook(original).cells), dict(read_notebook(fixed).cells)
    bad = []
    for cell, src in before.items():
        if after.get(cell) == src:
            continue
        lines: set[int] = set()
        inserted: set[str] = set()
        for d in applied:
            for e in d.fix.edits if d.fix is not None else ():
                if e.cell == cell:
                    lines.update(range(e.span.line, e.span.end_line + 1))
                    inserted.update(x.strip() for x in e.content.splitlines())
        out = _outside_edits(src.encode(), after.get(cell, "").encode(), lines, inserted)
        bad.extend(f"cell {cell}:{n}" for n in out)
    return bad


def _parses(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError):
        return False
    return True


def _outside_edits(original: bytes, fixed: bytes, lines: set[int], inserted: set[str]
                   ) -> list[int]:
    """Original line numbers changed although no reported edit touches them. Blank lines
    may be re-paired by the diff; an inserted block must consist of edit contents."""
    a = original.decode("utf-8", "replace").splitlines()
    b = fixed.decode("utf-8", "replace").splitlines()
    bad = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        bad.extend(n for n in range(i1 + 1, i2 + 1) if n not in lines and a[n - 1].strip())
        if i1 == i2 and not all(not x.strip() or x.strip() in inserted for x in b[j1:j2]):
            bad.append(i1 + 1)
    return bad


def _flytec(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "flytec", "check", ".", "--no-cache", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)


def run_mode(src: Path, unsafe: bool) -> tuple[dict[str, object], list[str]]:
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="flytec-fix-corpus-") as tmp:
        root = Path(tmp) / "tree"
        shutil.copytree(src, root, ignore=shutil.ignore_patterns(".flytec_cache", ".git"))
        if not (root / "pyproject.toml").exists():
            (root / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
        config = Config(cache=False)
        files = sorted([*root.rglob("*.py"), *root.rglob("*.ipynb")])
        before = check_paths([root], config, cwd=root)
        fixable = Counter(d.code for d in before.diagnostics
                          if d.fix is not None and (unsafe or d.fix.safe))

        # 1. one pass: changes only where the reported edits are
        one = fix_paths([root], config, unsafe=unsafe, cwd=root, max_passes=1)
        outside = 0
        for f in one.changed():
            if f.path.suffix == ".ipynb":
                where = _outside_cell_edits(f.original, f.fixed, f.applied)
                if _outside_sources(f.original, f.fixed):
                    where.append("the JSON outside the cells' sources")
                if where:
                    outside += 1
                    failures.append(f"{f.shown}: {where[:5]} changed outside the reported"
                                    " edits")
                continue
            lines: set[int] = set()
            inserted: set[str] = set()
            for d in f.applied:
                assert d.fix is not None
                for e in d.fix.edits:
                    lines.update(range(e.span.line, e.span.end_line + 1))
                    inserted.update(x.strip() for x in e.content.splitlines())
            bad = _outside_edits(f.original, f.fixed, lines, inserted)
            if bad:
                outside += 1
                failures.append(f"{f.shown}: lines {bad[:5]} changed outside the reported edits")

        # 2. the full fix: parses, findings gone, nothing new
        full = fix_paths([root], config, unsafe=unsafe, cwd=root)
        not_parsing = 0
        for f in full.changed():
            if f.path.suffix == ".ipynb":
                cells = dict(read_notebook(f.original).cells)
                broken = [n for n, src in read_notebook(f.fixed).cells
                          if not cell_parses(src) and cell_parses(cells.get(n, ""))]
                if broken:
                    not_parsing += 1
                    failures.append(f"{f.shown}: cells {broken} do not parse after the fix")
                continue
            if not _parses(f.fixed):
                not_parsing += 1
                failures.append(f"{f.shown}: does not parse after the fix")
        fixed_codes = Counter(d.code for f in full.files.values() for d in f.applied)
        after_codes = Counter(d.code for d in full.result.diagnostics)
        before_codes = Counter(d.code for d in before.diagnostics)
        new = {c: n for c, n in (after_codes - before_codes).items() if n}
        left = {c: after_codes[c] for c in fixed_codes if after_codes[c]}

        # 3. --diff equals what --fix writes
        originals = {p: p.read_bytes() for p in files}
        diff_args = ["--diff", *(["--unsafe-fixes"] if unsafe else [])]
        diff = _flytec(root, *diff_args)
        if any(p.read_bytes() != originals[p] for p in files):
            failures.append("--diff wrote a file")
        fix = _flytec(root, "--fix", *(["--unsafe-fixes"] if unsafe else []))
        written = []
        for p in files:
            now = p.read_bytes()
            if now != originals[p]:
                shown = p.relative_to(root).as_posix()
                a = originals[p].decode("utf-8", "surrogateescape").splitlines(keepends=True)
                b = now.decode("utf-8", "surrogateescape").splitlines(keepends=True)
                written.append("".join(difflib.unified_diff(a, b, f"a/{shown}", f"b/{shown}")))
        diff_equal = diff.stdout == "".join(written)
        if not diff_equal:
            failures.append("--diff output differs from what --fix wrote")
        if "Traceback" in diff.stderr + fix.stderr:
            failures.append("a traceback on stderr")
        stats: dict[str, object] = {
            "files": len(files),
            "findings": len(before.diagnostics),
            "fixable": sum(fixable.values()),
            "files changed": len(full.changed()),
            "fixes applied": full.fixed,
            "passes": full.passes,
            "by code": dict(sorted(fixed_codes.items())),
            "left after fix (of fixed codes)": left,
            "new kinds of finding": new,
            "not parsing": not_parsing,
            "outside reported edits": outside,
            "fixes dropped": len(full.problems),
            "--diff == --fix": diff_equal,
            "exit codes diff/fix": (diff.returncode, fix.returncode),
        }
        for p in full.problems:
            print(f"    dropped: {p}")
        return stats, failures


def timing(src: Path, repeat: int) -> None:
    variants = {"check": [], "--diff": ["--diff"],
                "--diff --unsafe-fixes": ["--diff", "--unsafe-fixes"]}
    times: dict[str, list[float]] = {k: [] for k in variants}
    with tempfile.TemporaryDirectory(prefix="flytec-fix-timing-") as tmp:
        root = Path(tmp) / "tree"
        shutil.copytree(src, root, ignore=shutil.ignore_patterns(".flytec_cache", ".git"))
        if not (root / "pyproject.toml").exists():
            (root / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
        for _ in range(repeat):
            for name, extra in variants.items():
                t0 = time.perf_counter()
                _flytec(root, *extra)
                times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["check"])
    print(f"{src} timing (median of {repeat}, subprocess, no cache):")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"  {name:<24} {m:6.2f} s   x{m / base:.2f} of check")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("roots", nargs="*", type=Path,
                    default=[REPO / "examples", Path("/tmp/corpus-sdk")])
    ap.add_argument("--timing", type=int, default=0, metavar="N",
                    help="also time check / --diff / --diff --unsafe-fixes, N runs each")
    args = ap.parse_args()
    failed = False
    for src in args.roots:
        if not src.is_dir():
            print(f"{src}: not a directory (fetch the corpus first; see the docstring)")
            failed = True
            continue
        for unsafe in (False, True):
            stats, failures = run_mode(src, unsafe)
            print(f"{src} ({'--unsafe-fixes' if unsafe else 'safe fixes'}):")
            for k, v in stats.items():
                print(f"  {k}: {v}")
            for f in failures:
                print(f"  FAIL {f}")
            failed |= bool(failures)
        if args.timing:
            timing(src, args.timing)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
