"""Tiny documentation projects built as their users build them (``sphinx-build``, ``mkdocs
build``, each in a subprocess), next to a copy of two of flytec's examples."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import EXAMPLES, REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def project(root: Path) -> Path:
    """A project holding examples/etl.py and examples/error_recovery.py; returns ``root``."""
    (root / "examples").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    for name in ("etl.py", "error_recovery.py"):
        shutil.copy(EXAMPLES / name, root / "examples" / name)
    (root / "examples" / "broken.py").write_text(
        "import flyte\n\nenv = flyte.TaskEnvironment(name='broken')\n\n\n"
        "@env.task\nasync def main(x: int -> int:\n    return x\n")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def _env(extra_path: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(extra_path)] if extra_path else []
    paths.append(str(REPO))
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def sphinx_build(src: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -b html SRC OUT ARGS`` (its stderr holds the warnings)."""
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", *args,
                           str(src), str(out)], capture_output=True, text=True, env=_env(),
                          timeout=300)


def mkdocs_build(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` in SITE, with flytec registered as a MkDocs plugin the way an
    installed flytec registers it (the entry point of pyproject.toml)."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=site,
                          capture_output=True, text=True, env=_env(entry_points(site)),
                          timeout=300)


def entry_points(site: Path) -> Path:
    """A distribution's metadata declaring pyproject.toml's MkDocs entry point, so the test
    sees this work tree's plugin even where the installed flytec predates it."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    plugins = data["project"]["entry-points"]["mkdocs.plugins"]
    where = site.parent / "entry-points"
    info = where / "flytec_docs_test-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: flytec-docs-test\nVersion: 0\n")
    (info / "entry_points.txt").write_text(
        "[mkdocs.plugins]\n" + "".join(f"{k} = {v}\n" for k, v in plugins.items()))
    return where
