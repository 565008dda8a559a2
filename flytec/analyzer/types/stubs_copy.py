"""The Flyte stubs as mypy can use them from any install.

mypy refuses a ``mypy_path`` entry inside ``site-packages`` ("... site-packages is in the
MYPYPATH. Please remove it."), and a normal (non-editable) install of flytec puts its stubs
exactly there. So when the bundled stubs live in an installed package, mypy gets a copy
outside it: next to mypy's cache (a folder whose name derives from the user's cache key, so a
planted copy is never read; see docs/caches.md), or, with the cache off, in a temporary
folder removed after the run. From a source checkout (an editable install) the stubs are used
where they are."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flytec.analyzer.types.stubs_path import stubs_dir, stubs_hash

_INSTALLED = ("site-packages", "dist-packages")


def installed(path: Path) -> bool:
    """Whether ``path`` is inside an installed package (mypy would refuse it)."""
    return any(part in _INSTALLED for part in path.parts)


@contextmanager
def mypy_stubs(mypy_cache_dir: Path) -> Iterator[Path]:
    """The directory to put on mypy's path for the stubs, for the duration of a build."""
    src = stubs_dir()
    if not installed(src):
        yield src
        return
    if str(mypy_cache_dir) == os.devnull:  # no cache: nothing may stay behind
        with tempfile.TemporaryDirectory(prefix="flytec-stubs-") as tmp:
            dest = Path(tmp) / "stubs"
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
            yield dest
        return
    dest = mypy_cache_dir.parent / f"flyte-stubs-{stubs_hash()}"
    if dest.is_dir() and not _same_files(src, dest):  # a damaged or planted copy: never used
        aside = Path(tempfile.mkdtemp(prefix=".stale-", dir=dest.parent))
        try:
            os.replace(dest, aside / "stubs")
        except OSError:
            pass  # another run moved it first
        shutil.rmtree(aside, ignore_errors=True)
    if not (dest / "flyte").is_dir():
        staging = Path(tempfile.mkdtemp(prefix=".stubs-", dir=mypy_cache_dir.parent))
        try:
            shutil.copytree(src, staging / "stubs", ignore=shutil.ignore_patterns("__pycache__"))
            os.replace(staging / "stubs", dest)  # atomic: a concurrent run sees all or none
        except OSError:
            if not (dest / "flyte").is_dir():
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    yield dest


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def _same_files(src: Path, copy: Path) -> bool:
    """Whether ``copy`` holds exactly the files of ``src``, byte for byte (the copy lives in
    the project's cache, which anyone who can commit can write: see docs/caches.md)."""
    try:
        return _files(src) == _files(copy)
    except OSError:
        return False
