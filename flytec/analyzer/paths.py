"""Matching configuration patterns against files: ``per-file-ignores`` patterns are relative to
the project root, whatever the working directory (diagnostics carry paths relative to it)."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from flytec.config import Config


def project_relative(config: Config, path: str) -> str:
    """``path`` (as displayed: relative to the working directory, or absolute) relative to the
    project root, with ``/``; unchanged when it is outside the root or the root is unknown."""
    if config.root is None:
        return path
    p = Path(path)
    if not p.is_absolute():
        p = (config.cwd or Path.cwd()) / p
    rel = os.path.relpath(os.path.normpath(p), config.root)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return path
    return rel.replace(os.sep, "/")


def pattern_matches(pattern: str, rel: str) -> bool:
    """A glob against a root-relative path: the path itself, a folder prefix of it, or (for
    a pattern without ``/``) the file name, as ruff does."""
    if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern.rstrip("/") + "/*"):
        return True
    return "/" not in pattern and fnmatch.fnmatch(rel.rsplit("/", 1)[-1], pattern)


def per_file_ignored(config: Config, path: str, code: str) -> bool:
    if not config.per_file_ignores:
        return False
    rel = project_relative(config, path)
    for pattern, codes in config.per_file_ignores.items():
        if any(code.startswith(c) for c in codes) and pattern_matches(pattern, rel):
            return True
    return False
