"""`--types` from a normal (non-editable) install: the wheel built from this work tree,
installed in a fresh virtualenv, finds what the editable install finds on
examples/buggy/types.py (mypy refuses a MYPYPATH inside site-packages, where a wheel puts the
bundled Flyte stubs; issue 23, item 1). Offline apart from building the wheel: its
dependencies are this interpreter's (a ``.pth`` file), the wheel itself goes in with
``--no-deps --no-index``. About 15 s: a wheel build and two mypy runs."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TARGET = REPO / "examples" / "buggy" / "types.py"


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "FLYTEC_CACHE_DIR", "NO_COLOR", "FORCE_COLOR")}


@pytest.fixture(scope="module")
def wheel_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtualenv with flytec installed from its wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # build from a copy: setuptools writes build/ and *.egg-info
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, listed):
        if (REPO / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, src / rel)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                            str(tmp / "dist"), str(src)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp / "dist").glob("flytec-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], capture_output=True, text=True, check=True)
    put = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                          "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True)
    assert put.returncode == 0, put.stderr
    # The dependencies from this interpreter's site-packages, added after the install: where
    # they are visible to pip, a regular (not editable) install of flytec there counts as
    # "already satisfied" and the wheel is never installed (seen on .venv-3.10).
    deps = "\n".join(site.getsitepackages()) + "\n"
    (Path(purelib.stdout.strip()) / "flytec-test-deps.pth").write_text(deps)
    where = subprocess.run([str(python), "-c", "import flytec; print(flytec.__file__)"],
                           capture_output=True, text=True, env=_clean_env(), cwd=tmp)
    assert str(venv) in where.stdout and "site-packages" in where.stdout, where
    return python


def _check(python: Path, cwd: Path, *args: str, editable: bool = False) -> dict[str, object]:
    env = _clean_env()
    if editable:
        env["PYTHONPATH"] = str(REPO)
    p = subprocess.run([str(python), "-m", "flytec", "check", "--types", "-f", "json", *args],
                       cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode in (0, 1), p.stderr
    assert "MYPYPATH" not in p.stderr, p.stderr
    doc: dict[str, object] = json.loads(p.stdout)
    return doc


@pytest.mark.parametrize("cache", ["--no-cache", "cache"])
def test_types_from_a_wheel_install_match_the_editable_install(
    wheel_python: Path, tmp_path: Path, cache: str
) -> None:
    proj = tmp_path / "proj"
    (proj / "buggy").mkdir(parents=True)
    (proj / "pyproject.toml").write_text("[project]\nname = 'user'\n")
    shutil.copy2(TARGET, proj / "buggy" / "types.py")
    (proj / "buggy" / "__init__.py").write_text("")  # buggy.types: not the stdlib's types
    args = ["buggy/types.py"] + ([cache] if cache == "--no-cache" else [])
    from_wheel = _check(wheel_python, proj, *args)
    editable = _check(Path(sys.executable), proj, *args, editable=True)
    codes = sorted({d["code"] for d in from_wheel["diagnostics"]})  # type: ignore[attr-defined]
    skipped = [d for d in from_wheel["diagnostics"] if d["code"] == "FLY219"]  # type: ignore[attr-defined]
    assert not skipped, [d["message"] for d in skipped]  # type: ignore[index]
    assert {"FLY210", "FLY214"} <= set(codes), codes
    assert from_wheel == editable
    if cache == "--no-cache":
        assert sorted(p.name for p in proj.iterdir()) == ["buggy", "pyproject.toml"]
        assert sorted(p.name for p in (proj / "buggy").iterdir()) == ["__init__.py", "types.py"]
    else:  # the stubs' copy lives in the (self-ignoring) cache folder, nowhere else
        assert sorted(p.name for p in proj.iterdir()) == [".flytec_cache", "buggy",
                                                         "pyproject.toml"]
