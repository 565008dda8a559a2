#!/usr/bin/env python3
"""flytec on every supported Python: the test suite on each, and one answer from all of them.

    pythons.py suite    [--skip PYTHON] VERSION...   the suite on each interpreter found
    pythons.py identity VERSION...                   build examples/ on each, compare bytes

An interpreter X.Y is ``$(pyenv prefix X.Y)/bin/pythonX.Y``, else ``pythonX.Y`` on PATH; one
that is not found is reported on one line and left out. Each gets a venv ``.venv-X.Y`` with the
project's dependencies (remade when pyproject.toml changes) and, every run, the wheel built from
the work tree (so ``identity`` exercises the installed package: templates, stubs, package
data). ``suite`` runs ``python -m pytest`` from the repository root, so it tests the work tree
with that interpreter and its dependencies. Only the standard library is used here.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = "examples"
_wheel: Path | None = None


def find(version: str) -> Path | None:
    try:
        prefix = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True,
                                check=False).stdout.strip()
    except OSError:
        prefix = ""
    for p in prefix.split(":"):
        exe = Path(p) / "bin" / f"python{version}"
        if p and exe.is_file():
            return exe
    found = shutil.which(f"python{version}")
    if found is None:
        return None
    # pyenv's shims answer for every version but fail for one that is not installed
    ok = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2])"],
                        capture_output=True, text=True, check=False)
    return Path(found) if ok.returncode == 0 else None


def found(versions: list[str]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for v in versions:
        exe = find(v)
        if exe is None:
            print(f"python{v}: not found (neither `pyenv prefix {v}` nor python{v} on PATH), "
                  "skipped", flush=True)
        else:
            out[v] = exe
    return out


def run(cmd: list[str | Path], **kw: object) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


def wheel() -> Path:
    """The wheel of the work tree, built once per run."""
    global _wheel
    if _wheel is None:
        out = Path(tempfile.mkdtemp(prefix="flytec-wheel-"))
        print("building the flytec wheel ...", flush=True)
        run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, REPO],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wheel = next(out.glob("flytec-*.whl"))
    return _wheel


def venv(version: str, exe: Path) -> Path:
    """``.venv-X.Y`` with the dependencies and this work tree's wheel; returns its python."""
    d = REPO / f".venv-{version}"
    py = d / "bin" / "python"
    stamp = d / ".flytec-deps"
    want = hashlib.sha256((REPO / "pyproject.toml").read_bytes()
                          + str(exe).encode()).hexdigest()
    if not py.exists() or not stamp.exists() or stamp.read_text() != want:
        print(f"python{version}: creating {d.name} (dependencies) ...", flush=True)
        t = time.monotonic()
        run([exe, "-m", "venv", "--clear", d])
        run([py, "-m", "pip", "install", "-q", f"{wheel()}[dev]"])
        stamp.write_text(want)
        print(f"python{version}: {d.name} ready in {time.monotonic() - t:.0f} s", flush=True)
    else:
        run([py, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", wheel()])
    return py


def suite(versions: list[str], skip: str | None) -> int:
    skip_version = None
    if skip:
        skip_version = subprocess.run(
            [skip, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, check=True).stdout.strip()
    rows: list[tuple[str, str, float, int]] = []
    for v, exe in found(versions).items():
        if v == skip_version:
            print(f"python{v}: the default interpreter, tested by `make test-quick`", flush=True)
            continue
        py = venv(v, exe)
        print(f"== the test suite on python{v} ==", flush=True)
        t = time.monotonic()
        proc = subprocess.Popen([str(py), "-m", "pytest", "-p", "no:cacheprovider"], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        last = ""
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            if line.strip():
                last = line.strip()
        rc = proc.wait()
        rows.append((v, last.strip("= "), time.monotonic() - t, rc))
    print("\nper-interpreter results:")
    for v, summary, secs, rc in rows:
        print(f"  python{v}: {summary or 'no output'} ({secs:.0f} s){'' if rc == 0 else '  FAILED'}")
    return 1 if any(rc != 0 for *_, rc in rows) else 0


def _flytec(py: Path, project: Path, args: list[str], out: Path, name: str) -> None:
    """Run ``flytec ARGS`` in ``project``; keep its stdout and exit code as output files."""
    flytec = py.parent / "flytec"
    proc = subprocess.run([str(flytec), *args], cwd=project, capture_output=True, text=True,
                          check=False, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"})
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        raise SystemExit(f"{flytec} {' '.join(args)}: exit {proc.returncode}\n{proc.stderr}")
    text = proc.stdout.replace(str(project.parent), "<work>")
    (out / f"{name}.out").write_text(f"exit {proc.returncode}\n{text}", encoding="utf-8")


def outputs(py: Path, work: Path) -> Path:
    """Build examples/ (plans, Argo, Jobs, DOT graphs, diagnostics) in a fresh copy."""
    project = work / "project"
    shutil.copytree(REPO / EXAMPLES, project / EXAMPLES,
                    ignore=shutil.ignore_patterns("__pycache__", ".flytec_cache"))
    (project / "pyproject.toml").write_text('[project]\nname = "examples"\n'
                                            'requires-python = ">=3.10"\n')
    out = work / "out"
    (out / "graphs").mkdir(parents=True)
    _flytec(py, project, ["build", EXAMPLES, "-o", str(out / "argo"), "--target", "argo"],
            out, "build-argo")
    _flytec(py, project, ["build", EXAMPLES, "-o", str(out / "argo-templates"), "--target",
                          "argo", "--template"], out, "build-argo-templates")
    _flytec(py, project, ["build", EXAMPLES, "-o", str(out / "jobs"), "--target", "jobs"],
            out, "build-jobs")
    _flytec(py, project, ["check", EXAMPLES, "--format", "json"], out, "check")
    _flytec(py, project, ["graph", EXAMPLES, "-o", str(out / "graphs" / "calls.dot")],
            out, "graph-calls")
    examples = project / EXAMPLES
    for f in sorted([*examples.rglob("*.py"), *examples.rglob("*.ipynb")]):  # notebooks too
        text = f.read_text(encoding="utf-8")
        if "def main(" in text:
            rel = f.relative_to(project).as_posix()
            name = rel.replace("/", "_")
            _flytec(py, project, ["graph", f"{rel}::main", "-o",
                                  str(out / "graphs" / f"{name}.main.dot")], out, f"graph-{name}")
    return out


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def identity(versions: list[str]) -> int:
    pythons = found(versions)
    if len(pythons) < 2:
        print(f"identity: only {len(pythons)} interpreter found, nothing to compare")
        return 0
    work = Path(tempfile.mkdtemp(prefix="flytec-identity-"))
    results: dict[str, Path] = {}
    try:
        for v, exe in pythons.items():
            py = venv(v, exe)
            t = time.monotonic()
            results[v] = outputs(py, work / v)
            n = len(_files(results[v]))
            print(f"python{v}: built examples/ ({n} files) in {time.monotonic() - t:.0f} s",
                  flush=True)
        first, *rest = results
        base = results[first]
        names = _files(base)
        bad = 0
        for v in rest:
            other = results[v]
            theirs = _files(other)
            if theirs != names:
                bad += 1
                print(f"python{v} vs python{first}: different files: "
                      f"only {first}: {sorted(set(names) - set(theirs))[:10]}, "
                      f"only {v}: {sorted(set(theirs) - set(names))[:10]}")
                continue
            differ = [n for n in names if not filecmp.cmp(base / n, other / n, shallow=False)]
            if differ:
                bad += 1
                print(f"python{v} vs python{first}: {len(differ)} files differ: {differ[:10]}")
                a = (base / differ[0]).read_text(encoding="utf-8").splitlines()
                b = (other / differ[0]).read_text(encoding="utf-8").splitlines()
                for line in list(difflib.unified_diff(a, b, f"{first}/{differ[0]}",
                                                      f"{v}/{differ[0]}", lineterm=""))[:40]:
                    print("   ", line)
        if bad:
            print(f"identity: FAILED ({bad} of {len(rest)} interpreters differ from "
                  f"python{first})")
            return 1
        print(f"identity: {len(names)} files byte-identical on "
              + ", ".join(f"python{v}" for v in results))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["suite", "identity"])
    ap.add_argument("versions", nargs="+", help="X.Y versions, e.g. 3.10 3.11")
    ap.add_argument("--skip", metavar="PYTHON",
                    help="suite: leave out the version of this interpreter (tested already)")
    args = ap.parse_args()
    if args.command == "suite":
        return suite(args.versions, args.skip)
    return identity(args.versions)


if __name__ == "__main__":
    sys.exit(main())
