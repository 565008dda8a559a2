#!/usr/bin/env python3
"""flytec on every supported Python: the test suite on each, one answer from all, the wheel.

    pythons.py suite    [--skip PYTHON] VERSION...   the suite on each interpreter found
    pythons.py identity VERSION...                   build examples/ on each, compare bytes
    pythons.py wheel    VERSION...                   the built wheel, alone, on each

An interpreter X.Y is ``$(pyenv prefix X.Y)/bin/pythonX.Y``, else ``pythonX.Y`` on PATH; one
that is not found is reported on one line and left out. The distribution is built once per
run with ``python -m build`` (an sdist, then the wheel from the sdist, so a file missing from
the sdist fails too); without the ``build`` package, ``pip wheel`` makes the wheel.

``suite`` and ``identity`` give each interpreter a venv ``.venv-X.Y`` with the project's
development dependencies (remade when pyproject.toml changes) and, every run, that wheel.
``suite`` runs ``python -m pytest`` from the repository root, so it tests the work tree with
that interpreter and its dependencies; ``identity`` runs the installed ``flytec``.

``wheel`` is what a user gets: ``twine check`` on the sdist and the wheel, then, on each
interpreter, a venv ``.venv-wheel-X.Y`` holding only ``flytec[k8s]`` from the wheel and what
it requires (remade when those requirements change; the wheel itself is reinstalled every
run), and ``check``, ``check --types``, ``build --target argo --validate``, ``graph -f png``,
``report``, ``run`` of three examples, ``schema`` and ``rules`` in a copy of examples/
outside the work tree: package data left out of the wheel (stubs, templates, schemas, the
runtime's ``flyte`` shim) or a dependency missing from its metadata fails here. Only the
standard library is used here.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import hashlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = "examples"
_dist: dict[str, Path] | None = None


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


def dist() -> dict[str, Path]:
    """The distribution of the work tree, built once per run: ``wheel`` and ``sdist``
    (``sdist`` only when the ``build`` package is there)."""
    global _dist
    if _dist is None:
        out = Path(tempfile.mkdtemp(prefix="flytec-dist-"))
        if importlib.util.find_spec("build") is not None:
            print("building the flytec sdist and wheel (python -m build) ...", flush=True)
            proc = subprocess.run([sys.executable, "-m", "build", "-o", str(out), str(REPO)],
                                  capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise SystemExit(f"python -m build failed:\n{proc.stdout[-3000:]}"
                                 f"{proc.stderr[-3000:]}")
            _dist = {"wheel": next(out.glob("flytec-*.whl")),
                     "sdist": next(out.glob("flytec-*.tar.gz"))}
        else:
            print("building the flytec wheel (pip wheel; no `build` package, so no sdist: "
                  "pip install -e '.[dev]') ...", flush=True)
            run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, REPO],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _dist = {"wheel": next(out.glob("flytec-*.whl"))}
    return _dist


def wheel() -> Path:
    """The wheel of the work tree, built once per run."""
    return dist()["wheel"]


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

# ----------------------------------------------------------------------------- the wheel

_RUN = re.compile(r"^# flytec-example: run (\S+)(.*)$", re.M)
_EXPECT = re.compile(r"^# flytec-expect: (.*)$", re.M)
TYPED = '''import flyte

env = flyte.TaskEnvironment(name="typed")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def main() -> int:
    return await double(x="2")
'''
# a static DAG (fan-out, map, branch), File/Dir values, a dynamic loop (the test suite runs
# every runnable example; these exercise the installed runtime and its flyte shim)
RUN_EXAMPLES = ("etl.py", "files.py", "agent_loop.py")
PNG = b"\x89PNG\r\n\x1a\n"


def _requirements(whl: Path) -> str:
    """The wheel's ``Requires-Dist`` lines (what a clean venv must be remade for)."""
    with zipfile.ZipFile(whl) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        text = z.read(meta).decode()
    return "\n".join(line for line in text.splitlines() if line.startswith("Requires-Dist:"))


