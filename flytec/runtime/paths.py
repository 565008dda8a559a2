"""Where the store lives.

``--store DIR``, else ``$FLYTEC_HOME``, else ``.flytec/`` in the project root.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root(start: Path | None = None) -> Path:
    """The nearest directory (from ``start`` or cwd up) with pyproject.toml or .git; else cwd."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "pyproject.toml").exists() or (d / ".git").exists():
            return d
    return here


def store_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("FLYTEC_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return project_root() / ".flytec"
