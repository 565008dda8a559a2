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
            shutil.copytree(src, dest)
            yield dest
        return
    dest = mypy_cache_dir.parent / f"flyte-stubs-{stubs_hash()}"
    if not (dest / "flyte").is_dir():
        staging = Path(tempfile.mkdtemp(prefix=".stubs-", dir=mypy_cache_dir.parent))
        try:
            shutil.copytree(src, staging / "stubs")
            os.replace(staging / "stubs", dest)  # atomic: a concurrent run sees all or none
        except OSError:
            if not (dest / "flyte").is_dir():
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    yield dest
