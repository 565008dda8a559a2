"""Where a project's cache lives (``.flytec_cache`` under the project root, the ``cache-dir``
setting, or ``$FLYTEC_CACHE_DIR``), and how the folder marks itself: a ``.gitignore`` holding
``*`` (so it never shows in ``git status``) and a ``CACHEDIR.TAG`` (so backup tools skip it,
https://bford.info/cachedir/), as ruff's cache does."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT = ".flytec_cache"
ENV = "FLYTEC_CACHE_DIR"
TAG_NAME = "CACHEDIR.TAG"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by flytec.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
GITIGNORE = "# Automatically created by flytec.\n*\n"


def cache_root(project_root: Path, setting: str | None = None) -> Path:
    """``$FLYTEC_CACHE_DIR`` (relative to the working directory), else the ``cache-dir``
    setting (relative to the project root), else ``<project root>/.flytec_cache``."""
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser().absolute()
    if setting:
        p = Path(setting).expanduser()
        return p if p.is_absolute() else project_root / p
    return project_root / DEFAULT


def prepare(cache: Path) -> None:
    """Create the cache folder with its ``.gitignore`` and ``CACHEDIR.TAG`` (once; a folder
    flytec cannot create or write is left to the writers, which treat it as no cache)."""
    if (cache / TAG_NAME).is_file():
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", GITIGNORE), (TAG_NAME, TAG)):
            f = cache / name
            if not f.exists():
                f.write_text(text, encoding="utf-8")
    except OSError:
        pass


def project_cache(project_root: Path, enabled: bool, setting: str | None = None) -> Path | None:
    """The project's cache folder, prepared (None when the cache is off: nothing is written)."""
    if not enabled:
        return None
    cache = cache_root(project_root, setting)
    prepare(cache)
    return cache
