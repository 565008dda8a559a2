"""Where flytec's Flyte stubs live, whether the real ``flyte`` is installed, and fingerprints."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from flytec.analyzer.types.options import StubsMode

_PROBE = (
    "import importlib.util, importlib.metadata\n"
    "if importlib.util.find_spec('flyte') is None:\n"
    "    print('absent')\n"
    "else:\n"
    "    try:\n"
    "        print(importlib.metadata.version('flyte'))\n"
    "    except importlib.metadata.PackageNotFoundError:\n"
    "        print('unknown')\n"
)


def stubs_dir() -> Path:
    """The directory to put on mypy's path (it holds the ``flyte`` stub package)."""
    return Path(__file__).resolve().parents[2] / "stubs"


@functools.lru_cache(maxsize=1)
def stubs_hash() -> str:
    """A hash of every stub file, so that cached results die with a change of the stubs."""
    digest = hashlib.sha256()
    root = stubs_dir()
    for path in sorted(root.rglob("*.pyi")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class FlyteProbe:
    """Whether an interpreter has the real ``flyte`` package, and which version."""

    installed: bool
    version: str


@functools.lru_cache(maxsize=8)
def probe_flyte(python_executable: str | None = None) -> FlyteProbe:
    """Look for ``flyte`` in this interpreter, or in ``python_executable`` (by running it)."""
    if python_executable is None or _same_interpreter(python_executable):
        spec = importlib.util.find_spec("flyte")
        # flytec's own runtime shim of the API (installed by `flytec run`) is not flyte
        if spec is None or "flytec" in Path(spec.origin or "").parts:
            return FlyteProbe(False, "")
        try:
            return FlyteProbe(True, importlib.metadata.version("flyte"))
        except importlib.metadata.PackageNotFoundError:
            return FlyteProbe(True, "unknown")
    try:
        done = subprocess.run(
            [python_executable, "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return FlyteProbe(False, "")
    answer = done.stdout.strip().splitlines()[-1:] if done.returncode == 0 else []
    if not answer or answer[0] == "absent":
        return FlyteProbe(False, "")
    return FlyteProbe(True, answer[0])


def use_stubs(mode: StubsMode, python_executable: str | None = None) -> bool:
    """Whether mypy should see flytec's stubs in this mode."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    return not probe_flyte(python_executable).installed


def _same_interpreter(python_executable: str) -> bool:
    # Not resolve(): a venv's python is a symlink to the same base interpreter as others.
    return os.path.abspath(python_executable) == os.path.abspath(sys.executable)