def wheel_venv(version: str, exe: Path, whl: Path) -> Path:
    """``.venv-wheel-X.Y``: ``flytec[k8s]`` from the wheel and its requirements, nothing else
    (no source tree, no development tools); returns its python."""
    d = REPO / f".venv-wheel-{version}"
    py = d / "bin" / "python"
    stamp = d / ".flytec-requirements"
    want = hashlib.sha256((_requirements(whl) + str(exe)).encode()).hexdigest()
    if not py.exists() or not stamp.exists() or stamp.read_text() != want:
        print(f"python{version}: creating {d.name} (flytec[k8s] from the wheel) ...", flush=True)
        t = time.monotonic()
        run([exe, "-m", "venv", "--clear", d])
        run([py, "-m", "pip", "install", "-q", f"{whl}[k8s]"])
        stamp.write_text(want)
        print(f"python{version}: {d.name} ready in {time.monotonic() - t:.0f} s", flush=True)
    else:
        run([py, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", whl])
    return py


class SmokeFailure(Exception):
    pass


def _smoke_run(py: Path, project: Path, args: list[str], ok: tuple[int, ...] = (0,)
               ) -> subprocess.CompletedProcess[str]:
    flytec = py.parent / "flytec"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLYTEC_"))}
    env.update({"NO_COLOR": "1", "COLUMNS": "120"})
    proc = subprocess.run([str(flytec), *args], cwd=project, capture_output=True, text=True,
                          check=False, env=env)
    if proc.returncode not in ok or "Traceback" in proc.stderr + proc.stdout:
        raise SmokeFailure(f"flytec {shlex.join(args)}: exit {proc.returncode} (expected "
                           f"{' or '.join(map(str, ok))})\n{proc.stdout[-2000:]}"
                           f"{proc.stderr[-2000:]}")
    return proc


def smoke(py: Path, work: Path, version: str) -> list[str]:
    """The user's commands with the installed wheel in a copy of examples/; what ran."""
    project = work / "project"
    shutil.copytree(REPO / EXAMPLES, project / EXAMPLES,
                    ignore=shutil.ignore_patterns("__pycache__", ".flytec_cache"))
    (project / "pyproject.toml").write_text('[project]\nname = "examples"\n'
                                            'requires-python = ">=3.10"\n')
    done: list[str] = []
    t = time.monotonic()

    def step(what: str) -> None:
        nonlocal t
        done.append(f"{what} {time.monotonic() - t:.1f} s")
        t = time.monotonic()

    where = subprocess.run([str(py), "-c", "import flytec; print(flytec.__file__)"],
                           cwd=project, capture_output=True, text=True, check=True).stdout
    if not Path(where.strip()).is_relative_to(py.parent.parent):
        raise SmokeFailure(f"flytec imported from {where.strip()}, not from the venv")
    out = _smoke_run(py, project, ["--version"]).stdout
    if version not in out:
        raise SmokeFailure(f"flytec --version says {out.strip()!r}, the wheel is {version}")
    step("--version")

    _smoke_run(py, project, ["check", EXAMPLES, "--format", "sarif", "-o", "flytec.sarif"],
               ok=(1,))  # examples/buggy has findings
    sarif = json.loads((project / "flytec.sarif").read_text(encoding="utf-8"))
    if not sarif["runs"][0]["results"] or not sarif["runs"][0]["tool"]["driver"]["rules"]:
        raise SmokeFailure("check --format sarif: no results or no rules")
    step("check --format sarif")

    # a wrong argument between tasks: found only with the bundled Flyte stubs (no flyte here)
    (project / "typed.py").write_text(TYPED, encoding="utf-8")
    out = _smoke_run(py, project, ["check", "--types", "--no-cache", "typed.py"], ok=(1,)).stdout
    if "FLY210" not in out:
        raise SmokeFailure(f"check --types: no FLY210 (are the stubs in the wheel?)\n{out}")
    step("check --types")

    # exit 1: examples/buggy has errors; an invalid manifest would write none
    out = _smoke_run(py, project, ["build", EXAMPLES, "--target", "argo", "--validate",
                                   "-o", "argo", "-q"], ok=(0, 1)).stdout
    n = len(list((project / "argo").glob("*.argo.yaml")))
    if n < 100 or f"Wrote {n} argo manifests to argo/, validated." not in out:
        raise SmokeFailure(f"build --target argo --validate: {n} manifests\n{out}")
    step(f"build --target argo --validate ({n} manifests)")

    _smoke_run(py, project, ["graph", f"{EXAMPLES}/etl.py::main", "-f", "png", "-o",
                             "etl.png"])
    if not (project / "etl.png").read_bytes().startswith(PNG):
        raise SmokeFailure("graph -f png: etl.png is not a PNG")
    step("graph -f png")

    # the review site: its templates and stylesheet are package data
    _smoke_run(py, project, ["report", EXAMPLES, "-o", "site", "-q"])
    pages = list((project / "site" / "tasks").glob("*.html"))
    if not (project / "site" / "index.html").is_file() or not any(
            "<svg" in p.read_text(encoding="utf-8") for p in pages):
        raise SmokeFailure("report: no index.html, or no workflow page with a picture")
    if not (project / "site" / "assets" / "style.css").is_file():
        raise SmokeFailure("report: no assets/style.css (are the templates in the wheel?)")
    step(f"report ({len(pages)} task pages)")

    ran = 0
    for name in RUN_EXAMPLES:
        f = project / EXAMPLES / name
        text = f.read_text(encoding="utf-8")
        m, e = _RUN.search(text), _EXPECT.search(text)
        if not (m and e):
            raise SmokeFailure(f"{name}: no `# flytec-example: run` and `# flytec-expect:` lines")
        rel = f.relative_to(project).as_posix()
        proc = _smoke_run(py, project, ["run", f"{rel}::{m.group(1)}",
                                        *shlex.split(m.group(2))])
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        if got != json.loads(e.group(1)):
            raise SmokeFailure(f"flytec run {rel}: {got!r}, expected {e.group(1)}")
        ran += 1
    step(f"run ({ran} examples)")

    json.loads(_smoke_run(py, project, ["schema", "plan"]).stdout)
    _smoke_run(py, project, ["rules", "FLY103"])
    step("schema plan, rules FLY103")
    return done


def _twine_check(files: list[Path]) -> int:
    if importlib.util.find_spec("twine") is None:
        print("twine check: skipped (no twine: pip install -e '.[dev]')", flush=True)
        return 0
    proc = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                           *map(str, files)], capture_output=True, text=True, check=False)
    print(f"twine check --strict {' '.join(f.name for f in files)}: "
          f"{'PASSED' if proc.returncode == 0 else 'FAILED'}", flush=True)
    if proc.returncode != 0:
        print(proc.stdout + proc.stderr)
    return proc.returncode


def wheel_smoke(versions: list[str]) -> int:
    pythons = found(versions)
    built = dist()
    whl = built["wheel"]
    version = whl.name.split("-")[1]
    bad = _twine_check(sorted(built.values())) != 0
    rows: list[tuple[str, str, float]] = []
    for v, exe in pythons.items():
        t = time.monotonic()
        work = Path(tempfile.mkdtemp(prefix=f"flytec-wheel-{v}-"))
        try:
            py = wheel_venv(v, exe, whl)
            done = smoke(py, work, version)
            rows.append((v, "ok: " + ", ".join(done), time.monotonic() - t))
        except (SmokeFailure, subprocess.CalledProcessError) as e:
            bad = True
            rows.append((v, f"FAILED: {e}", time.monotonic() - t))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"python{v}: {rows[-1][1].splitlines()[0]} ({rows[-1][2]:.0f} s)", flush=True)
    print(f"\nthe wheel {whl.name} on each interpreter:")
    for v, summary, secs in rows:
        print(f"  python{v}: {summary} ({secs:.0f} s)")
    return 1 if bad or not rows else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["suite", "identity", "wheel"])
    ap.add_argument("versions", nargs="+", help="X.Y versions, e.g. 3.10 3.11")
    ap.add_argument("--skip", metavar="PYTHON",
                    help="suite: leave out the version of this interpreter (tested already)")
    args = ap.parse_args()
    if args.command == "suite":
        return suite(args.versions, args.skip)
    if args.command == "wheel":
        return wheel_smoke(args.versions)
    return identity(args.versions)


if __name__ == "__main__":
    sys.exit(main())
